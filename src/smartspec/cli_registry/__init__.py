"""``smartspec registry``: the strategy registry on the command line.

A Typer sub-app, mounted by :mod:`smartspec.cli` as ``smartspec registry``. Every command
is a thin call into :mod:`smartspec.registry` (imported inside the commands, so
``smartspec --help`` does not import SQLAlchemy). The registry is ``registry.sqlite`` in
the data directory (``--data-dir``, ``SMARTSPEC_DATA_DIR`` or the platform's default),
created and migrated on first use. Errors that smartspec raises on purpose are printed
as one red line and exit with status 1; usage errors exit with 2.

The app and its shared helpers are in :mod:`._app`; the commands in :mod:`.strategies`
(``import``, ``export``, ``show``, ``history``, ``diff``), :mod:`.followup`
(``followup``) and :mod:`.review` (``classify``, ``review``, ``accept``, ``reject``,
``set-codes``). They register themselves when imported, in the order of
``smartspec registry --help``.
"""

from __future__ import annotations

# isort: off
from smartspec.cli_registry import strategies  # noqa: F401 (registers; import order = help order)
from smartspec.cli_registry import followup  # noqa: F401
from smartspec.cli_registry import review  # noqa: F401

# isort: on
from smartspec.cli_registry._app import EMPTY_MESSAGE, registry_app

__all__ = ["EMPTY_MESSAGE", "registry_app"]

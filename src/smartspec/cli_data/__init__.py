"""``smartspec data``: the evidence store on the command line.

A Typer sub-app, mounted by :mod:`smartspec.cli` as ``smartspec data``. The commands are
thin calls into :class:`smartspec.data.store.EvidenceStore` and the readers and data
clients (all imported inside the commands, so ``smartspec --help`` imports neither
DuckDB nor pandas). The store lives in the data directory (``--data-dir``,
``SMARTSPEC_DATA_DIR`` or the platform's default): ``evidence.duckdb`` and Parquet files
under ``evidence/``. Errors that smartspec raises on purpose are printed as one red line
and exit with status 1; usage errors exit with 2.

``smartspec data import`` takes a file, or ``eurostat CODE``, or ``scb TABLE``::

    smartspec data import employment.csv --name emp --measure employment --unit persons --additive
    smartspec data import eurostat lfst_r_lfe2en2 --filter age=Y15-64 --filter unit=THS --name lfs
    smartspec data import scb TAB638 --select Region=01,03 --name pop
"""

from __future__ import annotations

# isort: off
from smartspec.cli_data import importing  # noqa: F401 (registers; import order = help order)
from smartspec.cli_data import aggregating  # noqa: F401
from smartspec.cli_data import catalogue  # noqa: F401

# isort: on
from smartspec.cli_data._app import EMPTY_MESSAGE, data_app

__all__ = ["EMPTY_MESSAGE", "data_app"]

"""The bundled Swedish map: the 21 län and the published priorities of every region.

See ``_data/CARD.md`` for the sources and what was changed.
"""

from __future__ import annotations

import csv
from importlib import resources
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.registry.models import Region
from smartspec.registry.views import ImportReport

if TYPE_CHECKING:
    from smartspec.registry.service import Registry

__all__ = ["BUNDLED_PRIORITIES", "bundled_regions", "load_bundled"]

#: File name of the bundled priorities inside ``smartspec/registry/_data``.
BUNDLED_PRIORITIES = "sweden_priorities.yaml"


def bundled_regions() -> dict[str, str]:
    """NUTS 2024 code -> Swedish name of the 21 Swedish län.

    >>> regions = bundled_regions()
    >>> len(regions), regions["SE211"]
    (21, 'Jönköpings län')
    """
    text = (
        resources.files("smartspec.registry")
        .joinpath("_data", "se_regions.csv")
        .read_text(encoding="utf-8")
    )
    return {row["code"]: row["name"] for row in csv.DictReader(text.splitlines())}


def load_bundled(target: Registry | Session) -> ImportReport:
    """Load the 21 Swedish regions and their published priorities; idempotent.

    Parameters
    ----------
    target:
        A :class:`~smartspec.registry.service.Registry` (loads in its own transaction),
        or an open session (loads in the caller's transaction; the caller commits).

    Returns
    -------
    ImportReport
        What was added; running it again adds nothing (``changed_anything`` is False).
    """
    from smartspec.registry.service import Registry

    if isinstance(target, Registry):
        return target.load_bundled()
    return load_bundled_into(target, author="smartspec")


def load_bundled_into(session: Session, *, author: str) -> ImportReport:
    """:func:`load_bundled` in the caller's session and transaction."""
    from smartspec.registry.yaml_import import apply_plan, parse_yaml

    regions = bundled_regions()
    existing = {r.code: r for r in session.scalars(sa.select(Region))}
    added = updated = 0
    for code, name in regions.items():
        region = existing.get(code)
        if region is None:
            session.add(Region(code=code, name=name))
            added += 1
        elif region.name != name:
            region.name = name
            updated += 1
    session.flush()
    known = {r.code: r.name for r in session.scalars(sa.select(Region))}
    path = resources.files("smartspec.registry").joinpath("_data", BUNDLED_PRIORITIES)
    plan = parse_yaml(path.read_text(encoding="utf-8"), known, text=True, origin=BUNDLED_PRIORITIES)
    report = apply_plan(session, plan, author=author)
    return ImportReport(
        **{
            **report.__dict__,
            "regions_added": report.regions_added + added,
            "regions_updated": report.regions_updated + updated,
        }
    )

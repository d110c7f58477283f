"""An import plan: the validated contents of a priorities file, and writing it.

:func:`~smartspec.registry.yaml_import.parse_yaml` reads and checks a file into an
:class:`ImportPlan` — its regions, its source documents (:class:`SourcePlan`) and the
revisions to record (:class:`RevisionPlan`, each for a :class:`StrategyTarget`) —
without touching the database; :func:`apply_plan` then writes the plan in the caller's
transaction, skipping what is already recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from smartspec.errors import InputError
from smartspec.registry.dates import PartialDate
from smartspec.registry.models import (
    Region,
    SourceDocument,
    Strategy,
    StrategyKind,
    StrategyRevision,
)
from smartspec.registry.queries import revision_in_effect
from smartspec.registry.revisions import (
    PriorityInput,
    StrategyMeta,
    content_signature,
    write_revision,
)
from smartspec.registry.views import ImportReport

__all__ = ["ImportPlan", "RevisionPlan", "SourcePlan", "StrategyTarget", "apply_plan"]


@dataclass(frozen=True)
class SourcePlan:
    """A source document as the file describes it."""

    key: str
    title: str
    publisher: str | None
    url: str | None
    date: PartialDate | None
    date_inferred: bool
    language: str
    note: str | None


@dataclass(frozen=True)
class StrategyTarget:
    """The strategy a revision revises: a region's own, or a joint one."""

    code: str
    name: str | None  # None: the region's name
    kind: StrategyKind
    regions: tuple[str, ...]


@dataclass(frozen=True)
class RevisionPlan:
    """One revision to record: a source's priorities for one strategy."""

    index: int  # 1-based position of the revision entry in the file
    source: str
    target: StrategyTarget
    effective: PartialDate
    priorities: tuple[PriorityInput, ...]
    author: str | None
    reason: str | None
    where: str


@dataclass
class ImportPlan:
    """A validated file, ready to write."""

    origin: str
    regions: dict[str, str] = field(default_factory=dict)
    sources: dict[str, SourcePlan] = field(default_factory=dict)
    revisions: list[RevisionPlan] = field(default_factory=list)


# --------------------------------------------------------------------------- writing


def apply_plan(session: Session, plan: ImportPlan, *, author: str) -> ImportReport:
    """Write a validated plan in the caller's transaction; skip what is already recorded.

    A revision is skipped when the latest revision of its strategy from the same source
    states the same priorities with the same effective date, so importing a file twice
    changes nothing. A source or region whose fields changed is updated.
    """
    import sqlalchemy as sa

    counts = dict.fromkeys(
        (
            "regions_added",
            "regions_updated",
            "sources_added",
            "sources_updated",
            "strategies_added",
            "revisions_added",
            "revisions_unchanged",
        ),
        0,
    )
    revised: list[str] = []

    regions = {r.code: r for r in session.scalars(sa.select(Region))}
    for code, name in plan.regions.items():
        region = regions.get(code)
        if region is None:
            regions[code] = region = Region(code=code, name=name)
            session.add(region)
            counts["regions_added"] += 1
        elif region.name != name:
            region.name = name
            counts["regions_updated"] += 1

    sources: dict[str, SourceDocument] = {}
    for key, sp in plan.sources.items():
        source = session.scalar(sa.select(SourceDocument).where(SourceDocument.key == key))
        values = {
            "title": sp.title,
            "publisher": sp.publisher,
            "url": sp.url,
            "date": sp.date.start if sp.date else None,
            "date_precision": sp.date.precision if sp.date else None,
            "date_inferred": sp.date_inferred,
            "language": sp.language,
            "note": sp.note,
        }
        if source is None:
            source = SourceDocument(key=key, **values)
            session.add(source)
            counts["sources_added"] += 1
        elif any(getattr(source, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(source, k, v)
            counts["sources_updated"] += 1
        sources[key] = source
    session.flush()

    strategies: dict[str, Strategy] = {}
    for rp in plan.revisions:
        if rp.target.code not in strategies:
            strategy, created = _strategy(session, rp.target, regions)
            strategies[rp.target.code] = strategy
            counts["strategies_added"] += created
    session.flush()

    for rp in sorted(plan.revisions, key=lambda r: (r.effective.start, r.index, r.target.code)):
        strategy = strategies[rp.target.code]
        source = sources[rp.source]
        previous = session.scalar(
            sa.select(StrategyRevision)
            .where(
                StrategyRevision.strategy_id == strategy.id, StrategyRevision.source_id == source.id
            )
            .order_by(StrategyRevision.number.desc())
            .limit(1)
        )
        if previous is not None and content_signature(previous) == content_signature(
            rp.priorities, rp.effective
        ):
            counts["revisions_unchanged"] += 1
            continue
        base = revision_in_effect(session, strategy, rp.effective.end)
        revision = write_revision(
            session,
            strategy,
            rp.priorities,
            effective=rp.effective,
            author=rp.author or author,
            reason=rp.reason or f"imported from {plan.origin} (source {source.key})",
            source=source,
            meta=StrategyMeta.of(base),
            where=f"{plan.origin}, {rp.where}",
        )
        counts["revisions_added"] += 1
        revised.append(f"{strategy.code}#{revision.number} ({source.key})")
    return ImportReport(source=plan.origin, revised=tuple(revised), **counts)


def _strategy(
    session: Session, target: StrategyTarget, regions: dict[str, Region]
) -> tuple[Strategy, bool]:
    import sqlalchemy as sa

    strategy = session.scalar(sa.select(Strategy).where(Strategy.code == target.code))
    members = [regions[c] for c in target.regions]
    if strategy is not None:
        if strategy.kind is not target.kind or {r.code for r in strategy.regions} != set(
            target.regions
        ):
            raise InputError(
                f"strategy {target.code} exists with regions "
                + ", ".join(r.code for r in strategy.regions)
                + ", not "
                + ", ".join(target.regions),
                hint="give the joint strategy another code",
            )
        return strategy, False
    name = target.name or members[0].name
    strategy = Strategy(code=target.code, name=name, kind=target.kind, version=0, regions=members)
    session.add(strategy)
    return strategy, True

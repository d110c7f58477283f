"""Reading the registry: regions, strategies, the revision in effect at a date, views.

The *as-of* rule: for a strategy and a day ``D``, the revision in effect is the one with
the latest effective date on or before ``D`` (a year or month counts from its first day);
among revisions with the same effective date, the one recorded last (highest number)
wins. With no date, the latest effective revision is taken.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import AmbiguousError, UnknownCodeError
from smartspec.registry.labels import label_key
from smartspec.registry.models import (
    Region,
    SourceDocument,
    Strategy,
    StrategyKind,
    StrategyRegion,
    StrategyRevision,
)
from smartspec.registry.views import PriorityView, RevisionInfo, SourceInfo, StrategyState

__all__ = [
    "find_region",
    "find_strategy",
    "get_revision",
    "priority_views",
    "region_strategies",
    "revision_in_effect",
    "revision_info",
    "source_info",
    "strategy_state",
]


def find_region(session: Session, query: str) -> Region:
    """A region by NUTS code (any case) or by a unique part of its name.

    Raises
    ------
    UnknownCodeError
        With the closest codes and names as suggestions.
    AmbiguousError
        When the name matches several regions.
    """
    text = query.strip()
    region = session.scalar(sa.select(Region).where(Region.code == text.upper()))
    if region is not None:
        return region
    regions = list(session.scalars(sa.select(Region).order_by(Region.code)))
    wanted = label_key(text)
    if wanted:
        hits = [r for r in regions if wanted in label_key(r.name)]
        exact = [r for r in hits if label_key(r.name) == wanted]
        if len(exact) == 1:
            return exact[0]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise AmbiguousError("region", query, [f"{r.code} ({r.name})" for r in hits])
    raise UnknownCodeError(
        "region", query, region_suggestions([(r.code, r.name) for r in regions], text)
    )


def region_suggestions(regions: Iterable[tuple[str, str]], text: str, n: int = 3) -> list[str]:
    """The closest region codes and names to ``text``, as ``"SE211 (Jönköpings län)"``.

    Codes sharing the longest prefix with ``text`` come first.

    >>> region_suggestions([("SE121", "Uppsala län"), ("SE211", "Jönköpings län")], "SE219")
    ['SE211 (Jönköpings län)', 'SE121 (Uppsala län)']
    """
    pairs = list(regions)
    by_name = {name.casefold(): (code, name) for code, name in pairs}
    wanted = text.strip().upper()

    def closeness(region: tuple[str, str]) -> tuple[int, float, str]:
        code = region[0]
        prefix = next(
            (i for i, (a, b) in enumerate(zip(wanted, code, strict=False)) if a != b),
            min(len(wanted), len(code)),
        )
        ratio = difflib.SequenceMatcher(None, wanted, code).ratio()
        return (-prefix, -ratio, code)

    found = [
        r
        for r in sorted(pairs, key=closeness)
        if difflib.SequenceMatcher(None, wanted, r[0]).ratio() >= 0.6
    ][:n]
    for name in difflib.get_close_matches(text.casefold(), list(by_name), n=n, cutoff=0.6):
        if by_name[name] not in found:
            found.append(by_name[name])
    return [f"{code} ({name})" for code, name in found[:n]]


def find_strategy(session: Session, code: str) -> Strategy:
    """A strategy by its code; a region code or name gives the region's own strategy."""
    strategy = session.scalar(sa.select(Strategy).where(Strategy.code == code.strip()))
    if strategy is not None:
        return strategy
    region = find_region(session, code)
    strategy = session.scalar(
        sa.select(Strategy).where(
            Strategy.code == region.code, Strategy.kind == StrategyKind.REGIONAL
        )
    )
    if strategy is None:
        raise UnknownCodeError(
            "strategy", code, context=f"(region {region.code} has no strategy in the registry yet)"
        )
    return strategy


def region_strategies(session: Session, region: Region) -> list[Strategy]:
    """The region's own strategy (first) and the joint strategies it belongs to."""
    strategies = session.scalars(
        sa.select(Strategy)
        .join(StrategyRegion, StrategyRegion.strategy_id == Strategy.id)
        .where(StrategyRegion.region_id == region.id)
    ).all()
    return sorted(strategies, key=lambda s: (s.kind is not StrategyKind.REGIONAL, s.code))


def revision_in_effect(
    session: Session, strategy: Strategy, at: dt.date | None = None
) -> StrategyRevision | None:
    """The revision of ``strategy`` in effect on day ``at`` (``None``: the latest)."""
    query = sa.select(StrategyRevision).where(StrategyRevision.strategy_id == strategy.id)
    if at is not None:
        query = query.where(StrategyRevision.effective_date <= at)
    query = query.order_by(
        StrategyRevision.effective_date.desc(), StrategyRevision.number.desc()
    ).limit(1)
    return session.scalar(query)


def get_revision(session: Session, strategy: Strategy, number: int) -> StrategyRevision:
    """Revision ``number`` of ``strategy``; a clear error if there is none."""
    revision = session.scalar(
        sa.select(StrategyRevision).where(
            StrategyRevision.strategy_id == strategy.id, StrategyRevision.number == number
        )
    )
    if revision is None:
        raise UnknownCodeError(
            "revision",
            str(number),
            context=f"of strategy {strategy.code} (it has revisions 1–{strategy.version})",
        )
    return revision


def source_info(source: SourceDocument | None) -> SourceInfo | None:
    """The view of a source document."""
    if source is None:
        return None
    published = source.published
    return SourceInfo(
        key=source.key,
        title=source.title,
        publisher=source.publisher,
        url=source.url,
        date=str(published) if published else None,
        date_inferred=source.date_inferred,
    )


def priority_views(strategy: Strategy, revision: StrategyRevision) -> tuple[PriorityView, ...]:
    """The priorities a revision states, in published order."""
    source = source_info(revision.source)
    effective = str(revision.effective)
    return tuple(
        PriorityView(
            priority_id=row.priority_id,
            label=row.label,
            label_sv=row.label_sv,
            label_en=row.label_en,
            kind=row.kind,
            category=row.category,
            description=row.description,
            niches=tuple(row.niches or ()),
            position=row.position,
            joint=strategy.is_joint,
            strategy=strategy.code,
            revision=revision.number,
            effective=effective,
            source=source,
        )
        for row in revision.priorities
    )


def revision_info(strategy: Strategy, revision: StrategyRevision) -> RevisionInfo:
    """The history line of a revision."""
    return RevisionInfo(
        strategy=strategy.code,
        joint=strategy.is_joint,
        number=revision.number,
        effective=str(revision.effective),
        effective_date=revision.effective_date,
        recorded_at=revision.recorded_at,
        author=revision.author,
        reason=revision.reason,
        source=source_info(revision.source),
        priority_count=len(revision.priorities),
    )


def strategy_state(strategy: Strategy, revision: StrategyRevision) -> StrategyState:
    """A strategy with the revision in effect."""
    return StrategyState(
        code=strategy.code,
        name=strategy.name,
        kind=strategy.kind,
        regions=tuple(r.code for r in strategy.regions),
        version=strategy.version,
        revision=revision.number,
        effective=str(revision.effective),
        source=source_info(revision.source),
        vision=revision.vision,
        status=revision.status.value if revision.status else None,
        period_start=revision.period_start,
        period_end=revision.period_end,
        adopted_on=revision.adopted_on,
    )

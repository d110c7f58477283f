"""Comparing two revisions of a strategy, priority by priority (by identity)."""

from __future__ import annotations

from smartspec.registry.models import Strategy, StrategyRevision
from smartspec.registry.queries import priority_views, revision_info
from smartspec.registry.views import Diff, PriorityChange, PriorityView

__all__ = ["diff_revisions"]

_TEXT_FIELDS = ("label_sv", "label_en", "description")
_OTHER_FIELDS = ("kind", "category", "niches")


def diff_revisions(strategy: Strategy, a: StrategyRevision, b: StrategyRevision) -> Diff:
    """What changed from revision ``a`` to revision ``b`` (in that direction).

    Priorities are matched by identity, not by label: a priority whose normalised label
    differs between the two is *renamed*; one whose label differs only in spelling,
    case or punctuation, or whose English label or description differs, is *reworded*.
    """
    before = {p.priority_id: p for p in priority_views(strategy, a)}
    after = {p.priority_id: p for p in priority_views(strategy, b)}
    renamed: list[PriorityChange] = []
    reworded: list[PriorityChange] = []
    changed: list[PriorityChange] = []
    for pid, new in after.items():
        old = before.get(pid)
        if old is None:
            continue
        text = tuple(f for f in _TEXT_FIELDS if getattr(old, f) != getattr(new, f))
        other = tuple(f for f in _OTHER_FIELDS if getattr(old, f) != getattr(new, f))
        if _key(old) != _key(new):
            renamed.append(PriorityChange(pid, old, new, text))
        elif text:
            reworded.append(PriorityChange(pid, old, new, text))
        if other:
            changed.append(PriorityChange(pid, old, new, other))
    return Diff(
        strategy=strategy.code,
        a=revision_info(strategy, a),
        b=revision_info(strategy, b),
        added=tuple(p for pid, p in after.items() if pid not in before),
        removed=tuple(p for pid, p in before.items() if pid not in after),
        renamed=tuple(renamed),
        reworded=tuple(reworded),
        changed=tuple(changed),
    )


def _key(view: PriorityView) -> str:
    from smartspec.registry.labels import label_key

    return label_key(view.label)

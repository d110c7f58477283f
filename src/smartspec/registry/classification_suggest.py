"""Running the classifier over the current priorities and storing its suggestions.

:func:`suggest_classifications` classifies each current priority's labels with
:func:`smartspec.taxonomy.classify` and stores the best NACE divisions and themes as
``suggested`` rows, following the rules listed in
:mod:`smartspec.registry.classification`: reviewed rows are never changed, and a run
with the same labels and classifier changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from smartspec.errors import InputError
from smartspec.registry.classification_store import (
    _EVIDENCE_SEPARATOR,
    ClassificationView,
    _current,
    _Item,
    _rows,
    _texts,
    _views,
)
from smartspec.registry.models import (
    ClassificationScheme,
    ClassificationStatus,
    PriorityClassification,
)
from smartspec.registry.views import _ToDict
from smartspec.taxonomy import ClassificationResult, classify

if TYPE_CHECKING:
    from smartspec.registry.service import Registry
    from smartspec.taxonomy.classifier import Method

__all__ = ["CLASSIFIER_VERSIONS", "SuggestReport", "classifier_version", "suggest_classifications"]

#: The classifier and the version of its data, per method, as stored in ``method``.
CLASSIFIER_VERSIONS: dict[str, str] = {
    "lexical": "lexical/lexicon_sv_en v1",
    "names": "names/nace_rev2_sni2007",
    "semantic": "semantic/multilingual-e5-small",
    "hybrid": "hybrid/lexicon_sv_en v1+multilingual-e5-small",
}


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class SuggestReport(_ToDict):
    """What :func:`suggest_classifications` did.

    Attributes
    ----------
    method:
        The classifier and its data version (:data:`CLASSIFIER_VERSIONS`).
    priorities:
        How many priorities were classified.
    added, updated, removed, unchanged:
        Unreviewed suggestions stored, brought up to date, dropped (no longer suggested),
        and left as they were.
    reviewed_kept:
        Reviewed rows of those priorities, which a suggestion run never changes.
    classifications:
        Every classification of those priorities after the run.
    """

    method: str
    top: int
    priorities: int
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    reviewed_kept: int = 0
    classifications: tuple[ClassificationView, ...] = field(default=())

    @property
    def changed_anything(self) -> bool:
        """False when the run found every suggestion already stored."""
        return bool(self.added or self.updated or self.removed)


# --------------------------------------------------------------------------- codes


def classifier_version(method: str) -> str:
    """The ``method`` stored with suggestions of a classification method.

    >>> classifier_version("lexical")
    'lexical/lexicon_sv_en v1'
    """
    try:
        return CLASSIFIER_VERSIONS[method]
    except KeyError:
        raise InputError(
            f"unknown classification method {method!r}",
            hint="use " + ", ".join(CLASSIFIER_VERSIONS),
        ) from None


# --------------------------------------------------------------------------- suggesting


_Suggested = dict[tuple[ClassificationScheme, str], tuple[float, tuple[str, ...]]]


def _suggest(
    item: _Item, method: str, top: int, cache: dict[str, ClassificationResult]
) -> tuple[_Suggested, str]:
    """The best ``top`` codes per scheme for a priority's labels, and the text classified."""
    texts = _texts(item)
    best: _Suggested = {}
    for text in texts:
        result = cache.get(text)
        if result is None:
            result = classify(text, top=top, method=cast("Method", method))
            cache[text] = result
        for scheme, found in (
            (ClassificationScheme.NACE, result.nace),
            (ClassificationScheme.THEME, result.themes),
        ):
            for suggestion in found:
                key = (scheme, suggestion.code)
                if key not in best or suggestion.score > best[key][0]:
                    best[key] = (suggestion.score, suggestion.evidence)
    kept: _Suggested = {}
    for scheme in ClassificationScheme:
        ranked = sorted(
            ((code, value) for (sch, code), value in best.items() if sch is scheme),
            key=lambda pair: (-pair[1][0], pair[0]),
        )
        for code, value in ranked[:top]:
            kept[(scheme, code)] = value
    return kept, " | ".join(texts)


def suggest_classifications(
    registry: Registry,
    *,
    region: str | None = None,
    method: str = "lexical",
    top: int = 3,
    overwrite_unreviewed: bool = True,
    author: str | None = None,
) -> SuggestReport:
    """Classify the current priorities and store the suggestions (see the module's rules).

    Parameters
    ----------
    region:
        A region code or name: its own and its joint strategies' current priorities.
        Default: every strategy's current priorities.
    method:
        The classification method of :func:`smartspec.taxonomy.classify`: ``lexical``
        (default), ``names``, ``semantic`` or ``hybrid`` (the last two need
        ``pip install smartspec[semantic]``).
    top:
        How many NACE divisions and how many themes to keep per priority.
    overwrite_unreviewed:
        Bring unreviewed suggestions up to date (default), or only add new codes and
        leave the stored unreviewed suggestions as they are. Reviewed rows are never
        changed either way.
    author:
        Who ran it (default: the registry's user), for the audit log.

    Returns
    -------
    SuggestReport
        The counts, and every classification of the priorities after the run.
    """
    version = classifier_version(method)
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InputError(f"top must be a positive whole number, not {top!r}")
    with registry.session(
        author=author, operation="suggest_classifications", reason=f"classifier {version}"
    ) as s:
        items = _current(s, region)
        existing = _rows(s, (i.priority_id for i in items))
        counts = {"added": 0, "updated": 0, "removed": 0, "unchanged": 0, "reviewed_kept": 0}
        cache: dict[str, ClassificationResult] = {}
        for item in items:
            suggested, text = _suggest(item, method, top, cache)
            rows = {(r.scheme, r.code): r for r in existing[item.priority_id]}
            for key, (score, evidence) in suggested.items():
                row = rows.get(key)
                evidence_text = _EVIDENCE_SEPARATOR.join(evidence) or None
                if row is None:
                    s.add(
                        PriorityClassification(
                            priority_id=item.priority_id,
                            scheme=key[0],
                            code=key[1],
                            score=score,
                            method=version,
                            evidence=evidence_text,
                            source_text=text,
                            status=ClassificationStatus.SUGGESTED,
                            created_at=s.info["now"],
                        )
                    )
                    counts["added"] += 1
                elif row.reviewed:
                    continue
                elif overwrite_unreviewed and _assign(
                    row, score=score, method=version, evidence=evidence_text, source_text=text
                ):
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1
            for key, row in rows.items():
                if row.reviewed:
                    counts["reviewed_kept"] += 1
                elif key not in suggested:
                    if overwrite_unreviewed:
                        s.delete(row)
                        counts["removed"] += 1
                    else:
                        counts["unchanged"] += 1
        s.flush()
        views = _views(s, items)
    return SuggestReport(
        method=version, top=top, priorities=len(items), classifications=tuple(views), **counts
    )


def _assign(row: PriorityClassification, **values: object) -> bool:
    """Set the values that differ; True if any did."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed

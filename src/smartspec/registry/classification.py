"""Classifying priorities: suggested NACE divisions and themes, reviewed by an editor.

For every current priority, :func:`suggest_classifications` asks
:func:`smartspec.taxonomy.classify` for (a) NACE Rev. 2 divisions and (b) cross-cutting
themes (:func:`smartspec.taxonomy.themes`), each with a confidence score and evidence,
and stores them as ``suggested`` :class:`~smartspec.registry.models.PriorityClassification`
rows. An editor then reviews them: :func:`review` accepts or rejects one suggestion,
:func:`correct` sets the full list of codes of one scheme (listed suggestions become
``accepted``, listed codes that were not suggested are ``added``, every other row of the
scheme is ``rejected``). :func:`pending_review` and :func:`review_status` say what still
needs a look.

Rules
-----
- The text classified is the priority's label in the current revision (the latest
  effective one): the Swedish label, and the English label if there is one. Each label
  is classified on its own and, per code, the higher score is kept (so a concept named
  in both languages is not counted twice); the best ``top`` codes per scheme are stored.
- A new suggestion run **never changes a reviewed row** (accepted, rejected, added).
  With ``overwrite_unreviewed`` (the default) it brings the unreviewed suggestions up to
  date: new codes are added, changed scores and evidence are updated, and unreviewed
  suggestions the classifier no longer makes are removed. Running it again with the same
  labels and classifier changes nothing (and writes no audit entry).
- Every write is one audited transaction (operations ``suggest_classifications``,
  ``review_classification``, ``correct_classifications``).
- Classifications describe a priority; they are not part of the published strategy.
  So they record **no strategy revision** and do not change the strategy's ``version``
  (an editor classifying a priority never conflicts with one editing the strategy); the
  audit log keeps their history.

>>> import tempfile, pathlib
>>> from smartspec.registry import open_registry
>>> with tempfile.TemporaryDirectory() as folder:
...     with open_registry(pathlib.Path(folder) / "r.sqlite", user="doctest") as reg:
...         _ = reg.load_bundled()
...         report = suggest_classifications(reg, region="SE211")
...         food = [c for c in classifications(reg, "SE211")
...                 if c.label == "Livsmedel och livsmedelsförädling" and c.scheme == "nace"]
...         print([(c.code, c.score, c.status.value) for c in food])
[('10', 1.0, 'suggested'), ('11', 0.792, 'suggested'), ('01', 0.7, 'suggested')]
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry.models import (
    ClassificationScheme,
    ClassificationStatus,
    Priority,
    PriorityClassification,
    RevisionPriority,
    Strategy,
    StrategyKind,
    StrategyRevision,
)
from smartspec.registry.queries import find_region, region_strategies, revision_in_effect
from smartspec.registry.views import _ToDict
from smartspec.taxonomy import ClassificationResult, classify

if TYPE_CHECKING:
    from smartspec.registry.service import Registry
    from smartspec.taxonomy.classifier import Method

__all__ = [
    "CLASSIFIER_VERSIONS",
    "ClassificationView",
    "ReviewStatus",
    "SuggestReport",
    "classifications",
    "classifier_version",
    "code_name",
    "correct",
    "normalize_code",
    "pending_review",
    "review",
    "review_status",
    "suggest_classifications",
]

#: The classifier and the version of its data, per method, as stored in ``method``.
CLASSIFIER_VERSIONS: dict[str, str] = {
    "lexical": "lexical/lexicon_sv_en v1",
    "names": "names/nace_rev2_sni2007",
    "semantic": "semantic/multilingual-e5-small",
    "hybrid": "hybrid/lexicon_sv_en v1+multilingual-e5-small",
}

_EVIDENCE_SEPARATOR = "\n"
_STATUS_ORDER = {
    ClassificationStatus.ACCEPTED: 0,
    ClassificationStatus.ADDED: 1,
    ClassificationStatus.SUGGESTED: 2,
    ClassificationStatus.REJECTED: 3,
}
_SCHEME_ORDER = {ClassificationScheme.NACE: 0, ClassificationScheme.THEME: 1}
_IN_FORCE = (ClassificationStatus.ACCEPTED, ClassificationStatus.ADDED)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class ClassificationView(_ToDict):
    """One classification of a priority, as stored.

    Attributes
    ----------
    priority_id:
        The priority's stable id (what ``accept``/``reject``/``set-codes`` take).
    label:
        The priority's label in the latest revision stating it.
    strategy, joint:
        The priority's strategy, and whether it is a joint one.
    scheme, code, name:
        ``nace`` and a division (``"10"``, named in English) or ``theme`` and a theme id.
    score:
        The classifier's score in [0, 1]; ``None`` for an editor's addition.
    method:
        The classifier and its data version (``None`` for an editor's addition).
    evidence:
        Why the classifier suggested it.
    source_text:
        The priority's labels when the code was suggested or added.
    status:
        ``suggested``, ``accepted``, ``rejected`` or ``added``.
    """

    priority_id: int
    label: str
    strategy: str
    joint: bool
    scheme: ClassificationScheme
    code: str
    name: str
    score: float | None
    method: str | None
    evidence: tuple[str, ...]
    source_text: str | None
    status: ClassificationStatus
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    created_at: dt.datetime

    @property
    def reviewed(self) -> bool:
        """True once an editor has reviewed it."""
        return self.status is not ClassificationStatus.SUGGESTED

    @property
    def in_force(self) -> bool:
        """True for the codes the priority has after review: accepted or added."""
        return self.status in _IN_FORCE


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


@dataclass(frozen=True)
class ReviewStatus(_ToDict):
    """How far the review of one priority's classifications has come.

    Attributes
    ----------
    pending:
        Suggestions not yet reviewed.
    reviewed:
        Rows an editor has reviewed (accepted, rejected or added).
    nace, themes:
        The codes in force: accepted or added.
    """

    priority_id: int
    label: str
    strategy: str
    joint: bool
    pending: int
    reviewed: int
    nace: tuple[str, ...]
    themes: tuple[str, ...]

    @property
    def state(self) -> Literal["unclassified", "pending", "reviewed"]:
        """``unclassified`` (no rows), ``pending`` (suggestions to review) or ``reviewed``."""
        if self.pending:
            return "pending"
        return "reviewed" if self.reviewed else "unclassified"


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


def _scheme(scheme: ClassificationScheme | str) -> ClassificationScheme:
    text = str(getattr(scheme, "value", scheme)).strip().lower()
    aliases = {"nace": "nace", "division": "nace", "theme": "theme", "themes": "theme"}
    if text not in aliases:
        raise InputError(f"unknown classification scheme {scheme!r}", hint="use nace or theme")
    return ClassificationScheme(aliases[text])


def normalize_code(scheme: ClassificationScheme | str, code: str) -> str:
    """The stored form of a NACE division or theme id; a clear error if it is neither.

    A NACE division may be given with its section letter (``C10`` is ``10``); a theme by
    its id in any case or by its English or Swedish name.

    Raises
    ------
    UnknownCodeError
        For a code that is not a NACE division or bundled theme, with the closest ones.
    InputError
        For a NACE code of another level (a section, group or class), with the
        division(s) to use instead.

    Examples
    --------
    >>> normalize_code("nace", "C10"), normalize_code("theme", "Livsmedel")
    ('10', 'food')
    >>> normalize_code("nace", "10.1")
    Traceback (most recent call last):
    ...
    smartspec.errors.InputError: NACE code '10.1' is a group, not a division (use its division 10)
    """
    kind = _scheme(scheme)
    text = code.strip() if isinstance(code, str) else ""
    if kind is ClassificationScheme.NACE:
        return _nace_division(text, code)
    return _theme_id(text, code)


def _nace_division(text: str, given: str) -> str:
    from smartspec.taxonomy import is_nace_code, nace_codes, nace_level, nace_name, normalize_nace

    divisions = nace_codes(2)
    if text and is_nace_code(text):
        canonical = normalize_nace(text)
        if canonical in divisions:
            return canonical
        level = nace_level(text)
        if level >= 3:
            division = canonical.split(".")[0]
            what = {3: "group", 4: "class", 5: "SNI detail group"}[level]
            raise InputError(
                f"NACE code {given!r} is a {what}, not a division",
                hint=f"use its division {division}",
            )
        if level == 1 and len(canonical) == 1:
            from smartspec.taxonomy import nace_parent

            inside = [d for d in divisions if nace_parent(d) == canonical]
            raise InputError(
                f"NACE code {given!r} is a section, not a division",
                hint="use one or more of its divisions: " + ", ".join(inside),
            )
        raise InputError(
            f"NACE code {given!r} is an aggregate, not a division",
            hint="give the divisions one by one",
        )
    close = difflib.get_close_matches(text, divisions, n=3, cutoff=0.5) if text else []
    if text and any(ch.isalpha() for ch in text):
        close = [*_classified(text, ClassificationScheme.NACE), *close]
    names = [f"{c} ({nace_name(c)})" for c in dict.fromkeys(close)][:3]
    raise UnknownCodeError("NACE division", given, names)


def _theme_id(text: str, given: str) -> str:
    from smartspec.taxonomy import themes

    bundled = themes()
    wanted = text.casefold()
    for theme in bundled:
        if wanted in {theme.id.casefold(), theme.name_en.casefold(), theme.name_sv.casefold()}:
            return theme.id
    names = {t.id: t.name_en for t in bundled}
    lookup = {t.id: t.id for t in bundled}
    lookup.update({t.name_en.casefold(): t.id for t in bundled})
    lookup.update({t.name_sv.casefold(): t.id for t in bundled})
    close = [lookup[m] for m in difflib.get_close_matches(wanted, list(lookup), n=3, cutoff=0.5)]
    if text:
        close = [*close, *_classified(text, ClassificationScheme.THEME)]
    suggestions = [f"{c} ({names[c]})" for c in dict.fromkeys(close) if c in names][:3]
    raise UnknownCodeError("theme", given, suggestions)


def _classified(text: str, scheme: ClassificationScheme) -> list[str]:
    """The codes the lexical classifier suggests for a word given instead of a code."""
    try:
        result = classify(text, top=3)
    except InputError:  # pragma: no cover - text is not empty here
        return []
    found = result.nace if scheme is ClassificationScheme.NACE else result.themes
    return [s.code for s in found]


def code_name(scheme: ClassificationScheme | str, code: str) -> str:
    """The English name of a NACE division or theme (the code itself if unknown).

    >>> code_name("nace", "10"), code_name("theme", "food")
    ('Manufacture of food products', 'Food')
    """
    from smartspec.taxonomy import is_nace_code, nace_name
    from smartspec.taxonomy.themes import themes

    if _scheme(scheme) is ClassificationScheme.NACE:
        return nace_name(code) if is_nace_code(code) else code
    return next((t.name_en for t in themes() if t.id == code), code)


# --------------------------------------------------------------------------- priorities


@dataclass(frozen=True)
class _Item:
    """A priority as its latest statement names it."""

    priority_id: int
    strategy: str
    joint: bool
    label: str
    label_sv: str | None
    label_en: str | None


def _all_strategies(s: Session) -> list[Strategy]:
    strategies = s.scalars(sa.select(Strategy)).all()
    return sorted(strategies, key=lambda st: (st.kind is not StrategyKind.REGIONAL, st.code))


def _current(s: Session, region: str | None) -> list[_Item]:
    """The priorities of the current revisions, of one region's strategies or of all."""
    strategies = (
        _all_strategies(s) if region is None else region_strategies(s, find_region(s, region))
    )
    items: dict[int, _Item] = {}
    for strategy in strategies:
        revision = revision_in_effect(s, strategy)
        if revision is None:
            continue
        for row in revision.priorities:
            items.setdefault(row.priority_id, _item(strategy, row))
    return list(items.values())


def _item(strategy: Strategy, row: RevisionPriority) -> _Item:
    return _Item(
        priority_id=row.priority_id,
        strategy=strategy.code,
        joint=strategy.is_joint,
        label=row.label,
        label_sv=row.label_sv,
        label_en=row.label_en,
    )


def _one(s: Session, priority_id: int) -> _Item:
    """A priority by id, named by the latest revision that states it."""
    if isinstance(priority_id, bool) or not isinstance(priority_id, int):
        raise InputError(f"a priority id is a whole number, not {priority_id!r}")
    priority = s.get(Priority, priority_id)
    row = None
    if priority is not None:
        row = s.scalar(
            sa.select(RevisionPriority)
            .join(StrategyRevision, StrategyRevision.id == RevisionPriority.revision_id)
            .where(RevisionPriority.priority_id == priority_id)
            .order_by(StrategyRevision.effective_date.desc(), StrategyRevision.number.desc())
            .limit(1)
        )
    if priority is None or row is None:
        raise UnknownCodeError(
            "priority",
            str(priority_id),
            context="(priority ids are shown by `smartspec registry show REGION --ids`)",
        )
    strategy = s.get_one(Strategy, priority.strategy_id)
    return _item(strategy, row)


def _scope(s: Session, priority_or_region: int | str | None) -> list[_Item]:
    if priority_or_region is None:
        return _current(s, None)
    if isinstance(priority_or_region, int) and not isinstance(priority_or_region, bool):
        return [_one(s, priority_or_region)]
    text = str(priority_or_region).strip()
    if text.isdigit():
        return [_one(s, int(text))]
    return _current(s, text)


def _rows(s: Session, ids: Iterable[int]) -> dict[int, list[PriorityClassification]]:
    wanted = list(ids)
    out: dict[int, list[PriorityClassification]] = {pid: [] for pid in wanted}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = sa.select(PriorityClassification).where(
            PriorityClassification.priority_id.in_(chunk)
        )
        for row in s.scalars(query):
            out[row.priority_id].append(row)
    return out


def _view(item: _Item, row: PriorityClassification) -> ClassificationView:
    return ClassificationView(
        priority_id=item.priority_id,
        label=item.label,
        strategy=item.strategy,
        joint=item.joint,
        scheme=row.scheme,
        code=row.code,
        name=code_name(row.scheme, row.code),
        score=row.score,
        method=row.method,
        evidence=tuple(row.evidence.split(_EVIDENCE_SEPARATOR)) if row.evidence else (),
        source_text=row.source_text,
        status=row.status,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
        created_at=row.created_at,
    )


def _order(row: PriorityClassification) -> tuple[int, int, float, str]:
    return (
        _SCHEME_ORDER[row.scheme],
        _STATUS_ORDER[row.status],
        -(row.score if row.score is not None else -1.0),
        row.code,
    )


def _views(s: Session, items: Sequence[_Item]) -> list[ClassificationView]:
    rows = _rows(s, (i.priority_id for i in items))
    return [
        _view(item, row) for item in items for row in sorted(rows[item.priority_id], key=_order)
    ]


# --------------------------------------------------------------------------- suggesting


def _texts(item: _Item) -> list[str]:
    """The texts classified for a priority: its Swedish label, then its English one."""
    labels = (item.label_sv, item.label_en)
    return list(dict.fromkeys(t.strip() for t in labels if t and t.strip()))


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


# --------------------------------------------------------------------------- reading


def classifications(
    registry: Registry, priority_or_region: int | str | None = None
) -> list[ClassificationView]:
    """The stored classifications of a priority (by id) or of a region's current priorities.

    A region (code or name) gives its own and its joint strategies' current priorities,
    in published order; ``None`` every current priority. Per priority: NACE divisions,
    then themes; accepted, added, suggested, then rejected; by score.
    """
    with registry.session(operation="read") as s:
        return _views(s, _scope(s, priority_or_region))


def pending_review(registry: Registry, region: str | None = None) -> list[ClassificationView]:
    """The suggestions still awaiting review, of a region's current priorities (or all)."""
    with registry.session(operation="read") as s:
        views = _views(s, _current(s, region))
    return [v for v in views if not v.reviewed]


def review_status(registry: Registry, region: str | None = None) -> list[ReviewStatus]:
    """Per current priority of a region (or of all): what is pending, what is in force."""
    with registry.session(operation="read") as s:
        items = _current(s, region)
        rows = _rows(s, (i.priority_id for i in items))
        out = []
        for item in items:
            mine = sorted(rows[item.priority_id], key=_order)
            out.append(
                ReviewStatus(
                    priority_id=item.priority_id,
                    label=item.label,
                    strategy=item.strategy,
                    joint=item.joint,
                    pending=sum(not r.reviewed for r in mine),
                    reviewed=sum(r.reviewed for r in mine),
                    nace=tuple(
                        r.code
                        for r in mine
                        if r.scheme is ClassificationScheme.NACE and r.status in _IN_FORCE
                    ),
                    themes=tuple(
                        r.code
                        for r in mine
                        if r.scheme is ClassificationScheme.THEME and r.status in _IN_FORCE
                    ),
                )
            )
        return out


# --------------------------------------------------------------------------- reviewing


def review(
    registry: Registry,
    priority_id: int,
    scheme: ClassificationScheme | str,
    code: str,
    *,
    accept: bool,
    reviewer: str | None = None,
    reason: str | None = None,
) -> ClassificationView:
    """Accept or reject one stored classification of a priority.

    Accepting an editor's addition keeps it ``added``. Reviewing again with the same
    outcome changes nothing; the other outcome replaces the earlier review.

    Parameters
    ----------
    reviewer:
        Who reviewed (default: the registry's user); recorded on the row and as the
        actor in the audit log.

    Raises
    ------
    UnknownCodeError
        For an unknown priority, NACE division or theme.
    InputError
        If the code is valid but the priority has no such classification (to add a
        code, use :func:`correct`).
    """
    kind = _scheme(scheme)
    wanted = normalize_code(kind, code)
    with registry.session(author=reviewer, operation="review_classification", reason=reason) as s:
        item = _one(s, priority_id)
        rows = {r.code: r for r in _rows(s, [priority_id])[priority_id] if r.scheme is kind}
        row = rows.get(wanted)
        if row is None:
            stored = ", ".join(sorted(rows)) or "none"
            raise InputError(
                f"priority {priority_id} ({item.label}) has no {kind.value} classification "
                f"{wanted!r}",
                hint=f"its {kind.value} codes are {stored}; to add one, set the priority's "
                "codes with correct() or `smartspec registry set-codes`",
            )
        if not accept:
            target = ClassificationStatus.REJECTED
        elif row.score is None:  # an editor's addition stays one
            target = ClassificationStatus.ADDED
        else:
            target = ClassificationStatus.ACCEPTED
        if row.status is not target:
            row.status = target
            row.reviewed_by = reviewer or registry.user
            row.reviewed_at = s.info["now"]
        s.flush()
        return _view(item, row)


def correct(
    registry: Registry,
    priority_id: int,
    scheme: ClassificationScheme | str,
    *,
    codes: Sequence[str],
    reviewer: str | None = None,
    reason: str | None = None,
) -> list[ClassificationView]:
    """Set the NACE divisions (or themes) of a priority: the editor's correction.

    The listed codes are in force afterwards: a stored suggestion becomes ``accepted``,
    a code that was not suggested is ``added`` (no score). Every other row of the scheme
    is ``rejected``. An empty list rejects them all. Rows whose status does not change
    keep their earlier review; so setting the same list again changes nothing.

    Raises
    ------
    UnknownCodeError, InputError
        For an unknown priority or an invalid code (the closest codes are suggested);
        all codes are checked first, so nothing is written.

    Returns
    -------
    list[ClassificationView]
        The priority's classifications of that scheme after the correction.
    """
    kind = _scheme(scheme)
    if isinstance(codes, str):
        codes = [codes]
    wanted = list(dict.fromkeys(normalize_code(kind, c) for c in codes))
    with registry.session(author=reviewer, operation="correct_classifications", reason=reason) as s:
        item = _one(s, priority_id)
        who = reviewer or registry.user
        now = s.info["now"]
        rows = {r.code: r for r in _rows(s, [priority_id])[priority_id] if r.scheme is kind}
        for code in wanted:
            row = rows.get(code)
            if row is None:
                row = PriorityClassification(
                    priority_id=priority_id,
                    scheme=kind,
                    code=code,
                    score=None,
                    method=None,
                    evidence=None,
                    source_text=" | ".join(_texts(item)),
                    status=ClassificationStatus.ADDED,
                    reviewed_by=who,
                    reviewed_at=now,
                    created_at=now,
                )
                s.add(row)
                rows[code] = row
                continue
            target = (
                ClassificationStatus.ACCEPTED
                if row.score is not None
                else ClassificationStatus.ADDED
            )
            if row.status is not target:
                row.status, row.reviewed_by, row.reviewed_at = target, who, now
        for code, row in rows.items():
            if code not in wanted and row.status is not ClassificationStatus.REJECTED:
                row.status = ClassificationStatus.REJECTED
                row.reviewed_by, row.reviewed_at = who, now
        s.flush()
        return [_view(item, r) for r in sorted(rows.values(), key=_order)]

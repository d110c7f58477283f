"""The review queue: what awaits review, and an editor's accept, reject and set-codes.

:func:`pending_review` and :func:`review_status` say what still needs a look;
:func:`review` accepts or rejects one suggestion; :func:`correct` sets the full list of
codes of one scheme (listed suggestions become ``accepted``, listed codes that were not
suggested are ``added``, every other row of the scheme is ``rejected``). Each write is
one audited transaction and records no strategy revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from smartspec.errors import InputError
from smartspec.registry.classification_codes import _scheme, normalize_code
from smartspec.registry.classification_store import (
    _IN_FORCE,
    ClassificationView,
    _current,
    _one,
    _order,
    _rows,
    _texts,
    _view,
    _views,
)
from smartspec.registry.models import (
    ClassificationScheme,
    ClassificationStatus,
    PriorityClassification,
)
from smartspec.registry.views import _ToDict

if TYPE_CHECKING:
    from smartspec.registry.service import Registry

__all__ = ["ReviewStatus", "correct", "pending_review", "review", "review_status"]


# --------------------------------------------------------------------------- views


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


# --------------------------------------------------------------------------- reading


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

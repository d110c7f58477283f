"""The follow-up report of a strategy: one printable, self-contained HTML page.

What it shows (one section each, a page break between sections when printed on A4):

1. the strategy: region(s), period, vision, status, the revision in effect and its source;
2. the current priorities by kind (strength areas, development areas, cross-cutting,
   joint areas), each with the source that lists it now and since when it is listed;
3. the revision history;
4. the indicators with baseline, target, latest measurement and status (the rule of
   :mod:`smartspec.registry.monitoring`);
5. the latest follow-up notes and evaluations;
6. the latest self-assessment with the RIS3 wheel (6 steps × 3 critical factors);

and a footer with its provenance: when it was generated, by which smartspec version,
from which revision of the strategy and which registry schema.

The page has no external resources (inline CSS, no scripts, no fonts or images to
fetch); every text from the registry is HTML-escaped (Jinja autoescaping); links are
made only of ``http``/``https`` URLs.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from smartspec._version import __version__

if TYPE_CHECKING:
    from jinja2 import Environment

    from smartspec.registry.monitoring import MonitoringRule, StrategyReview
    from smartspec.registry.service import Registry

__all__ = ["KIND_TITLES", "followup_report", "render_followup", "write_followup_report"]

#: Section titles of the priority kinds, in the order the report lists them.
KIND_TITLES: dict[str, str] = {
    "strength_area": "Strength areas (styrkeområden)",
    "development_area": "Development areas (utvecklingsområden)",
    "cross_cutting": "Cross-cutting factors (tvärgående)",
    "joint_area": "Joint areas",
}

#: What the wheel's scores mean.
SCORE_MEANINGS: dict[int, str] = {
    0: "no information",
    1: "poor",
    2: "to be improved",
    3: "fair",
    4: "strong",
    5: "excellent",
}


def _number(value: float | None) -> str:
    """A number for people: thousands separated, at most two decimals.

    >>> _number(1234.5), _number(200.0), _number(0.125), _number(None)
    ('1,234.5', '200', '0.12', '–')
    """
    if value is None:
        return "–"
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent(value: float | None) -> str:
    """A share as a percentage.

    >>> _percent(0.456), _percent(None)
    ('46 %', '–')
    """
    return "–" if value is None else f"{value * 100:.0f} %"


def _safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else ``None`` (no ``javascript:`` links).

    >>> _safe_url("https://example.org/a"), _safe_url("javascript:alert(1)")
    ('https://example.org/a', None)
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("smartspec.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = _number
    env.filters["percent"] = _percent
    env.filters["safe_url"] = _safe_url
    env.filters["utc"] = _utc
    return env


def _context(review: StrategyReview, generated_at: dt.datetime, tolerance: float) -> dict[str, Any]:
    groups: list[tuple[str, list[Any]]] = []
    for kind, title in KIND_TITLES.items():
        items = [p for p in review.priorities if p.kind.value == kind]
        if items:
            groups.append((title, items))
    others = [p for p in review.priorities if p.kind.value not in KIND_TITLES]
    if others:  # pragma: no cover - every kind has a title
        groups.append(("Other priorities", others))
    cited: dict[str, Any] = {}
    for info in [*review.history]:
        if info.source is not None:
            cited.setdefault(info.source.key, info.source)
    step_rows = []
    if review.assessment is not None:
        a = review.assessment
        for number, title in enumerate(review.steps, start=1):
            cells = []
            for factor in (1, 2, 3):
                cells.append(
                    {
                        "score": a.scores.get((number, factor)),
                        "label": a.factor_labels.get((number, factor)),
                        "comment": a.comments.get((number, factor)),
                    }
                )
            step_rows.append(
                {"number": number, "title": title, "cells": cells, "mean": a.step_mean(number)}
            )
    counts: dict[str, int] = {}
    for status in review.indicators:
        counts[status.status.value] = counts.get(status.status.value, 0) + 1
    return {
        "r": review,
        "groups": groups,
        "sources": list(cited.values()),
        "step_rows": step_rows,
        "score_meanings": SCORE_MEANINGS,
        "status_counts": counts,
        "tolerance": tolerance,
        "generated_at": generated_at,
        "version": __version__,
        "current_revision": review.state.revision if review.state else None,
    }


def render_followup(
    review: StrategyReview,
    *,
    generated_at: dt.datetime | None = None,
    tolerance: float | None = None,
) -> str:
    """The follow-up report of a reviewed strategy as an HTML document.

    Parameters
    ----------
    review:
        What :func:`smartspec.registry.monitoring.strategy_review` gathered.
    generated_at:
        The time printed in the footer (default: now).
    tolerance:
        The status rule's tolerance, as stated under the indicator table (default: that
        of :class:`~smartspec.registry.monitoring.MonitoringRule`).

    Returns
    -------
    str
        A complete HTML5 document with inline CSS and no external resources.
    """
    from smartspec.registry.monitoring import MonitoringRule

    moment = generated_at or dt.datetime.now(dt.UTC)
    rule_tolerance = MonitoringRule().tolerance if tolerance is None else tolerance
    template = _environment().get_template("followup.html")
    return template.render(_context(review, moment, rule_tolerance))


def followup_report(
    registry: Registry,
    strategy: str,
    *,
    at: dt.date | str | None = None,
    rule: MonitoringRule | None = None,
    generated_at: dt.datetime | None = None,
) -> str:
    """Gather and render the follow-up report of a strategy.

    Parameters
    ----------
    strategy:
        A strategy code (e.g. of a joint strategy), or a region code or name (the
        region's own strategy).
    at:
        The day the report describes (default today).
    rule:
        The indicator status rule (default :class:`MonitoringRule()`).
    generated_at:
        The time printed in the footer (default: now).
    """
    from smartspec.registry.monitoring import MonitoringRule, strategy_review

    rule = rule or MonitoringRule()
    review = strategy_review(registry, strategy, at=at, rule=rule)
    return render_followup(review, generated_at=generated_at, tolerance=rule.tolerance)


def write_followup_report(
    registry: Registry,
    strategy: str,
    out: str | os.PathLike[str],
    *,
    at: dt.date | str | None = None,
    rule: MonitoringRule | None = None,
    force: bool = False,
) -> Path:
    """Write the follow-up report to ``out`` (atomically; an existing file needs ``force``).

    Returns
    -------
    Path
        The file written.
    """
    from smartspec.registry.flat_export import check_target, write_atomic

    path = Path(out)
    check_target(path, force=force)
    html = followup_report(registry, strategy, at=at, rule=rule)

    def write(tmp: Path) -> None:
        tmp.write_text(html, encoding="utf-8")

    write_atomic(path, write, force=force)
    return path

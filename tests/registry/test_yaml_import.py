"""YAML import: specific validation errors, all-or-nothing, idempotent, renames."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from smartspec.errors import InputError
from smartspec.registry import PriorityKind, Registry

GOOD = """
sources:
  s1:
    title: Strategi 1
    date: 2020-03
  s2:
    title: Strategi 2
    date: 2022-05-09
revisions:
  - source: s1
    priorities:
      SE211: [Skog, "Hälsa, vård", Besöksnäring]
  - source: s2
    priorities:
      SE211:
        - Skog
        - {label: Hälsa och vård, same_as: "Hälsa, vård"}
        - {label: Tjänstedesign, kind: cross_cutting, niches: [Digitala tjänster]}
"""


def write(tmp_path: Path, text: str, name: str = "priorities.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def regions(registry: Registry) -> Registry:
    registry.load_bundled()
    return registry


def test_import_with_same_as_rename(regions: Registry, tmp_path: Path) -> None:
    # the bundled SE211 revisions come first; this file adds two more (2020-03, 2022-05-09)
    report = regions.import_yaml(write(tmp_path, GOOD), author="importer")
    assert report.revisions_added == 2
    assert report.sources_added == 2
    assert report.revised == ("SE211#4 (s1)", "SE211#5 (s2)")
    diff = regions.diff("SE211", 4, 5)
    assert [(c.before.label, c.after.label) for c in diff.renamed] == [
        ("Hälsa, vård", "Hälsa och vård")
    ]
    assert [p.label for p in diff.removed] == ["Besöksnäring"]
    # "Tjänstedesign" was a strength area in the bundled 2019 revisions, not in s1
    assert [(p.label, p.kind) for p in diff.added] == [
        ("Tjänstedesign", PriorityKind.CROSS_CUTTING)
    ]
    assert regions.diff("SE211", 2, 5).changed[0].fields == ("kind", "niches")
    shown = regions.show("SE211")
    assert shown.labels(PriorityKind.CROSS_CUTTING) == ["Tjänstedesign"]
    assert shown.priorities[-1].niches == ("Digitala tjänster",)
    # the priority "Besöksnäring" of the bundled revisions is the same priority as in s1
    bundled_ids = {
        p.label: p.priority_id for p in regions.show("SE211", at="2020-01-01").priorities
    }
    s1_ids = {p.label: p.priority_id for p in regions.show("SE211", at="2020-03").priorities}
    assert s1_ids["Besöksnäring"] == bundled_ids["Besöksnäring"]
    history = regions.history("SE211")
    assert [h.author for h in history][-2:] == ["importer", "importer"]
    assert history[-1].reason == "imported from priorities.yaml (source s2)"


def test_import_twice_changes_nothing(regions: Registry, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    regions.import_yaml(path)
    before = regions.export_json()
    report = regions.import_yaml(path)
    assert not report.changed_anything
    assert report.revisions_unchanged == 2
    assert regions.export_json() == before


def test_a_corrected_source_adds_a_revision(regions: Registry, tmp_path: Path) -> None:
    regions.import_yaml(write(tmp_path, GOOD))
    fixed = GOOD.replace("title: Strategi 2", "title: Strategi 2 (rättad)").replace(
        "- Skog\n", "- Skogsnäring\n"
    )
    report = regions.import_yaml(write(tmp_path, fixed))
    assert report.sources_updated == 1
    assert report.revisions_added == 1
    assert regions.show("SE211").labels()[0] == "Skogsnäring"


def test_regions_declared_in_the_file(registry: Registry, tmp_path: Path) -> None:
    text = """
    regions:
      NO082: Oslo
      NO081: Akershus
    sources:
      oslo: {title: Oslo S3, date: 2021, language: en}
    revisions:
      - source: oslo
        priorities:
          NO082: [Health tech, Green shipping]
        joint:
          regions: [NO082, NO081]
          code: OSLO-REGION
          name: Osloregionen
          priorities: [Smart cities]
    """
    report = registry.import_yaml(write(tmp_path, text))
    assert report.regions_added == 2
    assert report.strategies_added == 2
    shown = registry.show("NO082")
    assert [p.label_en for p in shown.priorities] == [
        "Health tech",
        "Green shipping",
        "Smart cities",
    ]
    assert shown.strategies[1].name == "Osloregionen"
    assert registry.show("Akershus").labels(joint=True) == ["Smart cities"]


BAD_CASES = [
    pytest.param(
        GOOD.replace("SE211: [Skog", "SE219: [Skog"),
        r"priorities.yaml: revision 1 \(source 's1'\), priorities: unknown region 'SE219' "
        r"\(did you mean SE211 \(Jönköpings län\), SE212 \(Kronobergs län\) or SE213 "
        r"\(Kalmar län\)\? Regions must be in the registry",
        id="unknown-region",
    ),
    pytest.param(
        GOOD.replace("  - source: s2\n", "  - date: 2022\n"),
        r"priorities.yaml: revision 2 has no source \(every revision names its source",
        id="missing-source",
    ),
    pytest.param(
        GOOD.replace("  - source: s2\n", "  - source: s3\n"),
        r"revision 2 \(source 's3'\): source 's3' is not defined under 'sources' "
        r"\(defined sources are s1, s2\)",
        id="undefined-source",
    ),
    pytest.param(
        GOOD.replace("kind: cross_cutting", "kind: weakness"),
        r"revision 2 \(source 's2'\), priorities, region SE211, priority 3 "
        r"\('Tjänstedesign'\): unknown kind 'weakness' \(use one of strength_area, "
        r"development_area, cross_cutting, joint_area\)",
        id="unknown-kind",
    ),
    pytest.param(
        GOOD.replace('"Hälsa, vård", Besöksnäring', '"Hälsa, vård", ""'),
        r"revision 1 \(source 's1'\), priorities, region SE211, priority 3: the label is empty",
        id="empty-label",
    ),
    pytest.param(
        GOOD.replace("{label: Tjänstedesign,", "{label: '  ',"),
        r"region SE211, priority 3: the label is empty",
        id="blank-label-in-mapping",
    ),
    pytest.param(
        GOOD.replace("[Skog, ", "[Skog, skog!, "),
        r"revision 1 \(source 's1'\), region SE211: priority 2 \('skog!'\) is the same "
        r"priority as priority 1",
        id="duplicate",
    ),
    pytest.param(
        GOOD.replace('same_as: "Hälsa, vård"', "same_as: Hälsa"),
        r"same_as 'Hälsa' names no earlier priority of strategy SE211",
        id="same-as-unknown",
    ),
    pytest.param(
        GOOD.replace("title: Strategi 2\n", "titel: Strategi 2\n"),
        r"source 's2': unknown field 'titel' \(allowed fields are date, date_inferred",
        id="misspelt-field",
    ),
    pytest.param(
        GOOD.replace("date: 2020-03", "date: March 2020"),
        r"source 's1': date: 'March 2020' is not a date \(write a year",
        id="bad-date",
    ),
    pytest.param(
        GOOD.replace("[Skog, ", "[yes, "),
        r"priority 1: label_sv must be text, not the truth value True \(put it in quotes\)",
        id="yaml-boolean",
    ),
    pytest.param(
        GOOD.replace(
            "    priorities:\n      SE211:\n        - Skog",
            "    prio:\n      SE211:\n        - Skog",
        ),
        r"revision 2 \(source 's2'\): unknown field 'prio'",
        id="unknown-section",
    ),
    pytest.param(
        GOOD.replace('SE211: [Skog, "Hälsa, vård", Besöksnäring]', "SE211: {Svagheter: [Skog]}"),
        r"priority 1 \('Skog'\): cannot tell the kind from the heading 'Svagheter'",
        id="unknown-heading",
    ),
    pytest.param("sources: [1, 2", r"priorities.yaml, row 1: not valid YAML", id="not-yaml"),
]


@pytest.mark.parametrize(("text", "message"), BAD_CASES)
def test_bad_file_fails_with_a_specific_message_and_changes_nothing(
    shared_bundled: Registry, tmp_path: Path, text: str, message: str
) -> None:
    before = shared_bundled.export_json()
    with pytest.raises(InputError, match=message):
        shared_bundled.import_yaml(write(tmp_path, text))
    assert shared_bundled.export_json() == before


def test_an_error_late_in_the_file_rolls_back_everything(
    shared_bundled: Registry, tmp_path: Path
) -> None:
    """Validation passes, but writing the 2nd revision fails: the 1st is rolled back too."""
    text = GOOD.replace(
        '{label: Hälsa och vård, same_as: "Hälsa, vård"}',
        '{label: Skog och trä, same_as: "Hälsa, vård"}',
    ).replace("- Skog\n", "- Skog och trä\n")
    before = shared_bundled.export_json()
    with pytest.raises(InputError, match="same priority as priority 1"):
        shared_bundled.import_yaml(write(tmp_path, text))
    assert shared_bundled.export_json() == before


def test_missing_file(registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        registry.import_yaml(tmp_path / "nope.yaml")

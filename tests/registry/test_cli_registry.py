"""`smartspec registry …`: every command on a data directory with the bundled map (SQLite).

The commands call the registry API, which the other registry tests run on SQLite and
PostgreSQL; the command line always uses ``registry.sqlite`` in the data directory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

import smartspec
from smartspec import cli
from smartspec.cli_registry import EMPTY_MESSAGE, registry_app
from smartspec.config import data_dir as resolve_data_dir
from smartspec.registry import Registry, open_registry

SE211_NOW = [
    "Smart industri/kunskapsintensiva tillverkningsföretag",
    "E-handel och logistik",
    "Skogsnäring och träförädling",
    "Besöksnäring",
    "Livsmedel och livsmedelsförädling",
]
SE211_2019 = [
    "Attityder för innovationer",
    "Effektiva processer för innovation",
    "Samverkan för innovation",
]
OMS = "SE121+SE122+SE123+SE124+SE125"
OMS_AREAS = [
    "Smart industri",
    "Morgondagens energilösningar",
    "Hållbar livsmedelsförsörjning",
    "Life science, välfärdsteknik och e-hälsa",
]

SMALL_YAML = """\
regions:
  NO082: Oslo
sources:
  oslo-s3:
    title: Smart spesialisering i Oslo
    publisher: Oslo kommune
    date: 2021-03
    language: en
revisions:
  - source: oslo-s3
    priorities:
      NO082: [Life science, Urban mobility, Green construction]
    cross_cutting:
      NO082: [Digitalisation]
"""


def _app() -> typer.Typer:
    """The real app once the lead has mounted `registry`; until then a test-local twin."""
    if any(group.name == "registry" for group in cli.app.registered_groups):
        return cli.app
    app = typer.Typer(
        cls=cli.ErrorGroup,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.callback()(cli._root)
    app.add_typer(registry_app, name="registry")
    return app


APP = _app()


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(APP, list(args), prog_name="smartspec", env=env)


def reg(data: Path, *args: str) -> Result:
    """`smartspec --data-dir DATA registry ARGS…`."""
    return run("--data-dir", str(data), "registry", *args)


def clean_failure(result: Result, code: int = 1) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _open(data: Path) -> Registry:
    return open_registry(resolve_data_dir(data).registry_db, user="tester")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose registry holds the bundled Swedish map (read-only tests)."""
    path = tmp_path_factory.mktemp("loaded") / "data"
    path.mkdir()
    with _open(path) as registry:
        registry.load_bundled()
    return path


@pytest.fixture
def fresh_loaded(tmp_path: Path) -> Path:
    """A data directory with the bundled map, for tests that write or must not write."""
    path = tmp_path / "data"
    path.mkdir()
    with _open(path) as registry:
        registry.load_bundled()
    return path


def _lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines()]


# ----------------------------------------------------------------------------- show


def test_show_SE211_lists_the_current_strength_areas_and_the_cross_cutting_factor(
    loaded: Path,
) -> None:
    result = reg(loaded, "show", "SE211")
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert lines[0].startswith("Jönköpings län (SE211)")
    strength = lines.index("Strength areas (5)")
    cross = lines.index("Cross-cutting factors (1)")
    assert [line.removeprefix("• ") for line in lines[strength + 1 : strength + 6]] == SE211_NOW
    assert lines[cross + 1] == "• Tjänstedesign"
    assert "jonkoping-s3" not in result.output  # the source is shown by its title
    assert "Smart specialiseringsstrategi för Jönköpings län" in result.output
    assert "Attityder för innovationer" not in result.output


def test_show_by_name_at_a_date_gives_the_2019_map(loaded: Path) -> None:
    result = reg(loaded, "show", "Jönköping", "--at", "2019-06-01")
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert "priorities in effect on 2019-06-01" in lines[0]
    start = lines.index("Strength areas (3)")
    assert [line.removeprefix("• ") for line in lines[start + 1 : start + 4]] == SE211_2019
    assert "E-handel och logistik" not in result.output
    assert "Tillväxtverket, 2019-02-13" in result.output


def test_show_names_without_diacritics_and_larger_regions(loaded: Path) -> None:
    assert "(SE211)" in reg(loaded, "show", "jonkoping").output.splitlines()[0]
    # "Stockholm" is the NUTS 2 region SE11, which holds one län of the registry: SE110
    assert "(SE110)" in reg(loaded, "show", "Stockholm").output.splitlines()[0]


def test_show_SE124_includes_the_joint_areas_marked_joint(loaded: Path) -> None:
    result = reg(loaded, "show", "SE124")
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    start = lines.index("Joint areas (4)")
    joint_lines = lines[start + 1 : start + 5]
    for area, line in zip(OMS_AREAS, joint_lines, strict=True):
        assert line == f"• {area}  [joint: {OMS}]"
    own = lines[lines.index("Strength areas (2)") + 1]
    assert own == "• Autonoma digitaliserade intelligenta system"  # own areas: not marked
    assert f"joint strategy {OMS}: revision 1" in result.output


def test_show_json(loaded: Path) -> None:
    result = reg(loaded, "show", "SE124", "--at", "2024", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["region"] == {"code": "SE124", "name": "Örebro län"}
    assert data["at"] == "2024-12-31"
    joint = [p["label"] for p in data["priorities"] if p["joint"]]
    assert joint == OMS_AREAS
    assert {p["kind"] for p in data["priorities"] if p["joint"]} == {"joint_area"}
    assert [s["code"] for s in data["strategies"]] == ["SE124", OMS]


def test_show_before_any_strategy(loaded: Path) -> None:
    result = reg(loaded, "show", "SE211", "--at", "2010")
    assert result.exit_code == 0, result.output
    assert "no strategy of this region is in effect on that day" in result.output


def test_show_unknown_region_suggests_close_ones(loaded: Path) -> None:
    result = reg(loaded, "show", "SE219")
    clean_failure(result)
    assert "error: unknown region 'SE219'" in result.output
    assert "did you mean SE211 (Jönköpings län)" in result.output


def test_show_region_covering_several_regions_is_ambiguous(loaded: Path) -> None:
    result = reg(loaded, "show", "Östra Mellansverige")
    clean_failure(result)
    assert "ambiguous" in result.output
    assert "SE124 (Örebro län)" in result.output


@pytest.mark.parametrize("bad", ["2019-13", "yesterday", "19-06-01", "2019/06/01"])
def test_show_bad_date_names_the_accepted_forms(loaded: Path, bad: str) -> None:
    result = reg(loaded, "show", "SE211", "--at", bad)
    clean_failure(result)
    assert f"--at {bad!r} is not a date" in result.output
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in result.output


def test_reading_an_empty_registry_says_how_to_fill_it(tmp_path: Path) -> None:
    data = tmp_path / "new"
    for args in (("show", "SE211"), ("history", "SE211"), ("diff", "SE211", "1", "2")):
        result = reg(data, *args)
        clean_failure(result)
        assert EMPTY_MESSAGE in result.output
    assert (data / "registry.sqlite").is_file()  # created and migrated on first use
    with _open(data) as registry:
        assert registry.regions() == []  # nothing was loaded silently
        assert registry.schema_revision() is not None


def test_data_dir_from_the_environment_and_per_command(loaded: Path) -> None:
    result = run("registry", "show", "SE211", env={"SMARTSPEC_DATA_DIR": str(loaded)})
    assert result.exit_code == 0, result.output
    assert "Tjänstedesign" in result.output
    result = run("registry", "history", "SE211", "--data-dir", str(loaded))
    assert result.exit_code == 0, result.output
    assert "jonkoping-s3" in result.output


# -------------------------------------------------------------------------- history


def test_history_SE211_shows_every_revision_with_dates_and_sources(loaded: Path) -> None:
    result = reg(loaded, "history", "SE211")
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert lines[0] == "Jönköpings län (SE211) — 3 revisions"
    assert lines[1].split() == [
        "strategy",
        "rev",
        "effective",
        "source",
        "author",
        "recorded",
        "at",
    ]
    rows = [line.split() for line in lines[2:5]]
    assert [r[:5] for r in rows] == [
        ["SE211", "1", "2019-02-13", "tvv-2019-map", "smartspec"],
        ["SE211", "2", "2019-10", "tvv-region-for-region", "smartspec"],
        ["SE211", "3", "2019-10", "jonkoping-s3", "smartspec"],
    ]
    assert all(r[-1] == "UTC" for r in rows)
    assert (
        "jonkoping-s3: Smart specialiseringsstrategi för Jönköpings län "
        "(Region Jönköpings län, 2019-10, date inferred)" in result.output
    )


def test_history_includes_joint_revisions(loaded: Path) -> None:
    result = reg(loaded, "history", "Örebro", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(r["strategy"], r["number"], r["effective"], r["source"]["key"]) for r in data] == [
        ("SE124", 1, "2017-04", "orebro-s3"),
        ("SE124", 2, "2019-02-13", "tvv-2019-map"),
        (OMS, 1, "2023", "oms-2023"),
    ]
    assert [r["joint"] for r in data] == [False, False, True]
    assert all(r["author"] == "smartspec" and r["recorded_at"] for r in data)
    text = reg(loaded, "history", "SE124").output
    assert f"{OMS} (joint)" in text


# ----------------------------------------------------------------------------- diff


def test_diff_SE211_2_3_shows_the_change_of_kind(loaded: Path) -> None:
    result = reg(loaded, "diff", "SE211", "2", "3")
    assert result.exit_code == 0, result.output
    lines = _lines(result.output)
    assert lines[0] == (
        "SE211: revision 2 (2019-10, tvv-region-for-region) → revision 3 (2019-10, jonkoping-s3)"
    )
    assert lines[1:] == [
        "added (0)",
        "removed (0)",
        "renamed (0)",
        "reworded (0)",
        "changed (1):",
        "* Tjänstedesign: kind strength_area → cross_cutting",
    ]


def test_diff_added_and_removed(loaded: Path) -> None:
    result = reg(loaded, "diff", "Jönköping", "1", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [p["label"] for p in data["removed"]] == SE211_2019
    assert [p["label"] for p in data["added"]] == [*SE211_NOW, "Tjänstedesign"]
    assert data["a"]["number"] == 1
    assert data["b"]["number"] == 3
    text = reg(loaded, "diff", "SE211", "1", "3").output
    assert "+ Tjänstedesign (cross_cutting)" in text
    assert "- Attityder för innovationer (strength_area)" in text


def test_diff_reworded(loaded: Path) -> None:
    # Sörmland: "Biobaserade näringar; …" (2019 map) and "… - …" (2022 strategy)
    data = json.loads(reg(loaded, "history", "SE122", "--json").output)
    own = [r["number"] for r in data if r["strategy"] == "SE122"]
    first, last = own[0], own[-1]
    result = reg(loaded, "diff", "SE122", str(first), str(last))
    assert result.exit_code == 0, result.output
    assert "reworded (1):" in result.output
    assert "~ Biobaserade näringar; hållbar produktion" in result.output


def test_diff_of_a_joint_strategy(loaded: Path) -> None:
    result = reg(loaded, "diff", "SE124", "1", "1", "--strategy", OMS)
    assert result.exit_code == 0, result.output
    assert "no differences" in result.output


def test_diff_unknown_revision(loaded: Path) -> None:
    result = reg(loaded, "diff", "SE211", "1", "9")
    clean_failure(result)
    assert "unknown revision '9' of strategy SE211 (it has revisions 1–3)" in result.output
    clean_failure(reg(loaded, "diff", "SE211", "0", "1"), code=2)  # numbers start at 1
    clean_failure(reg(loaded, "diff", "SE211", "one", "2"), code=2)


# --------------------------------------------------------------------------- import


def test_import_yaml_into_an_empty_registry_then_again(tmp_path: Path) -> None:
    source = tmp_path / "oslo.yaml"
    source.write_text(SMALL_YAML, encoding="utf-8")
    data = tmp_path / "data"
    result = reg(data, "import", str(source))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "imported oslo.yaml into" in out
    assert "regions:    1 added, 0 updated" in out
    assert "sources:    1 added, 0 updated" in out
    assert "revisions:  1 added, 0 unchanged" in out
    assert "NO082#1 (oslo-s3)" in out
    shown = reg(data, "show", "NO082")
    assert shown.exit_code == 0, shown.output
    assert "• Urban mobility" in shown.output
    assert "Cross-cutting factors (1)" in shown.output
    again = reg(data, "import", str(source))
    assert again.exit_code == 0, again.output
    assert "nothing to import" in again.output


def test_a_malformed_yaml_import_changes_nothing(fresh_loaded: Path, tmp_path: Path) -> None:
    with _open(fresh_loaded) as registry:
        before = registry.export_json()
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SMALL_YAML.replace("[Life science,", "[Life science, {label: X, kind: weakness},"),
        encoding="utf-8",
    )
    result = reg(fresh_loaded, "import", str(bad))
    clean_failure(result)
    assert "unknown kind 'weakness'" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources: [\n", encoding="utf-8")
    result = reg(fresh_loaded, "import", str(broken))
    clean_failure(result)
    assert "not valid YAML" in result.output
    with _open(fresh_loaded) as registry:
        assert registry.export_json() == before  # the audit log included


def test_a_malformed_json_import_changes_nothing(fresh_loaded: Path, tmp_path: Path) -> None:
    with _open(fresh_loaded) as registry:
        before = registry.export_json()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "smartspec-registry", ', encoding="utf-8")
    result = reg(fresh_loaded, "import", str(bad))
    clean_failure(result)
    assert "not valid JSON" in result.output
    # a valid export cannot be restored into a registry that has rows
    good = tmp_path / "good.json"
    good.write_text(json.dumps(before), encoding="utf-8")
    result = reg(fresh_loaded, "import", str(good))
    clean_failure(result)
    assert "the registry is not empty" in result.output
    with _open(fresh_loaded) as registry:
        assert registry.export_json() == before


def test_a_json_import_that_fails_half_way_writes_nothing(tmp_path: Path, loaded: Path) -> None:
    with _open(loaded) as registry:
        export = registry.export_json()
    export["tables"]["revision_priority"][-1]["no_such_column"] = 1  # the last table but one
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    data = tmp_path / "data"
    result = reg(data, "import", str(path))
    clean_failure(result)
    assert "unknown column 'no_such_column'" in result.output
    with _open(data) as registry:
        assert all(not rows for rows in registry.export_json()["tables"].values())


def test_import_missing_file(tmp_path: Path) -> None:
    result = reg(tmp_path / "data", "import", str(tmp_path / "nope.yaml"))
    clean_failure(result)
    assert "no such file" in result.output


def test_export_json_then_import_restores_the_registry(loaded: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    result = reg(loaded, "export", "--format", "json", "--out", str(backup))
    assert result.exit_code == 0, result.output
    assert "rows of 25 tables" in result.output
    with _open(loaded) as registry:
        assert json.loads(backup.read_text("utf-8")) == registry.export_json()
    data = tmp_path / "restored"
    result = reg(data, "import", str(backup))
    assert result.exit_code == 0, result.output
    assert "restored" in result.output
    assert reg(data, "show", "SE211").output == reg(loaded, "show", "SE211").output
    assert reg(data, "history", "SE124").output == reg(loaded, "history", "SE124").output


# --------------------------------------------------------------------------- export


def test_export_csv_is_one_row_per_region_revision_priority(loaded: Path, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "priorities.csv"
    result = reg(loaded, "export", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "region",
        "region_name",
        "strategy",
        "joint",
        "revision",
        "effective",
        "source",
        "priority_id",
        "position",
        "label_sv",
        "label_en",
        "kind",
        "category",
    ]
    se211 = [r for r in rows if r["region"] == "SE211"]
    assert [(r["revision"], r["effective"], r["source"]) for r in se211][::3] == [
        ("1", "2019-02-13", "tvv-2019-map"),
        ("2", "2019-10", "tvv-region-for-region"),
        ("2", "2019-10", "tvv-region-for-region"),
        ("3", "2019-10", "jonkoping-s3"),
        ("3", "2019-10", "jonkoping-s3"),
    ]
    assert len(se211) == 3 + 6 + 6
    assert se211[-1]["label_sv"] == "Tjänstedesign"
    assert se211[-1]["kind"] == "cross_cutting"
    joint = [r for r in rows if r["joint"] == "true"]
    assert {r["region"] for r in joint} == {"SE121", "SE122", "SE123", "SE124", "SE125"}
    assert len(joint) == 5 * 4
    assert {r["joint"] for r in rows} == {"true", "false"}


def test_export_xlsx_has_the_four_sheets(loaded: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "registry.xlsx"
    result = reg(loaded, "export", "--out", str(out))  # format from the suffix
    assert result.exit_code == 0, result.output
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["priorities", "revisions", "sources", "audit"]
    with _open(loaded) as registry:
        audit = len(registry.audit_log())
    assert book["audit"].max_row == audit + 1
    assert book["sources"].max_row == 8 + 1
    assert book["revisions"].max_row == 36 + 1


def test_export_refuses_to_overwrite_without_force(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "priorities.csv"
    out.write_text("precious\n", encoding="utf-8")
    result = reg(loaded, "export", "--format", "csv", "--out", str(out))
    clean_failure(result)
    assert "already exists" in result.output
    assert "--force" in result.output
    assert out.read_text(encoding="utf-8") == "precious\n"
    result = reg(loaded, "export", "--format", "csv", "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("region,region_name,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["priorities.csv"]  # no temp files


def test_export_bad_format_and_suffix(loaded: Path, tmp_path: Path) -> None:
    result = reg(loaded, "export", "--format", "pdf", "--out", str(tmp_path / "x.pdf"))
    clean_failure(result, code=2)
    assert "pdf" in result.output
    result = reg(loaded, "export", "--out", str(tmp_path / "x.txt"))
    clean_failure(result)
    assert "give --format json, csv or xlsx" in result.output
    result = reg(loaded, "export", "--out", str(tmp_path / "missing" / "x.csv"))
    clean_failure(result)
    assert "does not exist" in result.output
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------- followup


def test_followup_report_of_a_region(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = reg(loaded, "followup", "Jönköping", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<h1>Follow-up report: Jönköpings län</h1>" in html
    for label in [*SE211_NOW, "Tjänstedesign"]:
        assert label in html
    assert "Cross-cutting factors (tvärgående)" in html
    assert f"smartspec {smartspec.__version__}" in html
    result = reg(loaded, "followup", "SE211", "--out", str(out))
    clean_failure(result)
    assert "already exists" in result.output
    assert reg(loaded, "followup", "SE211", "--out", str(out), "--force").exit_code == 0


def test_followup_report_of_a_joint_strategy_at_a_date(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "oms.html"
    result = reg(loaded, "followup", OMS, "--out", str(out), "--at", "2024-06")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Joint strategy" in html
    assert "as of 2024-06-30" in html
    for area in ("Smart industri", "Morgondagens energilösningar"):
        assert area in html
    assert "Örebro län" in html


def test_followup_errors(loaded: Path, tmp_path: Path) -> None:
    result = reg(loaded, "followup", "SE219", "--out", str(tmp_path / "r.html"))
    clean_failure(result)
    assert "did you mean SE211" in result.output
    result = reg(loaded, "followup", "SE211", "--out", str(tmp_path / "r.html"), "--at", "soon")
    clean_failure(result)
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in result.output
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- basics


def test_registry_help_lists_the_commands() -> None:
    result = run("registry", "--help")
    assert result.exit_code == 0, result.output
    for command in ("import", "export", "show", "history", "diff", "followup"):
        assert command in result.output


def test_the_sub_app_reports_errors_cleanly_on_its_own(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        registry_app, ["show", "SE211", "--data-dir", str(tmp_path / "d")], prog_name="registry"
    )
    clean_failure(result)
    assert EMPTY_MESSAGE in result.output


def test_importing_the_cli_module_is_light() -> None:
    """`smartspec --help` must not pay for SQLAlchemy, pandas or the web stack."""
    code = (
        "import sys, json, smartspec.cli_registry\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy','alembic','pandas','openpyxl','jinja2','fastapi','numpy'))))"
    )
    src = Path(smartspec.__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(src), "PATH": ""},
        check=True,
        timeout=60,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []

"""Classification of priorities: suggestions stored, reviewed, corrected (SQLite and PostgreSQL).

The service runs on both backends (the ``bundled`` fixture); the command line on SQLite in
a data directory, through a test-local Typer app with ``registry_app`` mounted.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner, Result

from smartspec import cli
from smartspec.cli_registry import registry_app
from smartspec.config import data_dir as resolve_data_dir
from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry import (
    ClassificationScheme,
    ClassificationStatus,
    Registry,
    open_registry,
)
from smartspec.registry.classification import (
    classifications,
    correct,
    normalize_code,
    pending_review,
    review,
    review_status,
    suggest_classifications,
)
from smartspec.registry.db import alembic_config, current_revision, head_revision, upgrade
from smartspec.registry.flat_export import (
    CLASSIFICATION_COLUMNS,
    classification_rows,
    export_registry,
)
from smartspec.registry.models import PriorityClassification

FOOD = "Livsmedel och livsmedelsförädling"
TABLE = "priority_classification"
NACE = ClassificationScheme.NACE
THEME = ClassificationScheme.THEME


def _pid(reg: Registry, region: str, label: str) -> int:
    return next(p.priority_id for p in reg.show(region).priorities if p.label == label)


def _of(
    reg: Registry, pid: int, scheme: ClassificationScheme
) -> dict[str, tuple[str, float | None]]:
    return {
        v.code: (v.status.value, v.score) for v in classifications(reg, pid) if v.scheme is scheme
    }


def _audit_count(reg: Registry) -> int:
    return len(reg.audit_log(table=TABLE))


# ---------------------------------------------------------------------------- suggesting


def test_suggestions_for_SE211_are_stored_with_scores_and_evidence(bundled: Registry) -> None:
    versions = bundled.version("SE211"), bundled.version("SE121+SE122+SE123+SE124+SE125")
    history = bundled.history("SE211")
    report = suggest_classifications(bundled, region="SE211")
    assert report.priorities == 6
    assert report.method == "lexical/lexicon_sv_en v1"
    assert report.added == len(report.classifications) > 12
    assert (report.updated, report.removed, report.unchanged, report.reviewed_kept) == (0, 0, 0, 0)

    food = [v for v in report.classifications if v.label == FOOD]
    nace = [v for v in food if v.scheme is NACE]
    assert [v.code for v in nace] == ["10", "11", "01"]  # top 3, best first
    first = nace[0]
    assert first.score == 1.0
    assert first.name == "Manufacture of food products"
    assert first.status is ClassificationStatus.SUGGESTED
    assert not first.reviewed
    assert first.reviewed_by is None
    assert first.method == "lexical/lexicon_sv_en v1"
    assert first.source_text == FOOD
    assert any("livsmedel" in why for why in first.evidence)
    assert all(0.0 <= v.score <= 1.0 for v in report.classifications if v.score is not None)
    assert "food" in [v.code for v in food if v.scheme is THEME]
    assert len([v for v in food if v.scheme is THEME]) <= 3
    # the same as what classifications() reads back, on the region and on the priority
    assert classifications(bundled, "SE211") == list(report.classifications)
    assert classifications(bundled, first.priority_id) == food
    assert classifications(bundled, str(first.priority_id)) == food
    # audited, one insert per row; no revision, no change of the strategies' versions
    audit = bundled.audit_log(table=TABLE)
    assert len(audit) == report.added
    assert {(a.action, a.operation, a.actor) for a in audit} == {
        ("insert", "suggest_classifications", "tester")
    }
    assert audit[0].reason == "classifier lexical/lexicon_sv_en v1"
    assert (bundled.version("SE211"), bundled.version("SE121+SE122+SE123+SE124+SE125")) == versions
    assert bundled.history("SE211") == history


def test_english_labels_and_joint_areas_are_classified_once(bundled: Registry) -> None:
    bundled.add_priority(
        "SE211", "Rymdteknik", label_en="Space technology", expected_version=3, reason="test"
    )
    report = suggest_classifications(bundled, region="SE124")
    joint = {v.priority_id for v in report.classifications if v.joint}
    assert len(joint) == 4
    everything = suggest_classifications(bundled)
    assert everything.priorities == len(
        {p.priority_id for r in bundled.map() for p in r.priorities}
    )
    assert everything.unchanged == report.added  # SE124's were already stored
    space = [v for v in classifications(bundled, "SE211") if v.label == "Rymdteknik"]
    assert {v.source_text for v in space} == {"Rymdteknik | Space technology"}


def test_suggesting_again_changes_nothing(bundled: Registry) -> None:
    first = suggest_classifications(bundled, region="SE211")
    before = bundled.export_json()
    again = suggest_classifications(bundled, region="SE211")
    assert not again.changed_anything
    assert again.unchanged == first.added
    assert again.classifications == first.classifications
    assert bundled.export_json() == before  # not even an audit entry


def test_unreviewed_suggestions_are_brought_up_to_date(bundled: Registry) -> None:
    suggest_classifications(bundled, region="SE211")
    pid = _pid(bundled, "SE211", FOOD)
    with bundled.session(reason="simulate an older classifier") as s:
        row = s.scalars(
            sa.select(PriorityClassification).where(
                PriorityClassification.priority_id == pid, PriorityClassification.code == "11"
            )
        ).one()
        row.score, row.method = 0.5, "lexical/lexicon_sv_en v0"
        s.add(
            PriorityClassification(
                priority_id=pid, scheme=NACE, code="56", score=0.3, method="old", evidence="x"
            )
        )
    kept = suggest_classifications(bundled, region="SE211", overwrite_unreviewed=False)
    assert (kept.added, kept.updated, kept.removed) == (0, 0, 0)
    assert _of(bundled, pid, NACE)["11"] == ("suggested", 0.5)
    assert "56" in _of(bundled, pid, NACE)
    renewed = suggest_classifications(bundled, region="SE211")
    assert (renewed.added, renewed.updated, renewed.removed) == (0, 1, 1)
    assert _of(bundled, pid, NACE) == {
        "10": ("suggested", 1.0),
        "11": ("suggested", 0.792),
        "01": ("suggested", 0.7),
    }


def test_reviewed_rows_are_never_overwritten(bundled: Registry) -> None:
    suggest_classifications(bundled, region="SE211")
    pid = _pid(bundled, "SE211", FOOD)
    review(bundled, pid, "nace", "10", accept=True, reviewer="anna")
    review(bundled, pid, "nace", "11", accept=False, reviewer="anna")
    correct(bundled, pid, "theme", codes=["food", "visitor_economy"], reviewer="anna")
    reviewed = {(v.scheme, v.code): v for v in classifications(bundled, pid) if v.reviewed}
    # the priority is renamed: the classifier now suggests other codes
    version = bundled.version("SE211")
    bundled.rename_priority("SE211", FOOD, "Besöksnäring och måltider", expected_version=version)
    report = suggest_classifications(bundled, region="SE211")
    assert report.reviewed_kept == len(reviewed)
    after = {(v.scheme, v.code): v for v in classifications(bundled, pid)}
    for key, view in reviewed.items():
        assert after[key].status is view.status
        assert after[key].score == view.score
        assert after[key].evidence == view.evidence
        assert after[key].source_text == FOOD
        assert after[key].reviewed_by == "anna"
    assert (NACE, "01") not in after  # an unreviewed suggestion no longer made: dropped
    assert (NACE, "55") in after  # accommodation, for the new label
    assert after[(NACE, "55")].source_text == "Besöksnäring och måltider"


# ---------------------------------------------------------------------------- reviewing


def test_review_and_correction_flow(bundled: Registry) -> None:
    suggest_classifications(bundled, region="SE211")
    pid = _pid(bundled, "SE211", FOOD)
    entries = _audit_count(bundled)

    accepted = review(bundled, pid, "nace", "C10", accept=True, reviewer="anna", reason="ok")
    assert accepted.code == "10"
    assert accepted.status is ClassificationStatus.ACCEPTED
    assert accepted.reviewed_by == "anna"
    assert accepted.reviewed_at is not None
    assert accepted.score == 1.0  # the score stays
    last = bundled.audit_log(table=TABLE, limit=1)[0]
    assert (last.action, last.operation, last.actor, last.reason) == (
        "update",
        "review_classification",
        "anna",
        "ok",
    )
    assert last.before is not None
    assert last.after is not None
    assert (last.before["status"], last.after["status"]) == ("suggested", "accepted")
    # the same review again writes nothing
    review(bundled, pid, "nace", "10", accept=True, reviewer="bertil")
    assert _audit_count(bundled) == entries + 1
    assert _of(bundled, pid, NACE)["10"] == ("accepted", 1.0)

    rejected = review(bundled, pid, ClassificationScheme.THEME, "forest_bioeconomy", accept=False)
    assert rejected.status is ClassificationStatus.REJECTED
    assert rejected.reviewed_by == "tester"  # the registry's user by default

    # the editor's correction: 10 kept, 46 added, 11 and 01 rejected
    views = correct(bundled, pid, "nace", codes=["10", "G46"], reviewer="cecilia")
    assert {v.code: v.status.value for v in views} == {
        "10": "accepted",
        "46": "added",
        "11": "rejected",
        "01": "rejected",
    }
    added = next(v for v in views if v.code == "46")
    assert (added.score, added.method, added.evidence, added.reviewed_by) == (
        None,
        None,
        (),
        "cecilia",
    )
    assert next(v for v in views if v.code == "10").reviewed_by == "anna"  # unchanged
    entries = _audit_count(bundled)
    assert correct(bundled, pid, "nace", codes=["46", "10", "10"], reviewer="x") == views
    assert _audit_count(bundled) == entries  # the same list again: nothing written
    assert {a.operation for a in bundled.audit_log(table=TABLE)} == {
        "suggest_classifications",
        "review_classification",
        "correct_classifications",
    }

    # accepting an addition keeps it added; rejecting it rejects it
    assert review(bundled, pid, "nace", "46", accept=True).status is ClassificationStatus.ADDED
    assert review(bundled, pid, "nace", "46", accept=False).status is ClassificationStatus.REJECTED
    assert correct(bundled, pid, "nace", codes=["46"])[0].status is ClassificationStatus.ADDED
    # an empty list rejects every code of the scheme, and leaves the other scheme alone
    cleared = correct(bundled, pid, "nace", codes=[])
    assert {v.status for v in cleared} == {ClassificationStatus.REJECTED}
    assert _of(bundled, pid, THEME)["food"] == ("suggested", 1.0)
    # a later suggestion run leaves the reviewed rows as they are
    assert suggest_classifications(bundled, region="SE211").updated == 0
    assert {s for s, _ in _of(bundled, pid, NACE).values()} == {"rejected"}


def test_review_state_queries(bundled: Registry) -> None:
    assert review_status(bundled, "SE211")[0].state == "unclassified"
    report = suggest_classifications(bundled, region="SE211")
    pid = _pid(bundled, "SE211", FOOD)
    assert len(pending_review(bundled, "SE211")) == report.added
    correct(bundled, pid, "nace", codes=["10", "11"])
    correct(bundled, pid, "theme", codes=["food"])
    pending = pending_review(bundled, "SE211")
    assert pid not in {v.priority_id for v in pending}
    assert len(pending) == report.added - len(
        [v for v in report.classifications if v.priority_id == pid]
    )
    states = {r.priority_id: r for r in review_status(bundled, "SE211")}
    assert len(states) == 6
    food = states[pid]
    assert food.state == "reviewed"
    assert (food.nace, food.themes, food.pending) == (("10", "11"), ("food",), 0)
    assert food.reviewed == 6
    others = [r for r in states.values() if r.priority_id != pid]
    assert {r.state for r in others} == {"pending"}
    assert all(r.nace == () for r in others)
    assert len(pending_review(bundled)) == len(pending)  # only SE211 was classified


def test_unknown_codes_are_refused_and_nothing_is_written(bundled: Registry) -> None:
    suggest_classifications(bundled, region="SE211")
    pid = _pid(bundled, "SE211", FOOD)
    before = bundled.export_json()
    with pytest.raises(UnknownCodeError, match=r"unknown NACE division '999'"):
        correct(bundled, pid, "nace", codes=["10", "999"])
    with pytest.raises(UnknownCodeError, match=r"did you mean 10 \(Manufacture of food products\)"):
        correct(bundled, pid, "nace", codes=["food"])
    with pytest.raises(
        InputError, match=r"'10.1' is a group, not a division \(use its division 10"
    ):
        correct(bundled, pid, "nace", codes=["10.1"])
    with pytest.raises(InputError, match=r"is a section, not a division.*10, 11, 12"):
        correct(bundled, pid, "nace", codes=["C"])
    with pytest.raises(UnknownCodeError, match=r"unknown theme 'digitalisering'.*digital"):
        correct(bundled, pid, "theme", codes=["food", "digitalisering"])
    with pytest.raises(InputError, match="unknown classification scheme 'sni'"):
        correct(bundled, pid, "sni", codes=["10"])
    with pytest.raises(UnknownCodeError, match="unknown priority '99999'"):
        correct(bundled, 99999, "nace", codes=["10"])
    with pytest.raises(InputError, match=r"has no nace classification '62'.*01, 10, 11"):
        review(bundled, pid, "nace", "62", accept=True)
    with pytest.raises(UnknownCodeError, match="unknown priority"):
        classifications(bundled, 99999)
    with pytest.raises(InputError, match="unknown classification method 'magic'"):
        suggest_classifications(bundled, method="magic")
    with pytest.raises(InputError, match="top must be a positive whole number"):
        suggest_classifications(bundled, top=0)
    with pytest.raises(UnknownCodeError, match="unknown region 'SE219'"):
        suggest_classifications(bundled, region="SE219")
    assert bundled.export_json() == before


def test_codes_are_normalised() -> None:
    assert normalize_code("nace", " C10 ") == "10"
    assert normalize_code("NACE", "01") == "01"
    assert normalize_code("theme", "FOOD") == "food"
    assert normalize_code("themes", "Digitalisation and ICT") == "digital"
    assert normalize_code(THEME, "Skog och bioekonomi") == "forest_bioeconomy"


def test_the_database_keeps_the_rules(bundled: Registry) -> None:
    suggest_classifications(bundled, region="SE211")
    pid = _pid(bundled, "SE211", FOOD)
    with pytest.raises(sa.exc.IntegrityError), bundled.session() as s:  # unique per code
        s.add(PriorityClassification(priority_id=pid, scheme=NACE, code="10", score=0.2))
    with pytest.raises(sa.exc.IntegrityError), bundled.session() as s:  # score in [0, 1]
        s.add(PriorityClassification(priority_id=pid, scheme=NACE, code="62", score=1.5))
    with pytest.raises(sa.exc.IntegrityError), bundled.session() as s:  # reviewed: by whom
        s.add(
            PriorityClassification(
                priority_id=pid, scheme=NACE, code="62", status=ClassificationStatus.ACCEPTED
            )
        )


# ---------------------------------------------------------------------------- backup


def _classified(reg: Registry) -> None:
    suggest_classifications(reg, region="SE211")
    pid = _pid(reg, "SE211", FOOD)
    review(reg, pid, "nace", "10", accept=True, reviewer="anna")
    correct(reg, pid, "theme", codes=["food", "visitor_economy"], reviewer="anna")


def test_json_round_trip_includes_classifications(bundled: Registry, tmp_path: Path) -> None:
    _classified(bundled)
    exported = bundled.export_json(tmp_path / "backup.json")
    rows = exported["tables"][TABLE]
    assert len(rows) == len(classifications(bundled, "SE211"))
    assert {r["status"] for r in rows} == {"suggested", "accepted", "rejected", "added"}
    assert any(r["score"] is None for r in rows)
    with open_registry(tmp_path / "restored.sqlite", user="restorer") as restored:
        restored.import_json(tmp_path / "backup.json")
        assert restored.export_json() == exported
        assert classifications(restored, "SE211") == classifications(bundled, "SE211")
        # the restored registry keeps working: ids continue, nothing is re-suggested
        assert not suggest_classifications(restored, region="SE211").changed_anything
        assert suggest_classifications(restored, region="SE110").added > 0


@pytest.mark.postgres
def test_classifications_move_from_sqlite_to_postgresql_and_back(
    tmp_path: Path, pg_url: str
) -> None:
    with open_registry(tmp_path / "source.sqlite", user="alice") as lite:
        lite.load_bundled()
        _classified(lite)
        exported = lite.export_json()
        shown = classifications(lite, "SE211")
    with open_registry(pg_url, user="bob") as pg:
        pg.import_json(exported)
        assert pg.export_json() == exported
        assert classifications(pg, "SE211") == shown
        suggest_classifications(pg, region="SE124")  # sequences continue after the ids
        back = pg.export_json()
    with open_registry(tmp_path / "back.sqlite") as lite2:
        lite2.import_json(back)
        assert lite2.export_json() == back


def test_flat_export_has_a_classifications_sheet(bundled: Registry, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    export_registry(bundled, tmp_path / "empty.xlsx")
    assert "classifications" not in load_workbook(tmp_path / "empty.xlsx").sheetnames
    _classified(bundled)
    rows = classification_rows(bundled)
    assert all(tuple(r) == CLASSIFICATION_COLUMNS for r in rows)
    food = [r for r in rows if r["label"] == FOOD]
    assert [(r["scheme"], r["code"], r["status"]) for r in food][:2] == [
        ("nace", "10", "accepted"),
        ("nace", "11", "suggested"),
    ]
    assert food[0]["name"] == "Manufacture of food products"
    summary = export_registry(bundled, tmp_path / "x.xlsx")
    assert summary.rows["classifications"] == len(rows)
    book = load_workbook(tmp_path / "x.xlsx")
    assert book.sheetnames[-1] == "classifications"
    assert [c.value for c in book["classifications"][1]] == list(CLASSIFICATION_COLUMNS)


# ---------------------------------------------------------------------------- migrations


def test_migration_0002_downgrades_and_upgrades(bundled: Registry) -> None:
    from alembic import command

    suggest_classifications(bundled, region="SE211")
    assert current_revision(bundled.engine) == head_revision() == "0002"
    with bundled.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    assert current_revision(bundled.engine) == "0001"
    names = set(sa.inspect(bundled.engine).get_table_names())
    assert TABLE not in names
    assert {"priority", "revision_priority", "audit_log"} <= names
    assert len(bundled.regions()) == 21  # the rest of the registry is untouched
    assert bundled.show("SE211").labels()[-2] == FOOD
    upgrade(bundled.engine)
    assert current_revision(bundled.engine) == "0002"
    assert TABLE in set(sa.inspect(bundled.engine).get_table_names())
    assert classifications(bundled, "SE211") == []
    assert suggest_classifications(bundled, region="SE211").added > 0


# ---------------------------------------------------------------------------- command line


def _app() -> typer.Typer:
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


def reg(data: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """`smartspec --data-dir DATA registry ARGS…`."""
    return CliRunner().invoke(
        APP, ["--data-dir", str(data), "registry", *args], prog_name="smartspec", env=env
    )


def _open(data: Path) -> Registry:
    return open_registry(resolve_data_dir(data).registry_db, user="tester")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data directory whose registry holds the bundled map."""
    path = tmp_path / "data"
    path.mkdir()
    with _open(path) as registry:
        registry.load_bundled()
    return path


def _food_id(data: Path) -> int:
    with _open(data) as registry:
        return _pid(registry, "SE211", FOOD)


def test_cli_classify_prints_and_stores_the_suggestions(data: Path) -> None:
    pid = _food_id(data)
    result = reg(data, "classify", "Jönköping", "--top", "3")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.splitlines()[0] == "Jönköpings län (SE211) — classification of 6 priorities"
    assert "method: lexical/lexicon_sv_en v1, top 3" in out
    block = out[out.index(f"[{pid}] {FOOD}") :]
    lines = [line.split() for line in block.splitlines()[1:4] if line.strip()]
    assert lines[0][:4] == ["nace", "10", "1.00", "suggested"]
    assert "Manufacture of food products" in block.splitlines()[1]
    assert "lexicon 'livsmedel' in 'livsmedel' (food, 1.00)" in block
    with _open(data) as registry:
        stored = classifications(registry, "SE211")
        assert stored
        assert {a.operation for a in registry.audit_log(table=TABLE)} == {"suggest_classifications"}
    again = reg(data, "classify", "SE211", "--json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.output)
    assert (report["added"], report["unchanged"]) == (0, len(stored))
    assert report["classifications"][0]["status"] == "suggested"


def test_cli_review_accept_reject_and_set_codes(data: Path) -> None:
    pid = _food_id(data)
    assert "no classifications yet" in reg(data, "review", "SE211").output
    assert reg(data, "classify", "SE211").exit_code == 0

    shown = reg(data, "show", "SE211", "--ids")
    assert f"• [{pid}] {FOOD}" in shown.output
    assert f"[{pid}]" not in reg(data, "show", "SE211").output

    listed = reg(data, "review", "SE211")
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines()[0].endswith("6 of 6 priorities to review")
    assert f"[{pid}] {FOOD} — 6 to review" in listed.output

    accepted = reg(data, "accept", str(pid), "nace", "C10", "--reviewer", "anna")
    assert accepted.exit_code == 0, accepted.output
    assert f"[{pid}] {FOOD}: nace 10 (Manufacture of food products) — accepted (anna, " in (
        accepted.output
    )
    rejected = reg(data, "reject", str(pid), "THEME", "forest_bioeconomy", "--reason", "no")
    assert rejected.exit_code == 0, rejected.output
    assert "theme forest_bioeconomy (Forest and bioeconomy) — rejected (" in rejected.output

    corrected = reg(data, "set-codes", str(pid), "nace", "10", "46", "--reviewer", "bertil")
    assert corrected.exit_code == 0, corrected.output
    lines = [line.split() for line in corrected.output.splitlines()[1:]]
    assert [(cells[0], cells[2]) for cells in lines] == [
        ("10", "accepted"),
        ("46", "added"),
        ("11", "rejected"),
        ("01", "rejected"),
    ]
    assert lines[1][1] == "–"  # an addition has no score

    pending = reg(data, "review", "SE211", "--pending")
    assert "nace   10" not in pending.output
    assert f"[{pid}] {FOOD} — 2 to review" in pending.output  # two themes left
    as_json = json.loads(reg(data, "review", "SE211", "--json").output)
    food = {(v["scheme"], v["code"]): v for v in as_json if v["priority_id"] == pid}
    assert food[("nace", "46")]["status"] == "added"
    assert food[("nace", "46")]["score"] is None
    assert food[("nace", "10")]["reviewed_by"] == "anna"
    with _open(data) as registry:
        operations = [a.operation for a in registry.audit_log(table=TABLE)]
    assert operations.count("review_classification") == 2
    assert operations.count("correct_classifications") == 3  # 46 added, 11 and 01 rejected


def test_cli_reviewer_defaults_to_the_user(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = _food_id(data)
    assert reg(data, "classify", "SE211").exit_code == 0
    by_env = reg(data, "accept", str(pid), "nace", "10", env={"SMARTSPEC_USER": "carol"})
    assert "accepted (carol, " in by_env.output
    monkeypatch.delenv("SMARTSPEC_USER", raising=False)
    by_os = reg(data, "reject", str(pid), "nace", "11")
    assert f"rejected ({getpass.getuser()}, " in by_os.output


def test_cli_refuses_unknown_codes_without_writing(data: Path) -> None:
    pid = _food_id(data)
    assert reg(data, "classify", "SE211").exit_code == 0
    with _open(data) as registry:
        before = registry.export_json()
    for args, message in [
        (("set-codes", str(pid), "nace", "10", "food"), "did you mean 10 (Manufacture of food"),
        (("set-codes", str(pid), "nace", "10.1"), "use its division 10"),
        (("set-codes", str(pid), "theme", "digitalisering"), "did you mean digital"),
        (("accept", str(pid), "nace", "62"), "has no nace classification '62'"),
        (("accept", "99999", "nace", "10"), "unknown priority '99999'"),
        (("classify", "SE219"), "did you mean SE211"),
    ]:
        result = reg(data, *args)
        assert result.exit_code == 1, (args, result.output)
        assert "Traceback" not in result.output
        assert message in result.output, result.output
    assert reg(data, "accept", str(pid), "sni", "10").exit_code == 2  # a usage error
    assert reg(data, "set-codes", str(pid), "nace").exit_code == 2  # no code given
    with _open(data) as registry:
        assert registry.export_json() == before


def test_cli_help_lists_the_classification_commands() -> None:
    result = CliRunner().invoke(APP, ["registry", "--help"], prog_name="smartspec")
    assert result.exit_code == 0, result.output
    for command in ("classify", "review", "accept", "reject", "set-codes"):
        assert command in result.output

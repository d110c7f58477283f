"""Flat exports (CSV, XLSX) and the JSON backup file, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from smartspec.errors import InputError
from smartspec.registry import Registry
from smartspec.registry.flat_export import (
    AUDIT_COLUMNS,
    PRIORITY_COLUMNS,
    ExportFormat,
    audit_rows,
    export_registry,
    priority_rows,
    revision_rows,
    source_rows,
)

OMS = "SE121+SE122+SE123+SE124+SE125"


def test_priority_rows_match_the_registry_api(shared_bundled: Registry) -> None:
    reg = shared_bundled
    rows = priority_rows(reg)
    assert all(tuple(row) == PRIORITY_COLUMNS for row in rows)
    # the same rows, rebuilt from history() and revision() of every region
    expected = []
    for region in reg.regions():
        for info in reg.history(region.code):
            for p in reg.revision(info.strategy, info.number):
                expected.append(
                    (region.code, info.strategy, info.number, info.effective, p.priority_id)
                )
    got = [
        (r["region"], r["strategy"], r["revision"], r["effective"], r["priority_id"]) for r in rows
    ]
    assert sorted(got, key=str) == sorted(expected, key=str)
    assert len(rows) == 160
    se211 = [r for r in rows if r["region"] == "SE211"]
    assert [(r["revision"], r["position"]) for r in se211][:4] == [(1, 1), (1, 2), (1, 3), (2, 1)]
    assert se211[-1] | {"priority_id": 0} == {
        "region": "SE211",
        "region_name": "Jönköpings län",
        "strategy": "SE211",
        "joint": False,
        "revision": 3,
        "effective": "2019-10",
        "source": "jonkoping-s3",
        "priority_id": 0,
        "position": 6,
        "label_sv": "Tjänstedesign",
        "label_en": None,
        "kind": "cross_cutting",
        "category": None,
    }
    se124 = [r for r in rows if r["region"] == "SE124"]
    assert [r["joint"] for r in se124] == [False] * len(se124[:-4]) + [True] * 4
    assert {r["strategy"] for r in se124 if r["joint"]} == {OMS}
    assert {r["kind"] for r in rows if r["joint"]} == {"joint_area"}


def test_revision_source_and_audit_rows(shared_bundled: Registry) -> None:
    export = shared_bundled.export_json()
    revisions = revision_rows(export)
    assert len(revisions) == 36
    oms = [r for r in revisions if r["strategy"] == OMS]
    assert oms[0]["joint"] is True
    assert oms[0]["regions"] == "SE121 SE122 SE123 SE124 SE125"
    assert oms[0]["priority_count"] == 4
    assert oms[0]["effective"] == "2023"
    sources = source_rows(export)
    assert [s["key"] for s in sources] == sorted(s["key"] for s in sources)
    jonkoping = next(s for s in sources if s["key"] == "jonkoping-s3")
    assert jonkoping["date"] == "2019-10"
    assert jonkoping["date_inferred"] is True
    audit = audit_rows(export)
    assert len(audit) == len(export["tables"]["audit_log"])
    assert all(tuple(a) == AUDIT_COLUMNS for a in audit)
    first = audit[0]
    assert first["operation"] == "load_bundled"
    assert first["before"] is None
    assert isinstance(json.loads(first["after"]), dict)


def test_csv_xlsx_and_json_files(shared_bundled: Registry, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    summary = export_registry(shared_bundled, tmp_path / "map.csv")
    assert summary.format is ExportFormat.csv
    assert summary.rows == {"priorities": 160}
    with (tmp_path / "map.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == PRIORITY_COLUMNS
    assert len(rows) == 161
    assert "Hälsa, vård, omsorg" in {r[9] for r in rows}

    summary = export_registry(shared_bundled, tmp_path / "map.data", "XLSX")
    assert summary.rows["revisions"] == 36
    with (tmp_path / "map.data").open("rb") as handle:
        book = load_workbook(handle)
    assert book.sheetnames == ["priorities", "revisions", "sources", "audit"]
    sheet = book["priorities"]
    assert [c.value for c in sheet[1]] == list(PRIORITY_COLUMNS)
    assert sheet.max_row == 161
    assert sheet.freeze_panes == "A2"

    summary = export_registry(shared_bundled, tmp_path / "backup.json")
    saved = json.loads((tmp_path / "backup.json").read_text(encoding="utf-8"))
    assert saved == shared_bundled.export_json()
    assert summary.rows["revision_priority"] == len(saved["tables"]["revision_priority"])


def test_text_that_looks_like_a_formula_stays_text(bundled: Registry, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    label = '=HYPERLINK("http://example.invalid","click")'
    bundled.add_priority("SE211", label, expected_version=3, reason="=1+1")
    export_registry(bundled, tmp_path / "x.xlsx")
    book = load_workbook(tmp_path / "x.xlsx")
    cells = [c for row in book["priorities"].iter_rows() for c in row if c.value == label]
    assert cells
    assert all(c.data_type == "s" for c in cells)
    assert any(c.value == "=1+1" and c.data_type == "s" for c in book["revisions"]["I"])


def test_refusals(shared_bundled: Registry, tmp_path: Path) -> None:
    out = tmp_path / "map.csv"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        export_registry(shared_bundled, out)
    assert out.read_text(encoding="utf-8") == "keep me"
    export_registry(shared_bundled, out, force=True)
    assert out.read_text(encoding="utf-8").startswith("region,")
    with pytest.raises(InputError, match="unknown export format 'pdf'"):
        export_registry(shared_bundled, tmp_path / "x.pdf", "pdf")
    with pytest.raises(InputError, match="cannot tell the format"):
        export_registry(shared_bundled, tmp_path / "x.txt")
    with pytest.raises(InputError, match="does not exist"):
        export_registry(shared_bundled, tmp_path / "no" / "x.csv")
    with pytest.raises(InputError, match="is a folder"):
        export_registry(shared_bundled, tmp_path, "csv", force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.csv"]  # no temporary files

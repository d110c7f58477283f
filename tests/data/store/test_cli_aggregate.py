"""`smartspec data aggregate`: records (Parquet, CSV) → the evidence store or a file.

Real Parquet and CSV files in a temporary folder, the real DuckDB engine and the real
evidence store; every expected value is counted by hand from the records below.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from smartspec import cli
from smartspec.data.store import EvidenceStore

META = ["--measure", "employment", "--unit", "persons"]

# Six workplaces in three Swedish municipalities: Jönköping (0680) and Värnamo (0683)
# are in Jönköpings län (SE211), Stockholm (0180) in Stockholms län (SE110).
RECORDS = pd.DataFrame(
    {
        "id": [1, 2, 3, 4, 5, 6],
        "firm": ["a", "a", "b", "c", "c", "d"],
        "kommun": ["0680", "0683", "0680", "0180", "0180", "0680"],
        "sni": ["62.010", "62.020", "25.110", "62.010", "62.030", "25.120"],
        "year": [2021, 2021, 2021, 2021, 2022, 2022],
        "employees": [10.0, 5.0, 20.0, 100.0, 7.0, 3.0],
    }
)


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli.app, ["--data-dir", str(root), "data", *args], prog_name="smartspec"
    )


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return result


def one_line_error(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert lines, result.output
    return " ".join(lines)


@pytest.fixture
def records(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    folder.mkdir()
    RECORDS.iloc[:3].to_parquet(folder / "part-0.parquet", index=False)
    RECORDS.iloc[3:].to_parquet(folder / "part-1.parquet", index=False)
    return folder


MUNICIPAL = [
    "--region",
    "kommun",
    "--region-from",
    "municipality",
    "--activity",
    "sni",
    "--activity-level",
    "2",
    "--period",
    "year",
]


def test_sums_into_the_store_by_county_and_division(tmp_path: Path, records: Path) -> None:
    root = tmp_path / "home"
    result = ok(
        run(
            root,
            "aggregate",
            str(records / "*.parquet"),
            "--weight",
            "employees",
            *MUNICIPAL,
            *META,
            "--name",
            "emp",
        )
    )
    assert "6 records → 5 rows on duckdb" in result.output
    table = EvidenceStore(root).load("emp")
    got = table.to_pandas().assign(region=lambda d: d.region.astype(str))
    got["activity"] = got["activity"].astype(str)
    rows = sorted(got[["region", "activity", "period", "value"]].itertuples(index=False))
    assert [tuple(r) for r in rows] == [
        ("SE110", "62", 2021, 100.0),
        ("SE110", "62", 2022, 7.0),
        ("SE211", "25", 2021, 20.0),
        ("SE211", "25", 2022, 3.0),
        ("SE211", "62", 2021, 15.0),  # Jönköping 10 + Värnamo 5
    ]
    assert table.meta.classification == "NACE"
    assert table.meta.provenance["aggregation"]["records_used"] == 6


def test_counts_distinct_firms_to_a_csv_file(tmp_path: Path, records: Path) -> None:
    out = tmp_path / "firms.csv"
    args = ["--distinct", "firm", *MUNICIPAL, "--measure", "firms", "--unit", "firms"]
    result = ok(run(tmp_path / "home", "aggregate", str(records), *args, "--out", str(out)))
    assert f"wrote {out} (5 rows)" in result.output
    df = pd.read_csv(out, dtype={"activity": str})
    cell = df[(df.region == "SE211") & (df.activity == "62") & (df.period == 2021)]
    assert cell["value"].tolist() == [1.0]  # firm a at two workplaces counts once
    assert not (tmp_path / "home" / "evidence.duckdb").exists()  # no --name: no store


def test_counts_records_from_csv_with_a_filter(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    RECORDS.to_csv(source, index=False)
    out = tmp_path / "n.parquet"
    args = [*MUNICIPAL, *META, "--filter", "year=2021", "--out", str(out)]
    result = ok(run(tmp_path / "home", "aggregate", str(source), *args))
    assert "2 filtered out" in result.output
    df = pd.read_parquet(out)
    assert df["value"].sum() == 4.0  # four records in 2021
    assert set(df["period"]) == {2021}


def test_json_output(tmp_path: Path, records: Path) -> None:
    out = tmp_path / "t.parquet"
    args = [*MUNICIPAL, *META, "--out", str(out), "--json"]
    result = ok(run(tmp_path / "home", "aggregate", str(records), *args))
    payload = json.loads(result.stdout)
    assert payload["aggregation"]["records_in"] == 6
    assert payload["aggregation"]["rows_out"] == 5
    assert "sql" not in payload["aggregation"]


def test_unmatched_records_refuse_everything_unless_dropped(tmp_path: Path) -> None:
    bad = RECORDS.copy()
    bad.loc[2, "kommun"] = "9999"  # no such county
    source = tmp_path / "bad.parquet"
    bad.to_parquet(source, index=False)
    root = tmp_path / "home"
    args = [*MUNICIPAL, *META, "--name", "emp"]
    message = one_line_error(run(root, "aggregate", str(source), *args))
    assert "9999" in message
    assert "--drop-unmatched" in message or "unmatched" in message
    assert not (root / "evidence.duckdb").exists() or not EvidenceStore(root).list()
    result = ok(run(root, "aggregate", str(source), *args, "--drop-unmatched"))
    assert "1 unmatched records dropped" in result.output
    assert EvidenceStore(root).load("emp").to_pandas()["value"].sum() == 5.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([*META], "--name NAME"),
        ([*META, "--name", "x", "--weight", "employees", "--distinct", "firm"], "not both"),
        ([*META, "--name", "x", "--region-from", "postcode"], "--region-map"),
        ([*META, "--name", "x", "--region-map-columns", "onlyone"], "ID,NUTS"),
        ([*META, "--name", "x", "--region-map", "nowhere.csv"], "does not exist"),
    ],
)
def test_usage_errors(tmp_path: Path, records: Path, args: list[str], message: str) -> None:
    result = run(tmp_path / "home", "aggregate", str(records), *args)
    assert result.exit_code == 2
    assert message in result.output + result.stderr


def test_a_missing_column_is_named(tmp_path: Path, records: Path) -> None:
    args = [*MUNICIPAL, *META, "--weight", "salary", "--name", "emp"]
    message = one_line_error(run(tmp_path / "home", "aggregate", str(records), *args))
    assert "salary" in message
    assert "employees" in message  # the columns there are


def test_a_filter_that_is_no_number_on_a_numeric_column(tmp_path: Path, records: Path) -> None:
    args = [*MUNICIPAL, *META, "--filter", "year=last", "--name", "emp"]
    message = one_line_error(run(tmp_path / "home", "aggregate", str(records), *args))
    assert "'last' is not a number" in message


def test_an_existing_output_needs_force(tmp_path: Path, records: Path) -> None:
    out = tmp_path / "t.csv"
    out.write_text("keep me\n")
    args = [*MUNICIPAL, *META, "--out", str(out)]
    message = one_line_error(run(tmp_path / "home", "aggregate", str(records), *args))
    assert "--force" in message
    assert out.read_text() == "keep me\n"
    ok(run(tmp_path / "home", "aggregate", str(records), *args, "--force"))
    assert "SE211" in out.read_text()


def test_municipalities_record_nuts_2024(tmp_path: Path, records: Path) -> None:
    root = tmp_path / "home"
    ok(run(root, "aggregate", str(records), *MUNICIPAL, *META, "--name", "emp"))
    meta = EvidenceStore(root).load("emp").meta
    assert meta.nuts_version == 2024
    assert meta.region_level == 3

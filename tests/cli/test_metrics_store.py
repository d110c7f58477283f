"""`smartspec metrics NAME`: tables of the evidence store, by name and version.

Each test imports real CSV files into a real evidence store (DuckDB catalogue and
Parquet files) in a temporary data directory with `smartspec data import`, then runs
`smartspec metrics` on the stored name and on the file and compares the outputs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from smartspec import cli
from smartspec.data.store import EvidenceStore

META = ["--measure", "employment", "--unit", "persons", "--additive", "--nuts-version", "2016"]
REGIONS = ["SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33"]
ACTIVITIES = ["C", "F", "G", "J", "K"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the user's data directory; the working directory is the test's own."""
    monkeypatch.setenv("SMARTSPEC_DATA_DIR", str(tmp_path / "default-data"))
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args), prog_name="smartspec")


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def error(result: Result) -> str:
    """The one error line of a clean failure (exit status 1)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def employment_csv(path: Path, scale: float = 1.0) -> Path:
    """A NUTS 2016 level-2 table: 8 regions × 5 sections × 2 years."""
    rng = np.random.default_rng(7)
    rows = [
        (region, activity, period, float(rng.integers(1, 400)))
        for region in REGIONS
        for activity in ACTIVITIES
        for period in (2015, 2016)
    ]
    df = pd.DataFrame(rows, columns=["region", "activity", "period", "value"])
    df.loc[df["activity"] == "J", "value"] *= scale
    df.to_csv(path, index=False)
    return path


def imported(root: Path, csv: Path, name: str) -> Result:
    return ok(run("--data-dir", str(root), "data", "import", str(csv), "--name", name, *META))


def metrics(root: Path, source: str, out: Path, *extra: str) -> Result:
    return run("--data-dir", str(root), "metrics", source, "--out", str(out), *extra)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"region": str, "activity": str})


def same(a: Path, b: Path) -> None:
    pd.testing.assert_frame_equal(read(a), read(b), check_exact=False, rtol=1e-12, atol=1e-12)


def sidecar(out: Path) -> dict[str, object]:
    doc = json.loads(out.with_name(out.name + ".json").read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def test_a_stored_table_gives_the_numbers_of_its_file(tmp_path: Path) -> None:
    root = tmp_path / "data"
    csv = employment_csv(tmp_path / "employment.csv")
    imported(root, csv, "emp")
    by_name, by_file = tmp_path / "by_name.csv", tmp_path / "by_file.csv"
    regions_name, regions_file = tmp_path / "rn.csv", tmp_path / "rf.csv"
    res = ok(metrics(root, "emp", by_name, "--region-indices", str(regions_name)))
    assert "of emp v1 to" in res.stderr
    ok(metrics(root, str(csv), by_file, "--region-indices", str(regions_file)))
    same(by_name, by_file)
    same(regions_name, regions_file)
    assert len(read(by_name)) == len(REGIONS) * len(ACTIVITIES) * 2

    side = sidecar(by_name)
    assert side["source"] == "emp v1"
    provenance = side["provenance"]
    assert isinstance(provenance, dict)
    entry = EvidenceStore(root).show("emp")
    assert provenance["input"] == {
        "kind": "store",
        "reference": "store:emp@1",
        "name": "emp",
        "version": 1,
        "content_hash": entry.content_hash,
        "imported_at": entry.to_dict()["imported_at"],
        "data_dir": str(root.resolve()),
        "file": str(entry.file),
        "measure": "employment",
        "unit": "persons",
        "table_provenance": {"source": "employment.csv"},
    }
    from_file = sidecar(by_file)["provenance"]
    assert isinstance(from_file, dict)
    assert from_file["input"]["kind"] == "file"
    assert from_file["input"]["reference"] == f"file:{csv.resolve()}"
    assert from_file["input"]["path"] == str(csv.resolve())
    assert from_file["input_hash"] == provenance["input_hash"]  # the same data


def test_the_data_directory_comes_from_the_env_or_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    imported(root, employment_csv(tmp_path / "employment.csv"), "emp")
    monkeypatch.setenv("SMARTSPEC_DATA_DIR", str(root))
    ok(run("metrics", "emp", "--out", str(tmp_path / "env.csv")))
    assert sidecar(tmp_path / "env.csv")["source"] == "emp v1"
    monkeypatch.setenv("SMARTSPEC_DATA_DIR", str(tmp_path / "elsewhere"))
    ok(run("metrics", "emp", "--out", str(tmp_path / "opt.csv"), "--data-dir", str(root)))
    line = error(run("metrics", "emp", "--out", str(tmp_path / "none.csv")))
    assert "unknown table 'emp'" in line
    assert "there is no evidence store in" in line
    assert not (tmp_path / "elsewhere").exists()  # looking did not create a store


def test_versions_are_chosen_with_name_at_n(tmp_path: Path) -> None:
    root = tmp_path / "data"
    first = employment_csv(tmp_path / "first.csv")
    second = employment_csv(tmp_path / "second.csv", scale=3.0)
    imported(root, first, "emp")
    res = imported(root, second, "emp")
    assert "imported emp v2" in res.output
    for source, name in [
        ("emp", "latest"),
        ("emp@2", "v2"),
        ("emp@1", "v1"),
        ("emp@v1", "v1b"),
        ("store:emp@1", "v1c"),
    ]:
        ok(metrics(root, source, tmp_path / f"{name}.csv"))
    ok(metrics(root, str(first), tmp_path / "first_out.csv"))
    ok(metrics(root, str(second), tmp_path / "second_out.csv"))
    same(tmp_path / "latest.csv", tmp_path / "second_out.csv")
    same(tmp_path / "v2.csv", tmp_path / "second_out.csv")
    for name in ("v1", "v1b", "v1c"):
        same(tmp_path / f"{name}.csv", tmp_path / "first_out.csv")
    assert not np.allclose(read(tmp_path / "v1.csv")["rca"], read(tmp_path / "v2.csv")["rca"])
    versions = {name: sidecar(tmp_path / f"{name}.csv")["provenance"] for name in ("latest", "v1")}
    assert versions["latest"]["input"]["version"] == 2  # type: ignore[index]
    assert versions["v1"]["input"]["version"] == 1  # type: ignore[index]
    assert versions["v1"]["input"]["reference"] == "store:emp@1"  # type: ignore[index]

    line = error(metrics(root, "emp@9", tmp_path / "x.csv"))
    assert "unknown version '9' of the stored table 'emp' (its versions: 1, 2)" in line
    line = error(metrics(root, "emp@latest", tmp_path / "x.csv"))
    assert "'latest' in 'emp@latest' is not a version number" in line
    assert "emp@3 or emp@v3" in line
    line = error(metrics(root, "lfs_employment_nuts2@2", tmp_path / "x.csv"))
    assert "lfs_employment_nuts2 is a bundled dataset, which has no versions" in line
    assert not (tmp_path / "x.csv").exists()


def test_a_store_name_that_is_also_a_dataset_must_be_chosen(tmp_path: Path) -> None:
    root = tmp_path / "data"
    csv = employment_csv(tmp_path / "employment.csv")
    res = imported(root, csv, "se_lan_employment")
    assert "se_lan_employment is also the name of a bundled dataset" in res.stderr
    assert "store:se_lan_employment" in res.stderr

    line = error(metrics(root, "se_lan_employment", tmp_path / "x.csv"))
    assert "'se_lan_employment' names more than one table" in line
    assert "a bundled dataset (se_lan_employment)" in line
    assert f"a table of the evidence store in {root.resolve()}" in line
    assert "write dataset:se_lan_employment or store:se_lan_employment to choose one" in line
    assert not (tmp_path / "x.csv").exists()

    ok(metrics(root, "store:se_lan_employment", tmp_path / "stored.csv"))
    ok(metrics(root, str(csv), tmp_path / "file.csv"))
    same(tmp_path / "stored.csv", tmp_path / "file.csv")
    ok(metrics(root, "dataset:se_lan_employment", tmp_path / "dataset.csv"))
    side = sidecar(tmp_path / "dataset.csv")
    assert side["source"] == "se_lan_employment"
    assert side["provenance"]["input"]["kind"] == "dataset"  # type: ignore[index]
    assert side["provenance"]["input"]["reference"] == "dataset:se_lan_employment"  # type: ignore[index]
    assert len(read(tmp_path / "dataset.csv")) > len(read(tmp_path / "stored.csv"))


def test_a_file_named_like_a_dataset_must_be_chosen(tmp_path: Path) -> None:
    root = tmp_path / "data"
    csv = employment_csv(tmp_path / "employment.csv")
    shutil.copy(csv, tmp_path / "se_lan_employment")  # in the working directory
    line = error(metrics(root, "se_lan_employment", tmp_path / "x.csv"))
    assert "a file (./se_lan_employment) and a bundled dataset (se_lan_employment)" in line
    assert "write file:se_lan_employment or dataset:se_lan_employment" in line
    ok(metrics(root, "file:se_lan_employment", tmp_path / "file.csv"))
    ok(metrics(root, str(csv), tmp_path / "csv.csv"))
    same(tmp_path / "file.csv", tmp_path / "csv.csv")
    # and a stored table of the same name: three sources
    imported(root, csv, "se_lan_employment")
    line = error(metrics(root, "se_lan_employment", tmp_path / "x.csv"))
    assert "write file:se_lan_employment, dataset:se_lan_employment or store:" in line
    # a path is only ever a file
    ok(metrics(root, "./se_lan_employment", tmp_path / "dot.csv"))
    same(tmp_path / "dot.csv", tmp_path / "csv.csv")


def test_an_unknown_name_suggests_files_datasets_and_stored_tables(tmp_path: Path) -> None:
    root = tmp_path / "data"
    csv = employment_csv(tmp_path / "employment.csv")
    imported(root, csv, "emp_se")
    line = error(metrics(root, "emp_sw", tmp_path / "x.csv"))
    assert line.startswith(
        "error: unknown table 'emp_sw': no file, bundled dataset or table of the evidence "
        f"store in {root.resolve()} has that name; did you mean "
    )
    assert "emp_se (stored table)" in line
    line = error(metrics(root, "employmnt", tmp_path / "x.csv"))
    assert "employment.csv (file)" in line
    line = error(metrics(root, "lfs_employment", tmp_path / "x.csv"))
    assert "lfs_employment_nuts2 (bundled dataset)" in line
    line = error(metrics(root, "employment.cvs", tmp_path / "x.csv"))
    assert line == "error: no such file: employment.cvs; did you mean employment.csv (file)?"
    line = error(metrics(root, "emp_se.csv", tmp_path / "x.csv"))
    assert "no such file: emp_se.csv; did you mean emp_se (stored table)?" in line
    line = error(metrics(root, "zzzz", tmp_path / "x.csv"))
    assert "see `smartspec datasets list` and `smartspec data list`" in line
    line = error(metrics(root, "store:emp_sw", tmp_path / "x.csv"))
    assert "unknown stored table 'emp_sw'" in line
    assert "emp_se" in line
    line = error(metrics(root, "dataset:emp_se", tmp_path / "x.csv"))
    assert "unknown dataset 'emp_se'" in line
    line = error(metrics(root, "file:emp_se", tmp_path / "x.csv"))
    assert line == "error: no such file: emp_se (check the path)"
    assert not (tmp_path / "x.csv").exists()


def test_a_dropped_table_or_version_is_gone(tmp_path: Path) -> None:
    root = tmp_path / "data"
    imported(root, employment_csv(tmp_path / "first.csv"), "emp")
    imported(root, employment_csv(tmp_path / "second.csv", scale=2.0), "emp")
    ok(run("--data-dir", str(root), "data", "drop", "emp", "--version", "1", "--yes"))
    line = error(metrics(root, "emp@1", tmp_path / "x.csv"))
    assert "unknown version '1' of the stored table 'emp' (its versions: 2)" in line
    ok(metrics(root, "emp", tmp_path / "latest.csv"))
    assert sidecar(tmp_path / "latest.csv")["source"] == "emp v2"
    ok(run("--data-dir", str(root), "data", "drop", "emp", "--yes"))
    line = error(metrics(root, "emp", tmp_path / "x.csv"))
    assert "unknown table 'emp'" in line
    line = error(metrics(root, "store:emp", tmp_path / "x.csv"))
    assert "unknown stored table 'emp' in the evidence store" in line
    assert not (tmp_path / "x.csv").exists()


def test_data_show_and_drop_take_name_at_version(tmp_path: Path) -> None:
    root = tmp_path / "data"
    imported(root, employment_csv(tmp_path / "first.csv"), "emp")
    imported(root, employment_csv(tmp_path / "second.csv", scale=2.0), "emp")
    res = ok(run("--data-dir", str(root), "data", "show", "emp@1"))
    assert res.output.startswith("emp v1 (the latest is v2)")
    res = ok(run("--data-dir", str(root), "data", "show", "store:emp@v1", "--json"))
    assert json.loads(res.output)["version"] == 1
    res = run("--data-dir", str(root), "data", "show", "emp@1", "--version", "2")
    assert res.exit_code == 2
    assert "give one of them" in res.output
    res = run("--data-dir", str(root), "data", "show", "dataset:emp")
    assert res.exit_code == 2
    res = ok(run("--data-dir", str(root), "data", "drop", "emp@1", "--yes"))
    assert "dropped emp v1" in res.output
    assert [e.version for e in EvidenceStore(root).history("emp")] == [2]


def test_a_table_without_activities_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "data"
    csv = tmp_path / "gdp.csv"
    pd.DataFrame({"region": REGIONS, "value": np.arange(1.0, 9.0)}).to_csv(csv, index=False)
    imported(root, csv, "gdp")
    line = error(metrics(root, "gdp", tmp_path / "x.csv"))
    assert "the stored table gdp v1 has no activities" in line
    line = error(metrics(root, str(csv), tmp_path / "x.csv"))
    assert "gdp.csv: missing column(s) 'activity'" in line

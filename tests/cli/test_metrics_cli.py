"""`smartspec metrics`: bundled datasets, files, outputs and unhappy paths."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from smartspec import cli, datasets
from smartspec.metrics import compute_metrics

COLUMNS = ["region", "activity", "period", "value", "rca", "mcp", "diversity", "ubiquity",
           "eci", "pci", "density", "coi", "cog"]  # fmt: skip


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.app, ["metrics", *args], prog_name="smartspec")


def ok(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def test_lfs_dataset_with_all_outputs(tmp_path: Path) -> None:
    out, prox, reg = tmp_path / "m.csv", tmp_path / "p.csv", tmp_path / "r.csv"
    res = run("lfs_employment_nuts2", "--out", str(out), "--missing", "drop",
              "--proximity", str(prox), "--region-indices", str(reg))  # fmt: skip
    ok(res)
    df = pd.read_csv(out, dtype={"region": str, "activity": str})
    assert list(df.columns) == COLUMNS
    expected = compute_metrics(
        datasets.load("lfs_employment_nuts2"), missing="drop", stability_thresholds=()
    )
    assert len(df) == len(expected)
    np.testing.assert_allclose(df["eci"], expected["eci"], rtol=1e-12, atol=1e-12)
    side = json.loads((tmp_path / "m.csv.json").read_text())
    assert side["source"] == "lfs_employment_nuts2"
    assert side["provenance"]["convention"]["name"] == "smartspec"
    assert len(side["provenance"]["input_hash"]) == 64
    assert len(side["periods"]) == 8
    assert set(side["periods"][0]["stability"]) == {"0.8", "1.25"}
    assert side["missing_policy"] == "drop"
    p = pd.read_csv(prox, dtype={"activity_1": str, "activity_2": str})
    assert list(p.columns) == ["period", "activity_1", "activity_2", "proximity"]
    r = pd.read_csv(reg)
    assert list(r.columns) == ["region", "period", "diversity", "eci", "coi", "hachman",
                               "krugman", "herfindahl", "entropy"]  # fmt: skip
    # A*10 groups have no single parent: no related/unrelated variety
    assert r.groupby("period").size().min() > 200


def test_sbs_divisions_get_related_variety(tmp_path: Path) -> None:
    out, reg = tmp_path / "m.parquet", tmp_path / "r.csv"
    ok(run("sbs_employment_nuts2_2014", "-o", str(out), "--missing", "zero",
           "--region-indices", str(reg), "--convention", "econgeo"))  # fmt: skip
    df = pd.read_parquet(out)
    assert df["density"].max() > 1  # percent under econgeo
    r = pd.read_csv(reg)
    assert {"related_variety", "unrelated_variety"} <= set(r.columns)
    fine = r.dropna(subset=["entropy", "related_variety"])
    np.testing.assert_allclose(
        fine["related_variety"] + fine["unrelated_variety"], fine["entropy"], rtol=1e-9
    )


@pytest.mark.parametrize(
    ("convention", "method", "column"),
    [
        ("growthlab", "eigenvector", "eci"),
        ("economiccomplexity", "fitness", "fitness"),
        ("economiccomplexity", "reflections", "eci"),
    ],
)
def test_world_trade_conventions(tmp_path: Path, convention: str, method: str, column: str) -> None:
    out = tmp_path / "w.csv"
    ok(run("world_trade", "--out", str(out), "-c", convention, "-m", method,
           "--rca-threshold", "1"))  # fmt: skip
    df = pd.read_csv(out, dtype={"region": str, "activity": str})
    assert "period" not in df.columns
    assert column in df.columns
    assert len(df) == 226 * 785


def test_csv_input_and_overwrite(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    pd.DataFrame(
        {
            "region": ["a", "a", "b", "b", "c"],
            "activity": ["x", "y", "x", "z", "z"],
            "period": [2020] * 5,
            "value": [5.0, 1.0, 2.0, 2.0, 3.0],
        }
    ).to_csv(src, index=False)
    out = tmp_path / "o.csv"
    ok(run(str(src), "--out", str(out)))
    assert len(pd.read_csv(out)) == 9
    again = run(str(src), "--out", str(out))
    assert again.exit_code == 1
    assert "would overwrite" in again.output
    assert "--force" in again.output
    ok(run(str(src), "--out", str(out), "--force"))


def test_unhappy_paths(tmp_path: Path) -> None:
    out = str(tmp_path / "o.csv")
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"region": ["a"], "sector": ["x"], "value": [1.0]}).to_csv(bad, index=False)
    res = run(str(bad), "--out", out)
    assert res.exit_code == 1
    assert "missing column(s) 'activity'" in res.output
    txt = tmp_path / "txt.csv"
    pd.DataFrame({"region": ["a", "b"], "activity": ["x", "y"], "value": ["1", "n/a"]}).to_csv(
        txt, index=False
    )
    res = run(str(txt), "--out", out)
    assert res.exit_code == 1
    # files are read by read_table, as `smartspec data import` reads them: 'n/a' is not
    # one of its missing-value marks (empty, ':', NA, nan)
    assert "txt.csv, row 2, column 'value': value 'n/a' is not a number" in res.output
    res = run("lfs_employment_nuts2", "--out", out)  # has missing cells
    assert res.exit_code == 1
    assert "missing value(s)" in res.output
    assert "--missing zero" in res.output
    assert "--missing drop" in res.output
    assert not Path(out).exists()
    res = run("no_such_dataset", "--out", out)
    assert res.exit_code == 1
    assert "dataset" in res.output
    res = run(str(tmp_path / "nofile.csv"), "--out", out)
    assert res.exit_code == 1
    assert "no such file" in res.output
    res = run("world_trade", "--out", str(tmp_path / "o.xlsx"))
    assert res.exit_code == 1
    assert "suffix" in res.output
    assert ".parquet" in res.output
    res = run("world_trade", "--out", out, "--rca-threshold", "0")
    assert res.exit_code == 1
    assert "positive" in res.output
    res = run("world_trade", "--out", out, "--convention", "atlas")
    assert res.exit_code == 2
    res = run("gdp_nuts2", "--out", out)
    assert res.exit_code == 1
    assert "no activities" in res.output
    assert "Traceback" not in res.output

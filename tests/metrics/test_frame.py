"""compute_metrics: the DataFrame layer, errors, options and diagnostics."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from smartspec.errors import InputError
from smartspec.metrics import (
    Convention,
    compute_metrics,
    compute_proximity,
    diagnostics,
    matrix_metrics,
)

from ._helpers import panel_from_array, synthetic

COLUMNS = [
    "region", "activity", "period", "value", "rca", "mcp", "diversity", "ubiquity",
    "eci", "pci", "density", "coi", "cog",
]  # fmt: skip


@pytest.fixture
def panel() -> pd.DataFrame:
    return panel_from_array(synthetic(1, 20, 30, 3, 0.5))


def test_columns_order_and_values_match_the_matrix_core(panel: pd.DataFrame) -> None:
    out = compute_metrics(panel)
    assert list(out.columns) == COLUMNS
    assert len(out) == 3 * 20 * 30
    assert out["period"].is_monotonic_increasing
    first = out[out["period"] == 2000]
    X = first["value"].to_numpy().reshape(20, 30)
    m = matrix_metrics(X)
    np.testing.assert_array_equal(first["eci"].to_numpy().reshape(20, 30)[:, 0], m.eci)
    np.testing.assert_array_equal(first["pci"].to_numpy().reshape(20, 30)[0], m.pci)
    np.testing.assert_array_equal(first["cog"].to_numpy().reshape(20, 30), m.cog)
    assert out["region"].astype(str).iloc[0] == "R000"


def test_row_order_and_absent_rows_do_not_matter(panel: pd.DataFrame) -> None:
    shuffled = panel.sample(frac=1.0, random_state=3)
    sparse = shuffled[shuffled["value"] > 0]  # absent rows count as 0
    a = compute_metrics(panel, stability_thresholds=())
    b = compute_metrics(sparse, stability_thresholds=())
    pd.testing.assert_frame_equal(a, b, check_categorical=False, check_like=False)
    assert (
        diagnostics(a).provenance.input_hash == diagnostics(b).provenance.input_hash
    )  # the hash is of the content, not of the row order


def test_duck_typed_activity_table(panel: pd.DataFrame) -> None:
    class Table:
        def __init__(self, frame: pd.DataFrame) -> None:
            self.frame = frame

    out = compute_metrics(Table(panel), stability_thresholds=())
    assert len(out) == len(panel)
    with pytest.raises(InputError, match="DataFrame"):
        compute_metrics([1, 2, 3])


def test_without_period_and_with_renamed_columns() -> None:
    df = pd.DataFrame(
        {
            "geo": ["a", "a", "b", "b", "c", "c"],
            "nace": ["x", "y", "x", "z", "y", "z"],
            "emp": [5.0, 1.0, 2.0, 2.0, 1.0, 3.0],
        }
    )
    out = compute_metrics(df, columns={"region": "geo", "activity": "nace", "value": "emp"})
    assert list(out.columns[:3]) == ["geo", "nace", "emp"]
    assert "period" not in out.columns
    assert len(out) == 9  # 3 regions × 3 activities, absent pairs are 0
    assert out.loc[(out["geo"] == "a") & (out["nace"] == "z"), "emp"].item() == 0.0


def test_missing_values_are_listed(panel: pd.DataFrame) -> None:
    bad = panel.copy()
    bad.loc[[4, 10], "value"] = np.nan
    with pytest.raises(InputError) as err:
        compute_metrics(bad)
    text = str(err.value)
    assert "2 missing value(s)" in text
    assert "row 5" in text
    assert "row 11" in text
    assert "missing='zero'" in text
    zero = compute_metrics(bad, missing="zero", stability_thresholds=())
    dropped = compute_metrics(bad, missing="drop", stability_thresholds=())
    # dropping a cell makes it absent, i.e. 0: the same numbers here
    pd.testing.assert_frame_equal(zero, dropped, check_categorical=False)
    assert diagnostics(zero).missing_cells == 2


def test_other_bad_input(panel: pd.DataFrame) -> None:
    with pytest.raises(InputError, match="missing column"):
        compute_metrics(panel.drop(columns="value"))
    neg = panel.copy()
    neg.loc[0, "value"] = -1.0
    with pytest.raises(InputError, match="negative"):
        compute_metrics(neg)
    dup = pd.concat([panel, panel.iloc[[7]]])
    with pytest.raises(InputError, match="duplicated"):
        compute_metrics(dup)
    txt = panel.astype({"value": object})
    txt.loc[2, "value"] = "n/a"
    with pytest.raises(InputError, match="not numbers"):
        compute_metrics(txt)
    nolabel = panel.copy()
    nolabel.loc[1, "region"] = None
    with pytest.raises(InputError, match="missing region"):
        compute_metrics(nolabel)
    with pytest.raises(InputError, match="population"):
        compute_metrics(panel, presence="rpop")
    with pytest.raises(InputError, match="unknown convention"):
        compute_metrics(panel, "atlas")


def test_a_zero_row_never_blanks_the_period() -> None:
    X = synthetic(2, 15, 20, 1, 0.6)
    X[0, 3] = 0.0  # region R003: no value at all
    X[0, :, 5] = 0.0  # activity A005: no value at all
    df = panel_from_array(X)
    out = compute_metrics(df)
    r3 = out[out["region"] == "R003"]
    a5 = out[out["activity"] == "A005"]
    assert r3["eci"].isna().all()
    assert r3["coi"].isna().all()
    assert r3["rca"].isna().all()
    assert a5["pci"].isna().all()
    assert a5["density"].isna().all()
    rest = out[(out["region"] != "R003") & (out["activity"] != "A005")]
    assert rest[["eci", "pci", "density", "coi", "cog"]].notna().all().all()
    reasons = {(d.kind, d.code): d.reason for d in diagnostics(out).dropped}
    assert "zero total value" in reasons[("region", "R003")]
    assert "zero total value" in reasons[("activity", "A005")]


def test_diagnostics_and_provenance(panel: pd.DataFrame) -> None:
    out = compute_metrics(panel, "growthlab", threshold=1.5)
    d = diagnostics(out)
    assert d.convention.name == "growthlab"
    assert d.method == "eigenvector"
    assert len(d.periods) == 3
    p = d.periods[0]
    assert p.sign in (1.0, -1.0)
    assert p.sign_source == "diversity"
    assert p.eigenvalues[0] == pytest.approx(1.0)
    assert 0 < p.eigen_gap < 1
    assert set(p.stability) == {1.2, 1.875}
    assert all(-1 <= x <= 1 for pair in p.stability.values() for x in pair)
    prov = d.provenance
    from smartspec._version import __version__

    assert prov.smartspec_version == __version__
    assert prov.parameters["threshold"] == 1.5
    assert prov.convention["name"] == "growthlab"
    assert len(prov.input_hash) == 64
    other = panel.copy()
    other.loc[0, "value"] += 1.0
    assert diagnostics(compute_metrics(other)).provenance.input_hash != prov.input_hash
    assert "growthlab" in d.summary()
    with pytest.raises(InputError):
        diagnostics(pd.DataFrame())


def test_methods(panel: pd.DataFrame) -> None:
    fit = compute_metrics(panel, method="fitness", stability_thresholds=())
    assert {"fitness", "product_complexity"} <= set(fit.columns)
    assert "eci" not in fit.columns
    per = fit.groupby("period", observed=True)
    np.testing.assert_allclose(per["fitness"].mean(), 1.0)
    refl = compute_metrics(panel, method="reflections", steps=300, stability_thresholds=())
    eig = compute_metrics(panel, stability_thresholds=())
    assert np.corrcoef(refl["eci"], eig["eci"])[0, 1] > 0.99
    with pytest.raises(InputError):
        compute_metrics(panel, method="magic")  # type: ignore[arg-type]


def test_conventions_differ_only_where_the_peer_fails(panel: pd.DataFrame) -> None:
    a = compute_metrics(panel, stability_thresholds=())
    b = compute_metrics(panel, "growthlab", stability_thresholds=())
    pd.testing.assert_frame_equal(a, b)
    c = compute_metrics(panel, Convention(name="pct", density_scale=100.0))
    np.testing.assert_allclose(c["density"], 100 * a["density"])
    np.testing.assert_allclose(c["coi"], a["coi"])


def test_proximity_transfer_between_region_sets(panel: pd.DataFrame) -> None:
    big = panel[panel["region"] < "R012"]
    small = panel[panel["region"] >= "R012"]
    prox = compute_proximity(big)
    assert list(prox.columns) == ["period", "activity_1", "activity_2", "proximity"]
    p2000 = prox[prox["period"] == 2000]
    out = compute_metrics(small[small["period"] == 2000], proximity_matrix=p2000)
    X = small[small["period"] == 2000]["value"].to_numpy().reshape(8, 30)
    Xb = big[big["period"] == 2000]["value"].to_numpy().reshape(12, 30)
    phi = matrix_metrics(Xb).proximity
    expected = matrix_metrics(X, proximity_matrix=phi)
    np.testing.assert_allclose(out["density"].to_numpy().reshape(8, 30), expected.density)


def test_rpop_population_forms(panel: pd.DataFrame) -> None:
    regions = sorted(panel["region"].unique())
    mapping = {r: 1000.0 + i for i, r in enumerate(regions)}
    a = compute_metrics(panel, presence="rpop", population=mapping, stability_thresholds=())
    frame = pd.DataFrame({"region": list(mapping), "population": list(mapping.values())})
    b = compute_metrics(panel, presence="rpop", population=frame, stability_thresholds=())
    pd.testing.assert_frame_equal(a, b)
    assert "rpop" in a.columns
    with pytest.raises(InputError, match="no positive population"):
        compute_metrics(panel, presence="rpop", population={"R000": 1.0})


def test_import_does_not_pull_in_pandas_or_heavy_libraries() -> None:
    code = (
        "import sys, smartspec.metrics; "
        "bad = [m for m in ('pandas', 'scipy', 'matplotlib', 'altair', 'fastapi', "
        "'sqlalchemy', 'psycopg') if m in sys.modules]; print(bad)"
    )
    env_path = [p for p in sys.path if p]
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": ":".join(env_path)},
    )
    assert res.stdout.strip() == "[]"


def test_sorted_and_shuffled_large_tables_agree() -> None:
    # >= 10,000 rows: sorted region labels take the run-length factorisation path
    df = panel_from_array(synthetic(4, 40, 60, 5, 0.5))
    a = compute_metrics(df, stability_thresholds=())
    b = compute_metrics(df.sample(frac=1.0, random_state=1), stability_thresholds=())
    pd.testing.assert_frame_equal(a, b)
    assert a["period"].dtype == np.int64


def _arrow_str(values: list[str] | np.ndarray) -> pd.Series:
    return pd.Series(pd.array(np.asarray(values, dtype=object), dtype="string[pyarrow]"))


@pytest.mark.parametrize(
    "make",
    [
        # runs of fixed-width labels (regions of a sorted table)
        lambda: _arrow_str(np.repeat([f"R{i:03d}" for i in (5, 1, 3, 1)], 4000)),
        # runs of labels of different lengths (byte comparison not applicable)
        lambda: _arrow_str(np.repeat(["a", "bb", "ccc", "a", "dddd"], 3000)),
        # a block that repeats (activities of a rectangular panel), fixed and mixed widths
        lambda: _arrow_str(np.tile([f"A{j:02d}" for j in range(50)], 300)),
        lambda: _arrow_str(np.tile(["x", "yy", "z", "wwww", "é", "ab"], 2500)),
        # concatenated bytes repeat but the labels do not: "ab","c" then "a","bc"
        lambda: _arrow_str(np.tile(["ab", "c", "a", "bc"], 4000)),
        # a repeating block with one change near the end
        lambda: _arrow_str(
            np.concatenate([np.tile(["p", "q", "r"], 4000), ["p", "q", "s"]]).tolist()
        ),
        # an offset slice of an Arrow array, and several chunks
        lambda: _arrow_str(np.repeat([f"K{i}" for i in range(9)], 2000)).iloc[7:],
        lambda: pd.Series(
            pd.arrays.ArrowStringArray(
                __import__("pyarrow").chunked_array(
                    [[f"C{i:02d}" for i in np.repeat(np.arange(20), 400)]] * 2
                )
            )
        ),
        # object strings and integers
        lambda: pd.Series(np.repeat(np.array(["b", "a", "c"], dtype=object), 5000)),
        lambda: pd.Series(np.repeat(np.arange(2010, 2000, -1), 1500)),
    ],
)
def test_fast_factorisation_equals_pandas(make: object) -> None:
    from smartspec.metrics.frame import _factorize

    col = make()  # type: ignore[operator]
    for block in (None, 4, 6, 50, 3):
        got = _factorize(col, block)
        codes, uniques = pd.factorize(col, sort=True)
        np.testing.assert_array_equal(got.materialise(), codes)
        assert list(got.uniques) == list(uniques)


@pytest.mark.parametrize("layout", ["sorted", "sparse", "activity_order", "variable_width"])
def test_large_table_layouts_agree_with_shuffled(layout: str) -> None:
    # >= 10,000 rows with Arrow strings: the byte-level fast paths against the general one
    df = panel_from_array(synthetic(5, 40, 60, 5, 0.5))
    df["region"] = pd.array(df["region"].astype(str), dtype="string[pyarrow]")
    df["activity"] = pd.array(df["activity"].astype(str), dtype="string[pyarrow]")
    if layout == "sparse":
        df = df.drop(index=df.index[::7])
    elif layout == "activity_order":
        df = df.sort_values(["period", "region", "activity"], ascending=[True, True, False])
    elif layout == "variable_width":
        short = {a: a.rstrip("0123456789") + str(int(a[-3:])) for a in df["activity"].unique()}
        df["activity"] = pd.array(df["activity"].map(short), dtype="string[pyarrow]")
        df = df.sort_values(["period", "region", "activity"])
    df = df.reset_index(drop=True)
    a = compute_metrics(df, stability_thresholds=())
    b = compute_metrics(df.sample(frac=1.0, random_state=2), stability_thresholds=())
    pd.testing.assert_frame_equal(a, b)
    assert diagnostics(a).provenance.input_hash == diagnostics(b).provenance.input_hash

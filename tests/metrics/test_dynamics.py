"""Entry/exit, growth and shift-share: hand-checked cases, tables and properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smartspec.errors import InputError
from smartspec.metrics.dynamics import (
    cagr,
    compute_entry_exit,
    compute_growth,
    compute_shift_share,
    entries,
    exits,
    growth,
    shift_share,
)
from smartspec.table import ActivityTable

nan = np.nan


# ----------------------------------------------------------------------------- entry/exit
def test_entries_and_exits_by_hand() -> None:
    M0 = np.array([[0, 0, 1, 1], [0, 1, 0, 1]])
    M1 = np.array([[1, 0, 1, 0], [0, 1, 1, 1]])
    # entry: risk set = M0 == 0 -> (0,0) 0->1 entry; (0,1) 0->0 no; (1,0) 0->0 no; (1,2) 0->1 entry
    np.testing.assert_array_equal(entries(M0, M1), [[1.0, 0.0, nan, nan], [0.0, nan, 1.0, nan]])
    # exit: risk set = M0 == 1 -> (0,2) stays; (0,3) 1->0 exit; (1,1), (1,3) stay
    np.testing.assert_array_equal(exits(M0, M1), [[nan, nan, 0.0, 1.0], [nan, 0.0, nan, 0.0]])


def test_stay_requires_persistence() -> None:
    M0 = [[0, 0, 1]]
    M1 = [[1, 1, 0]]
    M2 = [[1, 0, 1]]
    # (0,1) entered at t+k but was gone at t+k+1: not an entry under stay
    np.testing.assert_array_equal(entries(M0, M1, stay=[M2]), [[1.0, 0.0, nan]])
    # (0,2) exited at t+k but was back at t+k+1: not an exit under stay
    np.testing.assert_array_equal(exits(M0, M1, stay=[M2]), [[nan, nan, 0.0]])


def test_eligible_and_unknown_cells() -> None:
    # eligible restricts the risk set; NaN anywhere makes the cell unknown (NaN)
    out = entries([[0, 0, nan, 0]], [[1, 1, 1, nan]], eligible=[[True, False, True, True]])
    np.testing.assert_array_equal(out, [[1.0, nan, nan, nan]])


def test_entries_refuse_bad_input() -> None:
    with pytest.raises(InputError, match="binary"):
        entries([[0.5]], [[1.0]])
    with pytest.raises(InputError, match="shape"):
        entries([[0, 1]], [[1]])
    with pytest.raises(InputError, match="shape"):
        exits([[0, 1]], [[1, 1]], eligible=[[True]])


# ----------------------------------------------------------------------------- growth
def test_growth_by_hand() -> None:
    g = growth([100.0, 0.0, 50.0, 0.0], [121.0, 7.0, 0.0, 0.0], years=2)
    # absolute: 21, 7, -50, 0 (kept for zero starts)
    np.testing.assert_array_equal(g.absolute, [21.0, 7.0, -50.0, 0.0])
    # relative: 121/100 - 1 = 0.21; from 0 -> NaN; 0/50 - 1 = -1; 0 -> 0: NaN
    np.testing.assert_allclose(g.relative, [0.21, nan, -1.0, nan])
    # CAGR: sqrt(1.21) - 1 = 0.1; -1 for a cell that falls to 0
    np.testing.assert_allclose(g.cagr, [0.1, nan, -1.0, nan])
    np.testing.assert_array_equal(g.from_zero, [False, True, False, True])
    assert g.years == 2.0


def test_cagr_edge_cases() -> None:
    # 80 -> 100 over 3 years: 1.25^(1/3) - 1 = 0.0772173...
    assert cagr([80.0], [100.0], 3)[0] == pytest.approx(1.25 ** (1 / 3) - 1, rel=1e-12)
    assert np.isnan(cagr([nan], [1.0], 1)[0])
    for bad in (0, -1, float("nan")):
        with pytest.raises(InputError, match="years"):
            cagr([1.0], [2.0], bad)
    with pytest.raises(InputError, match="shape"):
        growth([1.0, 2.0], [1.0])


# ----------------------------------------------------------------------------- shift-share
X0 = np.array([[10.0, 0.0], [30.0, 20.0]])
X1 = np.array([[12.0, 5.0], [33.0, 20.0]])


def test_shift_share_by_hand() -> None:
    s = shift_share(X0, X1)
    # E0 = (40, 20), E = 60; E1 = (45, 25), E' = 70
    # g = 70/60 - 1 = 1/6; g_p = (45/40 - 1, 25/20 - 1) = (0.125, 0.25)
    assert s.national_growth == pytest.approx(1 / 6)
    np.testing.assert_allclose(s.industry_growth, [0.125, 0.25])
    # (0,0) 10 -> 12: NS = 10/6, IM = 10 (0.125 - 1/6) = -5/12, CE = 2 - 1.25 = 0.75
    # (0,1) 0 -> 5: NS = IM = 0, CE = 5 (the whole change)
    # (1,0) 30 -> 33: NS = 5, IM = 30 (-1/24) = -1.25, CE = 3 - 3.75 = -0.75
    # (1,1) 20 -> 20: NS = 20/6, IM = 20 (1/12) = 5/3, CE = 0 - 5 = -5
    np.testing.assert_allclose(s.national_share, [[10 / 6, 0.0], [5.0, 20 / 6]])
    np.testing.assert_allclose(s.industry_mix, [[-5 / 12, 0.0], [-1.25, 5 / 3]])
    np.testing.assert_allclose(s.competitive, [[0.75, 5.0], [-0.75, -5.0]])
    np.testing.assert_array_equal(s.change, [[2.0, 5.0], [3.0, 0.0]])
    np.testing.assert_array_equal(s.from_zero, [[False, True], [False, False]])
    # Esteban-Marquillas, cell (0,0): hat = 10 * 40/60 = 20/3; g_rp - g_p = 0.2 - 0.125
    # homothetic = 20/3 * 0.075 = 0.5; allocation = (10 - 20/3) * 0.075 = 0.25
    # cell (1,0): hat = 50 * 40/60 = 100/3; g_rp - g_p = 0.1 - 0.125 = -0.025
    # homothetic = -2.5/3; allocation = (30 - 100/3)(-0.025) = 1/12
    np.testing.assert_allclose(s.homothetic[:, 0], [0.5, -2.5 / 3])
    np.testing.assert_allclose(s.allocation[:, 0], [0.25, 1 / 12])
    assert np.isnan(s.homothetic[0, 1])
    assert np.isnan(s.allocation[0, 1])
    # with the table as the nation, competitive effects sum to 0 in every activity
    np.testing.assert_allclose(s.competitive.sum(axis=0), [0.0, 0.0], atol=1e-12)


def test_shift_share_with_reference() -> None:
    # reference totals (100, 50) -> (110, 60): g = 20/150, g_p = (0.1, 0.2)
    ref = ([100.0, 50.0], [110.0, 60.0])
    s = shift_share(X0, X1, reference=ref)
    assert s.national_growth == pytest.approx(20 / 150)
    # (0,0): CE = 2 - 10 * 0.1 = 1; (1,1): CE = 0 - 20 * 0.2 = -4
    np.testing.assert_allclose(s.competitive, [[1.0, 5.0], [0.0, -4.0]], atol=1e-12)
    # a matrix reference is summed over its rows
    m = shift_share(X0, X1, reference=(np.array([[60.0, 50.0], [40.0, 0.0]]), [[110.0, 60.0]]))
    np.testing.assert_allclose(m.competitive, s.competitive)
    with pytest.raises(InputError, match="pair"):
        shift_share(X0, X1, reference=(ref[0],))  # type: ignore[arg-type]
    with pytest.raises(InputError, match="one total per activity"):
        shift_share(X0, X1, reference=([1.0], [1.0]))


def test_shift_share_undefined_industry_growth() -> None:
    # the reference has none of activity 1 at t: g_1 undefined -> IM, CE NaN where x > 0,
    # but the zero-cell rule still applies to cells starting at 0
    s = shift_share(
        [[1.0, 2.0], [1.0, 0.0]], [[1.0, 3.0], [1.0, 4.0]], reference=([10, 0], [10, 5])
    )
    assert np.isnan(s.industry_mix[0, 1])
    assert np.isnan(s.competitive[0, 1])
    assert s.competitive[1, 1] == 4.0
    assert s.industry_mix[1, 1] == 0.0


def test_shift_share_reference_without_an_activity() -> None:
    # an activity the reference lacks (NaN) leaves the other activities intact
    s = shift_share(X0, X1, reference=([100.0, np.nan], [110.0, np.nan]))
    # g = 10/100 from the known activity; (0,0): CE = 2 - 10 * 0.1 = 1
    assert s.national_growth == pytest.approx(0.1)
    assert s.competitive[0, 0] == pytest.approx(1.0)
    assert np.isnan(s.competitive[1, 1])
    assert s.competitive[0, 1] == 5.0  # starts at 0: still its whole change


def test_shift_share_shapes() -> None:
    with pytest.raises(InputError, match="2-D"):
        shift_share([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(InputError, match="shape"):
        shift_share([[1.0, 2.0]], [[1.0]])


VALUES = st.sampled_from([0.0, 0.0, 0.0, 0.5, 1.0, 3.0, 7.25, 120.0])


@st.composite
def pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n_r = draw(st.integers(1, 6))
    n_a = draw(st.integers(1, 6))
    A = draw(arrays(np.float64, (n_r, n_a), elements=VALUES))
    B = draw(arrays(np.float64, (n_r, n_a), elements=VALUES))
    return A, B


@settings(max_examples=200, deadline=None)
@given(pairs())
def test_shift_share_identity_and_no_nan(ab: tuple[np.ndarray, np.ndarray]) -> None:
    A, B = ab
    s = shift_share(A, B)
    total = s.national_share + s.industry_mix + s.competitive
    # with the table as the nation, every component is defined, zero cells included
    assert np.isfinite(total).all()
    np.testing.assert_allclose(total, B - A, rtol=1e-12, atol=1e-9)
    # Esteban-Marquillas: homothetic + allocation = CE wherever the cell starts above 0
    pos = A > 0
    np.testing.assert_allclose(
        (s.homothetic + s.allocation)[pos], s.competitive[pos], rtol=1e-9, atol=1e-9
    )
    assert np.isnan(s.homothetic[~pos]).all()
    # competitive effects sum to 0 per activity (with the table as the nation)
    np.testing.assert_allclose(s.competitive.sum(axis=0)[A.sum(axis=0) > 0], 0.0, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(pairs(), st.floats(1.0, 1e4), st.floats(1.0, 1e4))
def test_shift_share_identity_with_reference(
    ab: tuple[np.ndarray, np.ndarray], r0: float, r1: float
) -> None:
    A, B = ab
    n_a = A.shape[1]
    ref0 = np.linspace(r0, 2 * r0, n_a)
    ref1 = np.linspace(r1, 3 * r1, n_a)
    s = shift_share(A, B, reference=(ref0, ref1))
    total = s.national_share + s.industry_mix + s.competitive
    np.testing.assert_allclose(total, B - A, rtol=1e-12, atol=1e-9)


# ----------------------------------------------------------------------------- tables
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ["a", "a", "b", "b"] * 3,
            "activity": ["x", "y"] * 6,
            "period": [2010] * 4 + [2012] * 4 + [2013] * 4,
            "value": [100.0, 0, 50, 50, 121, 4, 50, 40, 110, 5, 60, 45],
        }
    )


def table(df: pd.DataFrame | None = None, additive: bool = True) -> ActivityTable:
    return ActivityTable.from_frame(
        frame() if df is None else df,
        measure="employment",
        unit="persons",
        additive=additive,
        region_scheme="custom",
    )


def test_compute_growth_dataframe_and_table_agree() -> None:
    a = compute_growth(frame(), end=2012)
    b = compute_growth(table(), end=2012)
    pd.testing.assert_frame_equal(a, b)
    # a/x: 100 -> 121 over 2 years: CAGR 0.1; a/y from 0: NaN rate, absolute 4, flagged
    row = a.set_index(["region", "activity"])
    assert row.loc[("a", "x"), "cagr"] == pytest.approx(0.1)
    assert row.loc[("a", "x"), "years"] == 2.0
    assert np.isnan(row.loc[("a", "y"), "cagr"])
    assert row.loc[("a", "y"), "from_zero"]
    assert row.loc[("a", "y"), "absolute"] == 4.0
    # whole span by default: 2010 -> 2013 (3 years)
    full = compute_growth(frame()).set_index(["region", "activity"])
    assert full.loc[("b", "x"), "cagr"] == pytest.approx(1.2 ** (1 / 3) - 1)
    # growth is allowed on a non-additive measure (a rate grows too)
    assert len(compute_growth(table(additive=False))) == 4


def test_compute_growth_errors() -> None:
    with pytest.raises(InputError, match="at least two periods"):
        compute_growth(frame()[frame()["period"] == 2010])
    with pytest.raises(InputError, match="must come after"):
        compute_growth(frame(), start=2012, end=2010)
    with pytest.raises(InputError, match="not in the table"):
        compute_growth(frame(), start=1999)
    with pytest.raises(InputError, match="missing column"):
        compute_growth(frame().rename(columns={"value": "v"}))
    # renamed columns are accepted with columns=
    out = compute_growth(frame().rename(columns={"value": "v"}), columns={"value": "v"})
    assert len(out) == 4


def test_compute_shift_share_by_hand_and_reference() -> None:
    out = compute_shift_share(frame(), end=2012).set_index(["region", "activity"])
    # nation = a + b: x 150 -> 171 (g_x = 0.14), y 50 -> 44 (g_y = -0.12); 200 -> 215
    # a/x: 100 -> 121: NS = 100 * 0.075 = 7.5, IM = 100 (0.14 - 0.075) = 6.5, CE = 21 - 14 = 7
    assert out.loc[("a", "x"), "national_share"] == pytest.approx(7.5)
    assert out.loc[("a", "x"), "industry_mix"] == pytest.approx(6.5)
    assert out.loc[("a", "x"), "competitive"] == pytest.approx(7.0)
    # a/y from 0: everything is competitive effect
    assert out.loc[("a", "y"), "competitive"] == 4.0
    assert out.loc[("a", "y"), "national_share"] == 0.0
    assert out.loc[("a", "y"), "from_zero"]
    # a reference table: the same table doubled gives the same growth rates
    ref = frame().assign(value=lambda d: d["value"] * 2)
    same = compute_shift_share(frame(), end=2012, reference=ref).set_index(["region", "activity"])
    pd.testing.assert_series_equal(same["competitive"], out["competitive"])
    # the reference must have both periods
    with pytest.raises(InputError, match="reference has no period"):
        compute_shift_share(frame(), end=2012, reference=ref[ref["period"] != 2012])


def test_shift_share_and_entry_exit_refuse_rates() -> None:
    with pytest.raises(InputError, match="additive"):
        compute_shift_share(table(additive=False))
    with pytest.raises(InputError, match="additive"):
        compute_entry_exit(table(additive=False))


def test_compute_entry_exit_by_hand() -> None:
    # period 1: a = (3, 1), b = (1, 3): RCA a/x = (3/4)/(4/8) = 1.5, a/y = 0.5 …
    # period 2: swapped; period 3: back again
    df = pd.DataFrame(
        {
            "region": ["a", "a", "b", "b"] * 3,
            "activity": ["x", "y"] * 6,
            "period": [1] * 4 + [2] * 4 + [3] * 4,
            "value": [3.0, 1, 1, 3, 1, 3, 3, 1, 3, 1, 1, 3],
        }
    )
    out = compute_entry_exit(df)
    first = out[out["period"] == 1]
    assert first["entry"].tolist()[1:3] == [1.0, 1.0]  # a/y and b/x entered
    assert first["exit"].tolist()[0] == 1.0
    assert first["exit"].tolist()[3] == 1.0
    assert np.isnan(first["entry"].tolist()[0])  # a/x was present: not at risk
    assert set(out["period"]) == {1, 2}
    # stay=1: the 1 -> 2 entries are gone again in period 3: no entry survives
    st1 = compute_entry_exit(df, stay=1)
    assert set(st1["period"]) == {1}
    assert np.nansum(st1["entry"]) == 0.0
    assert np.nansum(st1["exit"]) == 0.0
    # horizon 2: 1 -> 3 nothing changes
    h2 = compute_entry_exit(df, horizon=2)
    assert np.nansum(h2["entry"]) == 0.0
    assert (h2["period_end"] == 3).all()
    # start_below 0.4: RCA 0.5 cells are not at risk any more
    sb = compute_entry_exit(df, start_below=0.4)
    assert sb["entry"].isna().all()
    with pytest.raises(InputError, match="no pair"):
        compute_entry_exit(df, horizon=5)
    with pytest.raises(InputError, match="start_below"):
        compute_entry_exit(df, start_below=2.0)
    with pytest.raises(InputError, match="horizon"):
        compute_entry_exit(df, horizon=0)


def test_entry_exit_region_without_data_is_unknown() -> None:
    df = pd.DataFrame(
        {
            "region": ["a", "a", "b", "b", "c", "c"] * 2,
            "activity": ["x", "y"] * 6,
            "period": [1] * 6 + [2] * 6,
            "value": [3.0, 1, 1, 3, 2, 2, 1, 3, 3, 1, 0, 0],
        }
    )
    out = compute_entry_exit(df)
    c = out[out["region"] == "c"]
    # region c has no data in period 2: neither entry nor exit can be observed
    assert c["entry"].isna().all()
    assert c["exit"].isna().all()
    assert c["mcp_end"].isna().all()


def test_missing_values_policies() -> None:
    df = frame()
    df.loc[1, "value"] = np.nan  # a/y 2010
    with pytest.raises(InputError, match="missing"):
        compute_growth(df)
    zero = compute_growth(df, missing="zero")
    assert len(zero) == 4
    drop = compute_growth(df, missing="drop")
    assert set(drop["region"]) == {"b"}
    with pytest.raises(InputError, match="policy"):
        compute_growth(df, missing="ignore")  # type: ignore[arg-type]


def test_dataframe_input_errors() -> None:
    with pytest.raises(InputError, match="DataFrame"):
        compute_growth([1, 2, 3])
    bad = frame()
    bad["value"] = bad["value"].astype(object)
    bad.loc[0, "value"] = "abc"
    with pytest.raises(InputError, match="not numbers"):
        compute_growth(bad)
    neg = frame()
    neg.loc[0, "value"] = -1.0
    with pytest.raises(InputError, match="non-negative"):
        compute_growth(neg)
    dup = pd.concat([frame(), frame().iloc[:1]])
    with pytest.raises(InputError, match="duplicated"):
        compute_growth(dup)


def test_modules_import_without_pandas_or_scipy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, smartspec.metrics.dynamics, smartspec.metrics.critical_mass, "
        "smartspec.metrics.backtest; "
        "print([m for m in ('pandas', 'scipy', 'sklearn') if m in sys.modules])"
    )
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": ":".join(p for p in sys.path if p)},
    )
    assert res.stdout.strip() == "[]"

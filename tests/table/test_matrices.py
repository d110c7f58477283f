"""ActivityTable.to_matrix / matrices: alignment, missing values, sparse.

Speed is measured in ``benchmarks/bench_table.py``, not here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse as sp

from smartspec.errors import InputError
from smartspec.table import ActivityTable, LabelledMatrix


def table(df: pd.DataFrame) -> ActivityTable:
    return ActivityTable.from_frame(
        df, measure="m", unit="u", additive=True, region_scheme="custom", classification="x"
    )


@pytest.fixture
def panel() -> ActivityTable:
    df = pd.DataFrame(
        {
            "region": ["B", "A", "A", "C", "A", "B"],
            "activity": ["y", "x", "y", "x", "x", "x"],
            "period": [2014, 2014, 2014, 2014, 2015, 2015],
            "value": [2.0, 1.0, 3.0, 4.0, 5.0, np.nan],
        }
    )
    return table(df)


def test_matrix_of_one_period(panel: ActivityTable) -> None:
    m = panel.to_matrix(2014)
    assert isinstance(m, LabelledMatrix)
    assert m.regions == ("A", "B", "C")
    assert m.activities == ("x", "y")
    assert m.period == 2014
    assert m.values.tolist() == [[1.0, 3.0], [0.0, 2.0], [4.0, 0.0]]
    assert m.shape == (3, 2)
    assert m.to_frame().loc["C", "x"] == 4.0


def test_matrices_share_labels(panel: ActivityTable) -> None:
    ms = panel.matrices(missing="zero")
    assert list(ms) == [2014, 2015]
    assert ms[2014].regions == ms[2015].regions == ("A", "B", "C")
    assert ms[2014].activities == ms[2015].activities == ("x", "y")
    assert ms[2015].values.tolist() == [[5.0, 0.0], [0.0, 0.0], [0.0, 0.0]]


def test_missing_values_are_an_error_by_default(panel: ActivityTable) -> None:
    with pytest.raises(InputError) as err:
        panel.to_matrix(2015)
    assert "1 missing value in 2015 (B × x)" in str(err.value)
    assert "missing='zero'" in str(err.value)
    with pytest.raises(InputError):
        panel.matrices()


def test_missing_drop_leaves_out_regions_in_every_period(panel: ActivityTable) -> None:
    ms = panel.matrices(missing="drop")
    assert ms[2014].regions == ms[2015].regions == ("A", "C")
    assert ms[2014].dropped_regions == ("B",)
    assert ms[2014].values.tolist() == [[1.0, 3.0], [4.0, 0.0]]
    one = panel.to_matrix(2014, missing="drop")  # 2014 alone has no missing value
    assert one.regions == ("A", "B", "C")
    assert one.dropped_regions == ()


def test_sparse_equals_dense(panel: ActivityTable) -> None:
    dense = panel.to_matrix(2014).values
    m = panel.to_matrix(2014, sparse=True)
    assert sp.issparse(m.values)
    assert m.values.format == "csr"
    assert np.array_equal(m.values.toarray(), dense)
    assert m.values.has_canonical_format
    ms = panel.matrices(sparse=True, missing="zero")
    assert np.array_equal(ms[2015].values.toarray(), panel.to_matrix(2015, missing="zero").values)


def test_period_arguments(panel: ActivityTable) -> None:
    with pytest.raises(InputError, match="2 periods"):
        panel.to_matrix()
    with pytest.raises(InputError, match="2013 is not in the table"):
        panel.to_matrix(2013)
    with pytest.raises(InputError, match="policy"):
        panel.to_matrix(2014, missing="ignore")  # type: ignore[arg-type]


def test_table_without_periods() -> None:
    t = table(pd.DataFrame({"region": ["A", "B"], "activity": ["x", "y"], "value": [1, 2]}))
    assert t.to_matrix().values.tolist() == [[1.0, 0.0], [0.0, 2.0]]
    assert list(t.matrices()) == [None]
    with pytest.raises(InputError, match="no periods"):
        t.to_matrix(2015)


def test_table_without_activities_has_no_matrix() -> None:
    t = table(pd.DataFrame({"region": ["A", "B"], "value": [1, 2]}))
    with pytest.raises(InputError, match="no activity column"):
        t.to_matrix()


def test_values_land_in_the_right_cells_in_random_order() -> None:
    rng = np.random.default_rng(1)
    regions = [f"R{i:03d}" for i in range(40)]
    activities = [f"a{j:02d}" for j in range(30)]
    full = rng.random((40, 30))
    full[full < 0.3] = 0.0
    r, a = np.nonzero(full >= 0)
    order = rng.permutation(len(r))
    df = pd.DataFrame(
        {
            "region": np.array(regions)[r[order]],
            "activity": np.array(activities)[a[order]],
            "value": full[r[order], a[order]],
        }
    )
    t = table(df)
    assert np.array_equal(t.to_matrix().values, full)
    assert np.array_equal(t.to_matrix(sparse=True).values.toarray(), full)


@pytest.mark.slow
def test_three_million_shuffled_rows_give_the_right_matrices() -> None:
    n_regions, n_activities = 1500, 2000
    rng = np.random.default_rng(0)
    order = rng.permutation(n_regions * n_activities)
    r = (np.arange(n_regions * n_activities) // n_activities)[order]
    a = (np.arange(n_regions * n_activities) % n_activities)[order]
    region_names = [f"R{i}" for i in range(n_regions)]
    activity_names = [f"A{j}" for j in range(n_activities)]
    values = rng.random(len(r))
    df = pd.DataFrame(
        {
            "region": pd.Categorical.from_codes(r, region_names),
            "activity": pd.Categorical.from_codes(a, activity_names),
            "value": values,
        }
    )
    t = table(df)
    # reference from the same arrays; labels are sorted as text ("R0", "R1", "R10", ...)
    full = np.empty((n_regions, n_activities))
    full[r, a] = values
    rows = np.argsort(np.array(region_names), kind="stable")
    cols = np.argsort(np.array(activity_names), kind="stable")
    expected = full[np.ix_(rows, cols)]

    dense = t.to_matrix()
    assert dense.shape == (n_regions, n_activities)
    assert dense.regions == tuple(sorted(region_names))
    assert dense.activities == tuple(sorted(activity_names))
    assert np.array_equal(dense.values, expected)

    sparse = t.to_matrix(sparse=True)
    assert sp.issparse(sparse.values)
    assert sparse.shape == (n_regions, n_activities)
    assert sparse.regions == dense.regions
    assert sparse.activities == dense.activities
    assert sparse.values.nnz == np.count_nonzero(expected)
    assert np.array_equal(sparse.values.toarray(), expected)

"""Property tests (hypothesis): invariances and identities of the metrics."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smartspec.metrics import matrix_metrics, rca

VALUES = st.sampled_from([0.0, 0.0, 0.5, 1.0, 2.0, 3.0, 7.5, 20.0])


@st.composite
def matrices(draw: st.DrawFn) -> np.ndarray:
    n_r = draw(st.integers(3, 9))
    n_a = draw(st.integers(3, 9))
    X = draw(arrays(np.float64, (n_r, n_a), elements=VALUES))
    X[:, 0] += 1.0  # every region has something
    X[0, :] += 1.0  # every activity has something
    return X


def well_posed(m: object) -> bool:
    """The eigenvector is unique and well separated (no rank ties ambiguity)."""
    c = m.complexity  # type: ignore[attr-defined]
    ev = c.eigenvalues
    return (
        len(ev) >= 3
        and ev[0] - ev[1] > 1e-3
        and ev[1] - ev[2] > 1e-3 * max(ev[1], 1e-12)
        and c.sign_source == "diversity"
        and abs(c.sign_correlation) > 1e-6  # the sign rule is not on a knife edge
    )


SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(matrices(), st.randoms(use_true_random=False))
def test_permutation_invariance(X: np.ndarray, rnd: object) -> None:
    pr = np.array(rnd.sample(range(X.shape[0]), X.shape[0]))  # type: ignore[attr-defined]
    pa = np.array(rnd.sample(range(X.shape[1]), X.shape[1]))  # type: ignore[attr-defined]
    a = matrix_metrics(X, "growthlab", stability_thresholds=())
    assume(well_posed(a))
    b = matrix_metrics(X[np.ix_(pr, pa)], "growthlab", stability_thresholds=())
    for name in ("rca", "mcp", "density", "cog"):
        np.testing.assert_allclose(
            getattr(b, name), getattr(a, name)[np.ix_(pr, pa)], atol=1e-8, equal_nan=True
        )
    for name in ("eci", "coi", "diversity"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name)[pr], atol=1e-8)
    np.testing.assert_allclose(b.pci, a.pci[pa], atol=1e-8, equal_nan=True)


@SETTINGS
@given(matrices(), st.integers(-20, 20))
def test_scaling_values_changes_nothing(X: np.ndarray, k: int) -> None:
    # scaling by 2^k is exact in floating point, so RCA ties cannot flip
    a = matrix_metrics(X, "growthlab", stability_thresholds=())
    b = matrix_metrics(X * 2.0**k, "growthlab", stability_thresholds=())
    np.testing.assert_array_equal(a.rca, b.rca)
    np.testing.assert_array_equal(a.mcp, b.mcp)
    np.testing.assert_allclose(a.eci, b.eci, atol=1e-9, equal_nan=True)
    np.testing.assert_allclose(a.cog, b.cog, atol=1e-9, equal_nan=True)


@SETTINGS
@given(matrices())
def test_rca_identities(X: np.ndarray) -> None:
    R = rca(X)
    col_share = X.sum(0) / X.sum()
    row_share = X.sum(1) / X.sum()
    # sum_p S_p RCA_cp = 1 and sum_c s_c RCA_cp = 1
    np.testing.assert_allclose(R @ col_share, 1.0, rtol=1e-12)
    np.testing.assert_allclose(row_share @ R, 1.0, rtol=1e-12)
    # hence every region and activity has some RCA >= 1 (up to rounding)
    assert (R.max(axis=1) >= 1 - 1e-12).all()
    assert (R.max(axis=0) >= 1 - 1e-12).all()


@SETTINGS
@given(matrices(), st.sampled_from([1.0, 1.5, 2.0]))
def test_eci_is_mean_pci_of_present_activities(X: np.ndarray, threshold: float) -> None:
    m = matrix_metrics(X, "growthlab", threshold=threshold, stability_thresholds=())
    assume(np.isfinite(m.eci).any())
    for c in np.flatnonzero(np.isfinite(m.eci)):
        present = m.mcp[c] == 1
        assert abs(m.eci[c] - m.pci[present].mean()) < 1e-9
    ok = np.isfinite(m.eci)
    assert abs(m.eci[ok].mean()) < 1e-9
    assert abs(m.eci[ok].std() - 1) < 1e-9


@SETTINGS
@given(matrices(), st.sampled_from(["min", "asymmetric"]))
def test_density_is_a_share(X: np.ndarray, kind: str) -> None:
    m = matrix_metrics(X, proximity_kind=kind, stability_thresholds=())  # type: ignore[arg-type]
    d = m.density[np.isfinite(m.density)]
    assert (d >= -1e-12).all()
    assert (d <= 1 + 1e-12).all()
    # where the region has the activity, density includes phi_pp = 1 in the numerator
    phi = m.proximity
    assert np.allclose(np.diag(phi)[np.isfinite(np.diag(phi))], 1.0)

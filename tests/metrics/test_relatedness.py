"""Proximity, density, COI and COG on small hand-checked matrices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartspec.errors import InputError
from smartspec.metrics import (
    complexity_outlook_gain,
    complexity_outlook_index,
    cooccurrence,
    density,
    distance,
    proximity,
)

M = np.array([[1.0, 1.0], [1.0, 0.0]])


def test_cooccurrence_and_proximity_by_hand() -> None:
    # C = M'M = [[2, 1], [1, 1]]; u = (2, 1)
    np.testing.assert_array_equal(cooccurrence(M), [[2, 1], [1, 1]])
    # min conditional probability: phi01 = 1 / max(2, 1) = 1/2
    np.testing.assert_allclose(proximity(M), [[1.0, 0.5], [0.5, 1.0]])
    # asymmetric: phi_pq = P(q | p) = C_pq / u_p -> phi01 = 1/2, phi10 = 1/1
    np.testing.assert_allclose(proximity(M, "asymmetric"), [[1.0, 0.5], [1.0, 1.0]])


def test_continuous_proximity() -> None:
    V = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 1.0], [3.0, 6.5, 0.5]])
    phi = proximity(V > 1, "continuous", values=V)
    rho = np.corrcoef(V, rowvar=False)
    np.testing.assert_allclose(phi, (1 + rho) / 2)
    assert np.allclose(np.diag(phi), 1.0)
    with pytest.raises(InputError):
        proximity(V, "continuous")
    with pytest.raises(InputError):
        proximity(V, "cosine")  # type: ignore[arg-type]


def test_zero_ubiquity_activity_gets_nan_proximity_only() -> None:
    A = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    phi = proximity(A)
    assert np.isnan(phi[1]).all()
    assert np.isnan(phi[:, 1]).all()
    assert np.isfinite(phi[np.ix_([0, 2], [0, 2])]).all()
    D = density(A, phi)
    assert np.isnan(D[:, 1]).all()
    assert np.isfinite(D[:, [0, 2]]).all()


def test_density_distance_by_hand() -> None:
    phi = proximity(M)
    # row sums of phi: 1.5, 1.5; density_cp = sum_q M_cq phi_pq / 1.5
    # region 0 has both: (1 + .5)/1.5 = 1 for both
    # region 1 has only activity 0: p=0 -> 1/1.5 = 2/3; p=1 -> .5/1.5 = 1/3
    np.testing.assert_allclose(density(M, phi), [[1.0, 1.0], [2 / 3, 1 / 3]])
    np.testing.assert_allclose(distance(M, phi), [[0.0, 0.0], [1 / 3, 2 / 3]])
    np.testing.assert_allclose(density(M, phi, scale=100), [[100, 100], [200 / 3, 100 / 3]])


def test_coi_cog_by_hand() -> None:
    phi = proximity(M)
    q = np.array([-1.0, 2.0]) / np.sqrt(5)  # raw sign-fixed PCI of M (test_complexity)
    D = density(M, phi)
    # COI_c = sum_p density_cp (1 - M_cp) q_p: region 0 has everything -> 0;
    # region 1 lacks activity 1: (1/3)(2/sqrt 5)
    np.testing.assert_allclose(complexity_outlook_index(M, D, q), [0.0, 2 / (3 * np.sqrt(5))])
    # COG_cp = (1 - M_cp) sum_q (1 - M_cq) phi_qp / (sum_q' phi_qq') q_q
    # region 1, p = 1: only q = 1 is missing: phi_11 / 1.5 * q_1 = (2/sqrt 5)/1.5
    np.testing.assert_allclose(
        complexity_outlook_gain(M, phi, q), [[0.0, 0.0], [0.0, 4 / (3 * np.sqrt(5))]]
    )


def test_proximity_from_other_regions_can_be_applied() -> None:
    rng = np.random.default_rng(2)
    A = (rng.random((20, 8)) < 0.4).astype(float)
    B = (rng.random((5, 8)) < 0.4).astype(float)
    phi = proximity(A)
    manual = (B @ phi.T) / phi.sum(axis=1)[None, :]
    np.testing.assert_allclose(density(B, phi), manual)
    with pytest.raises(InputError):
        density(B[:, :5], phi)


def test_cog_of_present_activities_is_plus_zero() -> None:
    # Region 0 has activities 0 and 1; activity 2 (absent) has a negative PCI, so the
    # gain sum is negative and (1 - M) = 0 would make it -0.0 at the present cells:
    # written as "-0.0" in a CSV. They must be +0.0.
    from smartspec.metrics import compute_metrics

    M = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    phi = np.array([[1.0, 0.5, 0.5], [0.5, 1.0, 0.5], [0.5, 0.5, 1.0]])
    pci = np.array([1.0, 0.5, -3.0])
    cog = complexity_outlook_gain(M, phi, pci)
    present = M == 1
    assert np.all(cog[present] == 0.0)
    assert not np.signbit(cog[present]).any()
    df = compute_metrics(
        pd.DataFrame(
            {
                "region": ["a", "a", "b", "b", "c", "c", "a", "b", "c"],
                "activity": ["x", "y", "y", "z", "x", "z", "z", "x", "y"],
                "value": [5.0, 4.0, 6.0, 2.0, 3.0, 7.0, 0.5, 0.5, 0.5],
            }
        )
    )
    on = df["mcp"] == 1
    assert not np.signbit(df.loc[on, "cog"].to_numpy()).any()

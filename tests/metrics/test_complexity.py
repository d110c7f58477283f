"""ECI/PCI, reflections and fitness on small hand-checked matrices."""

from __future__ import annotations

import numpy as np
import pytest

from smartspec.errors import InputError
from smartspec.metrics import (
    Convention,
    diversity,
    eci_pci,
    fitness_complexity,
    get_convention,
    reflections,
    ubiquity,
)


def dense_reference(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """py-ecomplexity's algorithm: dense non-symmetric eig of Mpp (reference only)."""
    d = M.sum(1)
    u = M.sum(0)
    m1 = M / d[:, None]
    Mpp = (M / u[None, :]).T @ m1
    w, V = np.linalg.eig(Mpp)
    kp = np.real(V[:, w.argsort()[-2]])
    kc = m1 @ kp
    s = np.sign(np.corrcoef(d, kc)[0, 1])
    kc, kp = s * kc, s * kp
    return (kc - kc.mean()) / kc.std(), (kp - kc.mean()) / kc.std()


def test_two_by_two_by_hand() -> None:
    M = np.array([[1.0, 1.0], [1.0, 0.0]])
    # d = [2, 1], u = [2, 1]; Mpp = D_u^-1 M' D_d^-1 M = [[3/4, 1/4], [1/2, 1/2]]
    # eigenvalues 1 and 1/4; for 1/4: Q ∝ (1, -2); K = D_d^-1 M Q = (-1/2, 1)
    # corr(d, K) < 0 -> sign -1: K = (1/2, -1), Q = (-1, 2)
    # mean K = -1/4, std K = 3/4 -> ECI = (1, -1), PCI = ((-1+1/4)/(3/4), (2+1/4)/(3/4)) = (-1, 3)
    r = eci_pci(M, "growthlab")
    np.testing.assert_allclose(r.eci, [1.0, -1.0], atol=1e-12)
    np.testing.assert_allclose(r.pci, [-1.0, 3.0], atol=1e-12)
    np.testing.assert_allclose(r.eigenvalues, [1.0, 0.25], atol=1e-12)
    assert abs(r.sign) == 1.0
    assert r.sign_source == "diversity"
    # raw PCI has unit norm: (-1, 2)/sqrt(5)
    np.testing.assert_allclose(r.pci_raw, np.array([-1.0, 2.0]) / np.sqrt(5), atol=1e-12)


def test_nested_matrix() -> None:
    M = np.tril(np.ones((4, 4)))[::-1]  # region i has activities 0..3-i
    r = eci_pci(M)
    # ECI is linear in diversity here: z-scores of (3, 1, -1, -3) = (3, 1, -1, -3)/sqrt(5)
    np.testing.assert_allclose(r.eci, np.array([3, 1, -1, -3]) / np.sqrt(5), atol=1e-12)
    # ECI_c = mean PCI of c's activities: region 3 has only activity 0 -> PCI_0 = ECI_3
    assert r.pci[0] == pytest.approx(r.eci[3], abs=1e-12)
    for c in range(4):
        assert r.eci[c] == pytest.approx(r.pci[M[c] == 1].mean(), abs=1e-12)
    np.testing.assert_allclose(diversity(M), [4, 3, 2, 1])
    np.testing.assert_allclose(ubiquity(M), [4, 3, 2, 1])


@pytest.mark.parametrize("shape", [(12, 30), (30, 12), (20, 20)])
def test_symmetric_form_equals_dense_eig(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    cap = rng.normal(size=(shape[0], 1))
    cpx = rng.normal(size=(1, shape[1]))
    M = (rng.random(shape) < 1 / (1 + np.exp(-2 * (cap - cpx)))).astype(float)
    M[:, 0] = 1.0
    M[0, :] = 1.0
    eci, pci = dense_reference(M)
    r = eci_pci(M, "growthlab")
    np.testing.assert_allclose(r.eci, eci, atol=1e-10)
    np.testing.assert_allclose(r.pci, pci, atol=1e-10)


def test_zero_rows_and_columns_are_excluded_not_contagious() -> None:
    M = np.array(
        [[1, 1, 1, 0, 0], [1, 1, 0, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 0]],
        dtype=float,
    )
    r = eci_pci(M)
    assert np.isnan(r.eci[2])
    assert np.isfinite(np.delete(r.eci, 2)).all()
    assert np.isnan(r.pci[4])
    assert np.isfinite(r.pci[:4]).all()
    assert r.excluded_regions == (2,)
    assert r.excluded_activities == (4,)
    sub = eci_pci(M[np.ix_([0, 1, 3, 4], [0, 1, 2, 3])])
    np.testing.assert_allclose(np.delete(r.eci, 2), sub.eci, atol=1e-12)


def test_sign_rule_when_diversity_is_constant() -> None:
    # every region has diversity 2: the correlation with diversity is undefined
    M = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1], [1, 0, 1, 0]], float)
    peer_like = eci_pci(M, "growthlab")
    assert peer_like.sign_source == "undefined"
    assert np.isnan(peer_like.eci).all()  # what py-ecomplexity gives (sign NaN)
    ours = eci_pci(M)  # default: falls back to ubiquity, then +1
    assert ours.sign_source in ("ubiquity", "default")
    assert np.isfinite(ours.eci).all()


def test_pci_scale_own() -> None:
    M = np.tril(np.ones((5, 6)))[::-1]
    r = eci_pci(M, Convention(pci_scale="own"))
    assert np.nanmean(r.pci) == pytest.approx(0.0, abs=1e-12)
    assert np.nanstd(r.pci) == pytest.approx(1.0, abs=1e-12)
    r1 = eci_pci(M, Convention(pci_scale="own", ddof=1))
    assert np.nanstd(r1.pci, ddof=1) == pytest.approx(1.0, abs=1e-12)


def test_reflections_converge_to_the_eigenvector() -> None:
    rng = np.random.default_rng(8)
    cap = rng.normal(size=(15, 1))
    cpx = rng.normal(size=(1, 25))
    M = (rng.random((15, 25)) < 1 / (1 + np.exp(-3 * (cap - cpx)))).astype(float)
    M[:, 0] = 1
    ev = eci_pci(M)
    assert ev.eigen_gap > 0.2  # reflections converge like (lambda3/lambda2)^(N/2)
    for steps in (200, 201):
        rf = reflections(M, steps=steps)
        np.testing.assert_allclose(rf.eci, ev.eci, atol=1e-8)
        np.testing.assert_allclose(rf.pci, ev.pci, atol=1e-8)
    # at any step, ECI = mean PCI of present activities (k_cN = D_d^-1 M k_p,N-1)
    r4 = reflections(M, steps=4)
    for c in range(15):
        assert r4.eci[c] == pytest.approx(r4.pci[M[c] == 1].mean(), abs=1e-12)
    # two reflections by hand on the 2x2 example: k_c0 = (2, 1); k_p1 = (3/2, 2);
    # k_c2 = ((3/2+2)/2, 3/2) = (7/4, 3/2): standardised (1, -1), same sign as diversity
    r2 = reflections([[1, 1], [1, 0]], steps=2)
    np.testing.assert_allclose(r2.eci, [1.0, -1.0], atol=1e-12)
    with pytest.raises(InputError):
        reflections(M, steps=0)


def test_fitness_complexity() -> None:
    M = np.tril(np.ones((4, 4)))[::-1]
    r = fitness_complexity(M, iterations=30)
    assert np.all(np.diff(r.fitness) < 0)  # more diversified nested regions are fitter
    assert np.all(np.diff(r.complexity) > 0)  # rarer activities are more complex
    assert r.fitness.mean() == pytest.approx(1.0)
    assert r.complexity.mean() == pytest.approx(1.0)
    # one step by hand from F = Q = 1: F~ = diversity (4,3,2,1)/2.5; Q~_p = 1/ubiquity
    one = fitness_complexity(M, iterations=1)
    np.testing.assert_allclose(one.fitness, np.array([4, 3, 2, 1]) / 2.5)
    q = 1 / np.array([4, 3, 2, 1])
    np.testing.assert_allclose(one.complexity, q / q.mean())
    # a fully connected (non-nested) matrix converges at once
    flat = fitness_complexity(np.ones((3, 3)))
    assert flat.converged
    assert np.allclose(flat.fitness, 1.0)


def test_bad_input() -> None:
    with pytest.raises(InputError):
        eci_pci(np.ones(3))
    with pytest.raises(InputError):
        eci_pci([[1.0, np.nan], [1.0, 0.0]])
    with pytest.raises(InputError):
        get_convention("atlas")
    with pytest.raises(InputError):
        Convention(binarise_op="=")  # type: ignore[arg-type]

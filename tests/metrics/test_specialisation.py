"""Specialisation indices on small hand-checked matrices."""

from __future__ import annotations

import numpy as np
import pytest

from smartspec.errors import InputError
from smartspec.metrics import (
    binarise,
    gini,
    hachman,
    herfindahl,
    hoover,
    krugman,
    location_quotient,
    rca,
    related_variety,
    rpop,
    shannon_entropy,
    unrelated_variety,
)


def test_rca_by_hand() -> None:
    X = np.array([[2.0, 0.0], [1.0, 1.0]])
    # row totals 2, 2; column totals 3, 1; grand total 4
    # RCA00 = (2/2)/(3/4) = 4/3   RCA01 = (0/2)/(1/4) = 0
    # RCA10 = (1/2)/(3/4) = 2/3   RCA11 = (1/2)/(1/4) = 2
    expected = np.array([[4 / 3, 0.0], [2 / 3, 2.0]])
    np.testing.assert_allclose(rca(X), expected, rtol=1e-15)
    assert location_quotient is rca


def test_rca_zero_row_and_column_are_nan() -> None:
    X = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [3.0, 0.0, 1.0]])
    R = rca(X)
    assert np.isnan(R[1]).all()  # region with no activity at all
    assert np.isnan(R[:, 1]).all()  # activity nobody has
    assert np.isfinite(R[np.ix_([0, 2], [0, 2])]).all()


def test_binarise_operator_at_the_threshold() -> None:
    R = np.array([[1.0, 0.999, 1.5, np.nan]])
    assert binarise(R).tolist() == [[1.0, 0.0, 1.0, 0.0]]
    assert binarise(R, op=">").tolist() == [[0.0, 0.0, 1.0, 0.0]]
    assert binarise(R, threshold=1.5).tolist() == [[0.0, 0.0, 1.0, 0.0]]
    with pytest.raises(InputError):
        binarise(R, op="=>")


def test_rpop_by_hand() -> None:
    X = np.array([[1.0, 1.0], [0.0, 2.0]])
    pop = np.array([1.0, 3.0])
    # column totals 1, 3; world population 4
    # RPOP00 = (1/1)/(1/4) = 4    RPOP01 = (1/1)/(3/4) = 4/3
    # RPOP10 = 0                  RPOP11 = (2/3)/(3/4) = 8/9
    np.testing.assert_allclose(rpop(X, pop), [[4.0, 4 / 3], [0.0, 8 / 9]], rtol=1e-15)
    with pytest.raises(InputError):
        rpop(X, [1.0])


def test_krugman_hoover_hachman_herfindahl_by_hand() -> None:
    X = np.array([[3.0, 1.0], [1.0, 3.0]])
    # shares s = [[.75,.25],[.25,.75]], reference S = [.5,.5]
    # Krugman = |.75-.5| + |.25-.5| = 0.5; Hoover = 0.25
    np.testing.assert_allclose(krugman(X), [0.5, 0.5])
    np.testing.assert_allclose(hoover(X), [0.25, 0.25])
    # Hachman = 1 / sum s^2/S = 1 / (.5625/.5 + .0625/.5) = 1/1.25 = 0.8
    np.testing.assert_allclose(hachman(X), [0.8, 0.8])
    # Herfindahl = .75^2 + .25^2 = 0.625
    np.testing.assert_allclose(herfindahl(X), [0.625, 0.625])


def test_entropy_by_hand() -> None:
    # shares 1/2, 1/4, 1/4: H = .5*1 + 2*.25*2 = 1.5 bits
    np.testing.assert_allclose(shannon_entropy([[2.0, 1.0, 1.0]]), [1.5])
    np.testing.assert_allclose(shannon_entropy([[2.0, 1.0, 1.0]], base=np.e), [1.5 * np.log(2)])


def test_gini_matches_the_double_sum() -> None:
    rng = np.random.default_rng(3)
    X = rng.lognormal(size=(6, 9)) * (rng.random((6, 9)) < 0.7)
    X[:, 0] += 1.0
    s = X / X.sum(1, keepdims=True)
    S = X.sum(0) / X.sum()
    q = s / S
    brute = np.array(
        [
            (S[:, None] * S[None, :] * np.abs(q[c][:, None] - q[c][None, :])).sum()
            / (2 * (S * q[c]).sum())
            for c in range(6)
        ]
    )
    np.testing.assert_allclose(gini(X), brute, rtol=1e-12)
    np.testing.assert_allclose(gini([[1.0, 1.0], [1.0, 1.0]]), [0.0, 0.0], atol=1e-15)


def test_related_and_unrelated_variety_decompose_entropy() -> None:
    rng = np.random.default_rng(5)
    X = rng.lognormal(size=(7, 10)) * (rng.random((7, 10)) < 0.8)
    X[:, 0] += 0.5
    groups = np.array(list("aabbbcccdd"))
    total = shannon_entropy(X)
    np.testing.assert_allclose(unrelated_variety(X, groups) + related_variety(X, groups), total)
    # by hand: shares 1/4, 1/4, 1/2 with groups A, A, B
    # UV = H(1/2, 1/2) = 1; RV = P_A * H(1/2, 1/2) + P_B * 0 = 0.5
    np.testing.assert_allclose(unrelated_variety([[1.0, 1.0, 2.0]], list("AAB")), [1.0])
    np.testing.assert_allclose(related_variety([[1.0, 1.0, 2.0]], list("AAB")), [0.5])
    with pytest.raises(InputError):
        related_variety(X, groups[:3])


def test_locational_gini_is_the_activity_side_of_gini() -> None:
    from smartspec.metrics import gini, locational_gini

    rng = np.random.default_rng(7)
    X = rng.integers(0, 20, size=(6, 4)).astype(float) + 1.0
    np.testing.assert_allclose(locational_gini(X), gini(X.T), rtol=0, atol=1e-15)


def test_gini_coefficient_matches_the_pairwise_definition() -> None:
    from smartspec.metrics import gini_coefficient

    rng = np.random.default_rng(11)
    X = rng.gamma(1.0, 10.0, size=(5, 9))
    # brute force: sum_{p,p'} |x_p - x_p'| / (2 P^2 mean)
    P = X.shape[1]
    brute = np.abs(X[:, :, None] - X[:, None, :]).sum(axis=(1, 2)) / (2 * P * P * X.mean(axis=1))
    np.testing.assert_allclose(gini_coefficient(X), brute, rtol=1e-13)
    # one activity holds everything -> (P - 1) / P
    one = np.zeros((1, 4))
    one[0, 2] = 5.0
    assert gini_coefficient(one)[0] == pytest.approx(0.75)

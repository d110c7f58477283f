"""The ``econgeo`` preset and the EconGeo functions, against EconGeo 2.1's R source.

EconGeo's manual prints no output (its examples use ``set.seed(31)`` + ``sample()``
and show code only), so the expected values here are worked out by hand from the R
source, applied to the one example matrix its manual spells out: ``mat`` of
``man/location_quotient.Rd`` (https://github.com/PABalland/EconGeo at commit
40081a9cfc01816a55b061c3f29a837e2bdf7376, lines 23–32 of that file; the same lines
in ``R/location_quotient.r``). Every value cites the R function it follows. Where
EconGeo rounds its output (``entropy()`` to 3 digits, ``relatedness_density()`` to
2, the ``_int``/``_ext`` variants to 0) the preset does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartspec.metrics import (
    compute_metrics,
    compute_proximity,
    cooccurrence,
    diagnostics,
    get_convention,
    hachman,
    herfindahl,
    krugman,
    location_quotient,
    relatedness,
    relatedness_density_external,
    relatedness_density_internal,
    shannon_entropy,
)
from smartspec.metrics.specialisation import binarise

# man/location_quotient.Rd, lines 23-32: rows R1..R5, columns I1..I5
MAT = np.array(
    [
        [100, 0, 0, 0, 0],
        [0, 15, 5, 70, 10],
        [0, 20, 10, 20, 50],
        [0, 25, 30, 5, 40],
        [0, 40, 55, 5, 0],
    ],
    dtype=float,
)
# every row sums to 100 and every column to 100: LQ = value / 20
M = np.array(
    [[1, 0, 0, 0, 0], [0, 0, 0, 1, 0], [0, 1, 0, 1, 1], [0, 1, 1, 0, 1], [0, 1, 1, 0, 0]],
    dtype=float,
)


def long(X: np.ndarray) -> pd.DataFrame:
    r, a = np.indices(X.shape)
    return pd.DataFrame(
        {
            "region": [f"R{i + 1}" for i in r.ravel()],
            "activity": [f"I{j + 1}" for j in a.ravel()],
            "value": X.ravel(),
        }
    )


def test_location_quotient_and_binary() -> None:
    # R/location_quotient.r: lq = t(t(mat / rowSums(mat)) / (colSums(mat) / sum(mat)))
    lq = location_quotient(MAT)
    np.testing.assert_allclose(lq, MAT / 20.0, rtol=1e-15)
    # binary = TRUE: lq[lq < 1] <- 0; lq[lq > 1] <- 1 — LQ exactly 1 (R3: I2, I4) stays 1
    conv = get_convention("econgeo")
    np.testing.assert_array_equal(binarise(lq, conv.threshold, conv.binarise_op), M)


def test_specialisation_indices() -> None:
    # R/Hachman.r: 1 / rowSums(lq * share); R2: 1 / (.15*.75 + .05*.25 + .7*3.5 + .1*.5)
    np.testing.assert_allclose(hachman(MAT)[:3], [1 / 5.0, 1 / 2.625, 1 / 1.7], rtol=1e-14)
    # R/krugman_index.r: rowSums(abs(share - colSums/sum)); R1: .8 + 4 * .2
    np.testing.assert_allclose(krugman(MAT)[:2], [1.6, 1.0], rtol=1e-14)
    # R/Herfindahl.r: rowSums(mat^2) / rowSums(mat)^2; R2: .15² + .05² + .7² + .1²
    np.testing.assert_allclose(herfindahl(MAT)[:2], [1.0, 0.525], rtol=1e-14)
    # R/entropy.r: -rowSums(f * log2(f + 1e-9)), rounded to 3 digits there
    s = MAT[1] / 100
    s = s[s > 0]
    assert shannon_entropy(MAT)[1] == pytest.approx(-(s * np.log2(s)).sum(), rel=1e-14)
    assert round(float(shannon_entropy(MAT)[1]), 3) == 1.319  # EconGeo's rounded value


def test_cooccurrence_and_relatedness_normalisations() -> None:
    # R/co_occurrence.r on t(M): M' M with diagonal 0
    C = cooccurrence(M, diagonal=False)
    expected_c = [
        [0, 0, 0, 0, 0],
        [0, 0, 2, 1, 2],
        [0, 2, 0, 0, 1],
        [0, 1, 0, 0, 1],
        [0, 2, 1, 1, 0],
    ]
    np.testing.assert_array_equal(C, expected_c)
    # R/relatedness.r: s = colSums(c) = (0, 5, 3, 2, 4), t = 14; 0/0 -> 0
    a = relatedness(C, "association")  # c t / (s_i s_j)
    assert a[1, 2] == pytest.approx(2 * 14 / (5 * 3))
    assert a[3, 4] == pytest.approx(14 / (2 * 4))
    assert (a[0] == 0).all()
    assert (np.diag(a) == 0).all()
    p = relatedness(C, "prob")  # c / ((s_j/t · s_i/(t - s_j) + s_i/t · s_j/(t - s_i)) t/2)
    assert p[1, 2] == pytest.approx(2 / ((3 / 14 * 5 / 11 + 5 / 14 * 3 / 9) * 7))
    assert p[1, 2] == pytest.approx(1.32)
    assert relatedness(C, "cosine")[1, 4] == pytest.approx(2 / np.sqrt(5 * 4))
    assert relatedness(C, "jaccard")[1, 4] == pytest.approx(2 / (5 + 4 - 2))
    np.testing.assert_allclose(p, p.T)


def econgeo_density(m: np.ndarray, r: np.ndarray) -> np.ndarray:
    """R/relatedness_density.r transcribed: t(t(m %*% r) / colSums(r)) * 100 (no round)."""
    out = np.zeros(m.shape)
    for c in range(m.shape[0]):
        for i in range(m.shape[1]):
            num = sum(m[c, j] * r[j, i] for j in range(m.shape[1]))
            den = sum(r[j, i] for j in range(m.shape[1]))
            out[c, i] = 100 * num / den if den else np.nan
    return out


def test_relatedness_density_int_ext() -> None:
    r = relatedness(cooccurrence(M, diagonal=False), "prob")
    rb = (r >= 1).astype(float)  # the documented workflow: r[r < 1] <- 0; r[r > 1] <- 1
    dens = econgeo_density(M, rb)
    internal = relatedness_density_internal(M, rb)
    external = relatedness_density_external(M, rb)
    np.testing.assert_allclose(internal[M == 1], dens[M == 1])
    assert np.isnan(internal[M == 0]).all()
    np.testing.assert_allclose(external[M == 0], dens[M == 0])
    assert np.isnan(external[M == 1]).all()


def test_econgeo_preset_end_to_end() -> None:
    out = compute_metrics(long(MAT), "econgeo", stability_thresholds=())
    mcp = out.pivot_table(index="region", columns="activity", values="mcp").to_numpy()
    np.testing.assert_array_equal(mcp, M)
    r = relatedness(cooccurrence(M, diagonal=False), "prob")
    rb = (r >= 1).astype(float)
    dens = out.pivot_table(index="region", columns="activity", values="density", dropna=False)
    expected = econgeo_density(M, rb)
    # I1 co-occurs with nothing: EconGeo gives 0/0 = NaN, and so do we
    np.testing.assert_allclose(dens.to_numpy(), expected, equal_nan=True)
    prox = compute_proximity(long(MAT), "econgeo")
    phi = prox.pivot_table(index="activity_1", columns="activity_2", values="proximity")
    np.testing.assert_allclose(phi.to_numpy(), r)
    d = diagnostics(out)
    assert d.convention.name == "econgeo"
    assert d.periods[0].sign_source.startswith("reflections")


def test_preset_fields() -> None:
    c = get_convention("econgeo")
    assert (c.relatedness, c.relatedness_threshold, c.density_scale) == ("prob", 1.0, 100.0)
    assert c.proximity_diagonal == 0.0

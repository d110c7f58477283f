"""The ``economiccomplexity`` preset against the values the R package prints.

Expected values are those printed by the vignette of the R package economiccomplexity
(Mauricio Vargas Sepúlveda; 2.0.0's outputs equal 1.5.0's) on its dataset
``world_trade_avg_1998_to_2000`` — smartspec's bundled ``world_trade`` (country codes
upper-cased). Source of every number: ``vignettes/economiccomplexity.html`` of
https://github.com/pachadotdev/economiccomplexity at commit
b47f3ef34408489cb60c4e8fb2c4ed6d047d35b1 (the same numbers at 4e486614b95c); each
value's output block follows the code line cited next to it (pandoc anchors
``#cbN-L``: code block N, line L). They are compared to the printed precision
(half a unit of the last printed digit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartspec import datasets
from smartspec.metrics import (
    compute_metrics,
    compute_proximity,
    diagnostics,
    get_convention,
    proximity,
)

COUNTRIES = ["AFG", "AGO", "AIA", "ALB", "AND"]
PRODUCTS = ["0011", "0012", "0013", "0014", "0015"]


@pytest.fixture(scope="module")
def trade() -> pd.DataFrame:
    return datasets.load("world_trade").frame


def by_region(out: pd.DataFrame, col: str) -> np.ndarray:
    s = out.groupby("region", observed=True)[col].first()
    return s.loc[COUNTRIES].to_numpy()


def by_activity(out: pd.DataFrame, col: str) -> np.ndarray:
    s = out.groupby("activity", observed=True)[col].first()
    return s.loc[PRODUCTS].to_numpy()


def test_balassa_index(trade: pd.DataFrame) -> None:
    out = compute_metrics(trade, "economiccomplexity", stability_thresholds=())
    rca = out.set_index(["region", "activity"])["rca"]
    # #cb7-4 `bi_dec[1:5, 1:5]` (discrete = F): afg 0011, afg 0012, ago 0013, and 0015
    assert rca[("AFG", "0011")] == pytest.approx(0.2312238, abs=5e-8)
    assert rca[("AFG", "0012")] == pytest.approx(0.285438688, abs=5e-10)
    assert rca[("AGO", "0013")] == pytest.approx(0.002076625, abs=5e-10)
    assert rca[("AND", "0014")] == pytest.approx(0.48208017, abs=5e-9)
    assert rca[("AND", "0015")] == pytest.approx(3.815013019, abs=5e-10)
    mcp = out.set_index(["region", "activity"])["mcp"]
    # #cb5-4 `bi[1:5, 1:5]`: only and-0011 and and-0015 are 1
    block = [[mcp[(c, p)] for p in PRODUCTS] for c in COUNTRIES]
    assert block == [[0] * 5] * 4 + [[1, 0, 0, 0, 1]]


def test_fitness(trade: pd.DataFrame) -> None:
    out = compute_metrics(trade, "economiccomplexity", method="fitness", stability_thresholds=())
    # #cb9-4 `com_fit$complexity_index_country[1:5]`
    np.testing.assert_allclose(
        by_region(out, "fitness"),
        [0.78605655, 0.03999516, 1.05645538, 1.24261128, 1.37321261],
        rtol=0,
        atol=5e-9,
    )
    # #cb11-1 `com_fit$complexity_index_product[1:5]`
    np.testing.assert_allclose(
        by_activity(out, "product_complexity"),
        [0.7538883, 0.7491391, 2.3018690, 0.9903918, 1.3120378],
        rtol=0,
        atol=5e-8,
    )
    assert diagnostics(out).periods[0].fitness_converged is False  # 19 updates, no stop


def test_reflections(trade: pd.DataFrame) -> None:
    out = compute_metrics(
        trade, "economiccomplexity", method="reflections", stability_thresholds=()
    )
    # #cb13-4 `com_ref$complexity_index_country[1:5]`
    np.testing.assert_allclose(
        by_region(out, "eci"),
        [-0.5788151, -1.7710696, 1.4074821, -0.1754989, 1.0738736],
        rtol=0,
        atol=5e-8,
    )
    # #cb15-1 `com_ref$complexity_index_product[1:5]` — 8 decimals; R's un-normalised
    # iteration keeps ~8 significant digits of the spread, reproduced by R arithmetic
    np.testing.assert_allclose(
        by_activity(out, "pci"),
        [-0.66255107, -1.62169899, -0.07449487, 0.20554720, 0.15848845],
        rtol=0,
        atol=5e-9,
    )


def test_eigenvalues(trade: pd.DataFrame) -> None:
    out = compute_metrics(trade, "economiccomplexity", stability_thresholds=())
    # #cb17-4 `com_eig$complexity_index_country[1:5]`
    np.testing.assert_allclose(
        by_region(out, "eci"),
        [-0.5764283, -1.7770752, 1.4090414, -0.1732606, 1.0772452],
        rtol=0,
        atol=5e-8,
    )
    # #cb19-1 `com_eig$complexity_index_product[1:5]`
    np.testing.assert_allclose(
        by_activity(out, "pci"),
        [-0.66657613, -1.62657599, -0.08149436, 0.19917280, 0.14935653],
        rtol=0,
        atol=5e-9,
    )
    # each index standardised with its own mean and sd (n - 1)
    eci = out.groupby("region", observed=True)["eci"].first()
    pci = out.groupby("activity", observed=True)["pci"].first()
    for s in (eci, pci):
        assert s.mean() == pytest.approx(0.0, abs=1e-12)
        assert s.std(ddof=1) == pytest.approx(1.0, abs=1e-12)
    assert diagnostics(out).periods[0].sign_source == "reflections"


def test_proximity(trade: pd.DataFrame) -> None:
    prox = compute_proximity(trade, "economiccomplexity")
    phi = prox.set_index(["activity_1", "activity_2"])["proximity"]
    got = np.array([[phi[(a, b)] for b in PRODUCTS] for a in PRODUCTS])
    # #cb23-1 `pro$proximity_product[1:5, 1:5]`
    expected = [
        [1.0000000, 0.3658537, 0.1707317, 0.2439024, 0.2682927],
        [0.3658537, 1.0000000, 0.2500000, 0.2250000, 0.2500000],
        [0.1707317, 0.2500000, 1.0000000, 0.2500000, 0.1200000],
        [0.2439024, 0.2250000, 0.2500000, 1.0000000, 0.2250000],
        [0.2682927, 0.2500000, 0.1200000, 0.2250000, 1.0000000],
    ]
    np.testing.assert_allclose(got, expected, rtol=0, atol=5e-8)
    # #cb21-4 `pro$proximity_country[1:5, 1:5]`: the same formula on the regions
    out = compute_metrics(trade, "economiccomplexity", stability_thresholds=())
    M = out.pivot_table(index="region", columns="activity", values="mcp", observed=True)
    phi_c = proximity(M.to_numpy().T)
    idx = [list(M.index).index(c) for c in COUNTRIES]
    np.testing.assert_allclose(
        phi_c[np.ix_(idx, idx)],
        [
            [1.00000000, 0.015873016, 0.181818182, 0.19689119, 0.192513369],
            [0.01587302, 1.000000000, 0.006993007, 0.01554404, 0.005347594],
            [0.18181818, 0.006993007, 1.000000000, 0.16580311, 0.251336898],
            [0.19689119, 0.015544041, 0.165803109, 1.00000000, 0.310880829],
            [0.19251337, 0.005347594, 0.251336898, 0.31088083, 1.000000000],
        ],
        rtol=0,
        atol=5e-9,
    )


def test_outlook_uses_standardised_pci_unscaled(trade: pd.DataFrame) -> None:
    # R/complexity_outlook.R: coi = colSums(t((1 - dist) * (1 - M)) * pci);
    # cog = (1 - M) * tcrossprod(1 - M, t(phi * (pci / rowSums(phi))))
    out = compute_metrics(trade, "economiccomplexity", stability_thresholds=())
    M = out.pivot_table(index="region", columns="activity", values="mcp", observed=True)
    D = out.pivot_table(index="region", columns="activity", values="density", observed=True)
    pci = out.groupby("activity", observed=True)["pci"].first().loc[M.columns].to_numpy()
    m = M.to_numpy(dtype=float)
    coi = ((D.to_numpy() * (1 - m)) * pci).sum(axis=1)
    ours = out.groupby("region", observed=True)["coi"].first().loc[M.index].to_numpy()
    np.testing.assert_allclose(ours, coi, rtol=1e-10, atol=1e-10)
    phi = compute_proximity(trade, "economiccomplexity").pivot_table(
        index="activity_1", columns="activity_2", values="proximity", observed=True
    )
    P = phi.loc[M.columns, M.columns].to_numpy()
    cog = (1 - m) * ((1 - m) @ (P * (pci / P.sum(axis=1))[:, None]))
    got = out.pivot_table(index="region", columns="activity", values="cog", observed=True)
    np.testing.assert_allclose(got.to_numpy(), cog, rtol=1e-10, atol=1e-10)


def test_preset_fields() -> None:
    c = get_convention("economiccomplexity")
    assert (c.pci_scale, c.ddof, c.sign_rule) == ("own", 1, "reflections")
    assert (c.counting, c.reflection_steps, c.fitness_iterations) == ("columns", 20, 20)
    assert (c.outlook_pci, c.coi_scale, c.cog_scale) == ("standardised", "raw", "raw")

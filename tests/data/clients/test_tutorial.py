"""The tutorial of docs/guide/scb.md, replayed against the local server.

The server answers with FIXTURE01 (fixtures/scb/CARD.md): SCB's PxWeb v2 layout with
real employment values (Eurostat nama_10r_3empers for the 21 län, A*10 groups,
2015–2017). The steps are those of the tutorial; only the table id and the base URL
differ.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from smartspec.data import scb
from smartspec.metrics import compute_metrics

DOC = Path(__file__).resolve().parents[3] / "docs" / "guide" / "scb.md"


@pytest.fixture
def base(server: Any, scb_tools: Any, data_dir: Path) -> str:
    scb_tools.serve_v2(
        server,
        "FIXTURE01",
        scb_tools.fixture("FIXTURE01.json"),
        metadata=scb_tools.fixture("FIXTURE01.metadata.json"),
        max_cells=150,  # small, so that the query is split as a large one would be
    )
    return f"{server.url}/api/v2"


def test_the_tutorial(base: str, server: Any) -> None:
    table_id = "FIXTURE01"
    # step 1: what does the table have?
    meta = scb.get_metadata(table_id, base_url=base)
    assert [v.code for v in meta.variables] == ["Region", "SNI2007", "ContentsCode", "Tid"]
    contents = meta.variable("ContentsCode").values[0]

    # step 2: employment by län × SNI 2007, three years
    table = scb.query(
        table_id,
        {"Region": "*", "SNI2007": "*", "ContentsCode": [contents], "Tid": "top(3)"},
        base_url=base,
    )
    assert len(table.regions) == 21
    assert table.regions[:3] == ("SE110", "SE121", "SE122")
    assert table.activities == ("A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U")
    assert table.periods == (2015, 2016, 2017)
    assert table.report.dropped_codes() == ("SE",)  # Riket, a country total
    assert table.meta.provenance["chunks"] > 1
    # Eurostat's value (via Data Commons) for Jönköpings län, manufacturing etc., 2017
    cells = table.frame.set_index(["region", "activity", "period"])["value"]
    assert cells[("SE211", "B-E", 2017)] == 46000.0

    # step 3: the metrics
    result = compute_metrics(table)
    assert {"rca", "eci", "pci", "density"} <= set(result.columns)
    jkpg = result[(result["region"] == "SE211") & (result["period"] == 2017)]
    rca = jkpg.set_index("activity")["rca"]

    # RCA by hand: (x_ra / x_r) / (x_a / x), on the 21 län of 2017
    year = table.frame[table.frame["period"] == 2017]
    x = year["value"].sum()
    x_r = year.loc[year["region"] == "SE211", "value"].sum()
    x_a = year.loc[year["activity"] == "B-E", "value"].sum()
    assert rca["B-E"] == pytest.approx((cells[("SE211", "B-E", 2017)] / x_r) / (x_a / x))
    assert rca["B-E"] > 1  # Jönköping is specialised in industry


def test_the_tutorial_runs_offline_from_the_cache(base: str, server: Any) -> None:
    selection = {"Region": "*", "SNI2007": "*", "ContentsCode": ["FIXTURE_SYSS"], "Tid": "top(3)"}
    online = scb.query("FIXTURE01", selection, base_url=base)
    calls = len(server.requests)
    offline = scb.query("FIXTURE01", selection, base_url=base, offline=True)
    assert len(server.requests) == calls
    assert offline.frame.equals(online.frame)


def test_the_guide_shows_these_steps() -> None:
    text = DOC.read_text(encoding="utf-8")
    for needle in (
        "scb.get_metadata(",
        "scb.query(",
        '"Tid": "top(3)"',
        "compute_metrics(table)",
        "SMARTSPEC_OFFLINE",
    ):
        assert needle in text, needle
    # every Python block of the guide is at least valid Python
    for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
        compile(block, str(DOC), "exec")

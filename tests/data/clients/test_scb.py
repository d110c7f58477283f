"""The SCB (PxWeb v1/v2) client against a local server replaying recorded answers.

Value tests use SCB's recorded answers (fixtures/scb/*POST.json, statswe_*.json; see the
CARD); the splitting and rate-limit tests use the FIXTURE01 cube (Eurostat values in
SCB's v2 layout, built by fixtures/scb/build_tutorial_fixture.py).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartspec.data import scb
from smartspec.data.http import HttpClient, RateLimiter, RequestTooLargeError
from smartspec.errors import InputError, UnknownCodeError

TAB638_SELECTION = {
    "Region": ["00"],
    "Civilstand": ["OG"],
    "Alder": ["0"],
    "Kon": ["1"],
    "ContentsCode": ["BE0101N1"],
    "Tid": ["2024"],
}
FIXTURE_SELECTION = {
    "Region": "*",
    "SNI2007": "*",
    "ContentsCode": ["FIXTURE_SYSS"],
    "Tid": ["2015", "2016", "2017"],
}


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _v2(server: Any) -> str:
    return f"{server.url}/api/v2"


# --------------------------------------------------------------------------- real answers
def test_v2_recorded_answer_becomes_a_table(server: Any, scb_tools: Any, data_dir: Path) -> None:
    doc = scb_tools.fixture("TAB638_data-35e0e2-5aec69-POST.json")
    server.add("POST", "/api/v2/tables/TAB638/data", scb_tools.reply.json(doc))
    table = scb.query("TAB638", TAB638_SELECTION, base_url=_v2(server))
    assert table.frame[["region", "period", "value"]].values.tolist() == [["SE", 2024, 50937.0]]
    assert table.meta.measure == "Folkmängd"
    assert table.meta.unit == "antal personer"
    assert table.meta.additive is True
    assert table.meta.region_level == 0
    assert table.meta.nuts_version == 2024
    prov = table.meta.provenance
    assert prov["publisher"] == "Statistics Sweden (SCB)"
    assert prov["updated"] == "2025-02-21T07:00:00Z"
    assert prov["table"] == "TAB638"
    assert prov["api"] == "v2"
    assert prov["chunks"] == 1
    assert prov["dimensions"] == {
        "Civilstand": "OG",
        "Alder": "0",
        "Kon": "1",
        "ContentsCode": "BE0101N1",
    }
    assert prov["limits"]["source"] == "documented"  # the server has no /config
    sent = next(r for r in server.requests if r.method == "POST")
    assert sent.param("outputFormat") == ["json-stat2"]
    assert sent.param("lang") == ["sv"]
    assert sent.json() == {
        "selection": [{"variableCode": k, "valueCodes": v} for k, v in TAB638_SELECTION.items()]
    }


def test_v2_recorded_answer_without_region_as_a_frame(
    server: Any, scb_tools: Any, data_dir: Path
) -> None:
    doc = scb_tools.fixture("TAB5974_data-35e0e2-fb7f17-POST.json")
    server.add("POST", "/api/v2/tables/TAB5974/data", scb_tools.reply.json(doc))
    selection = {"Alder": ["0"], "Kon": ["1", "2"], "ContentsCode": ["000005NO"], "Tid": ["2026"]}
    frame, info = scb.query_frame("TAB5974", selection, base_url=_v2(server))
    assert frame[["Kon", "value"]].values.tolist() == [["1", 50080.0], ["2", 47361.0]]
    assert info["contents"] == {"000005NO": {"label": "Antal", "unit": "antal"}}
    with pytest.raises(InputError, match="has no region variable"):
        scb.query("TAB5974", selection, base_url=_v2(server), select={"Kon": "1"})


def test_v1_jsonstat1_recorded_answer(server: Any, scb_tools: Any, data_dir: Path) -> None:
    # pyjstat's recorded answer; its request URL is not recorded, so the path is a name
    doc = scb_tools.fixture("statswe_HS0301_jsonstat1.json")
    server.add("POST", "/v1/doris/sv/ssd/HS/HS0301", scb_tools.reply.json(doc))
    dims = doc["dataset"]["dimension"]
    selection = {d: list(dims[d]["category"]["index"]) for d in dims["id"]}
    table = scb.query(
        "HS/HS0301",
        selection,
        api="v1",
        base_url=f"{server.url}/v1/doris",
        activity_dim=None,
        select={"Alder": "90+", "Kon": "2"},
    )
    assert table.regions == ("SE332",)  # county 25, Norrbottens län
    assert table.periods[0] == 1969
    assert table.periods[-1] == 1996
    by_year = table.frame.set_index("period")["value"]
    raw = doc["dataset"]["value"]
    assert by_year[1996] == raw[-1] == 137  # the last cell: 90+ år, kvinnor, 1996
    assert table.meta.unit == "antal"
    assert table.meta.measure == "Döda"
    assert table.meta.provenance["data_source"] == "Socialstyrelsen (SoS)"
    body = next(r for r in server.requests if r.method == "POST").json()
    assert body["response"] == {"format": "json-stat"}
    assert body["query"][0] == {"code": "Region", "selection": {"filter": "item", "values": ["25"]}}


def test_v1_pxweb_json_recorded_answer(server: Any, scb_tools: Any, data_dir: Path) -> None:
    doc = scb_tools.fixture("BefolkningNy-21059a-POST.json")
    path = "BE/BE0101/BE0101A/BefolkningNy"
    server.add("POST", f"/v1/doris/sv/ssd/{path}", scb_tools.reply.json(doc))
    selection = {
        "Civilstand": ["OG", "G", "SK", "ÄNKL"],
        "ContentsCode": ["BE0101N1"],
        "Tid": ["2015", "2016", "2017"],
    }
    frame, info = scb.query_frame(
        path, selection, api="v1", format="json", base_url=f"{server.url}/v1/doris"
    )
    assert len(frame) == 12
    cells = frame.set_index(["Civilstand", "Tid"])["value"]
    assert cells[("OG", "2015")] == 5157443.0
    assert cells[("ÄNKL", "2017")] == 435643.0
    assert set(frame["ContentsCode"]) == {"BE0101N1"}
    assert info["updated"] == "2025-02-21T07:00:00Z"
    assert info["contents"]["BE0101N1"]["label"] == "Folkmängd"


# --------------------------------------------------------------------------- limits
def test_limits_come_from_the_config_endpoint(server: Any, scb_tools: Any, data_dir: Path) -> None:
    server.add(
        "GET",
        "/api/v2/config",
        scb_tools.reply.json({"maxDataCells": 1000, "maxCallsPerTimeWindow": 5, "timeWindow": 20}),
    )
    limits = scb.get_limits(base_url=_v2(server))
    assert limits == scb.ScbLimits(1000, 5, 20.0, "config")


def test_v1_limits_come_from_its_config_query(server: Any, scb_tools: Any, data_dir: Path) -> None:
    server.add(
        "GET",
        "/v1/doris/sv/",
        scb_tools.reply.json({"maxValues": 100000, "maxCalls": 10, "timeWindow": 10}),
    )
    limits = scb.get_limits(api="v1", base_url=f"{server.url}/v1/doris")
    assert limits == scb.ScbLimits(100_000, 10, 10.0, "config")
    assert server.requests[0].query == [("config", "")]


def test_a_zero_or_missing_config_falls_back_to_the_documented_limits(
    server: Any, scb_tools: Any, data_dir: Path
) -> None:
    server.add("GET", "/api/v2/config", scb_tools.reply.json({"maxDataCells": 0}))
    assert scb.get_limits(base_url=_v2(server)) == scb.DOCUMENTED_LIMITS
    assert scb.get_limits(api="v1", base_url=f"{server.url}/v1") == scb.DOCUMENTED_LIMITS
    assert scb.DOCUMENTED_LIMITS.max_cells == 150_000
    assert (scb.DOCUMENTED_LIMITS.max_calls, scb.DOCUMENTED_LIMITS.time_window) == (30, 10.0)


def test_a_large_query_is_split_into_allowed_chunks(
    server: Any, scb_tools: Any, data_dir: Path
) -> None:
    cube = scb_tools.serve_v2(
        server,
        "FIXTURE01",
        scb_tools.fixture("FIXTURE01.json"),
        metadata=scb_tools.fixture("FIXTURE01.metadata.json"),
        max_cells=100,
    )
    table = scb.query("FIXTURE01", FIXTURE_SELECTION, base_url=_v2(server))
    assert not server.errors
    assert cube.cells_served
    assert max(cube.cells_served) <= 100
    assert sum(cube.cells_served) == 22 * 10 * 3  # every cell exactly once
    assert table.meta.provenance["chunks"] == len(cube.cells_served) > 1
    assert table.meta.provenance["limits"]["source"] == "config"
    # the same table as one query with a large limit
    cube.max_cells = 150_000
    whole = scb.query(
        "FIXTURE01",
        FIXTURE_SELECTION,
        base_url=_v2(server),
        limits=scb.ScbLimits(150_000, 30, 10.0),
        refresh=True,
    )
    pd.testing.assert_frame_equal(table.frame, whole.frame)


def test_the_rate_limiter_waits_between_chunks(server: Any, scb_tools: Any, data_dir: Path) -> None:
    scb_tools.serve_v2(
        server,
        "FIXTURE01",
        scb_tools.fixture("FIXTURE01.json"),
        metadata=scb_tools.fixture("FIXTURE01.metadata.json"),
        config={"maxDataCells": 100, "maxCallsPerTimeWindow": 3, "timeWindow": 10},
        max_cells=100,
    )
    clock = FakeClock()
    limiter = RateLimiter(3, 10.0, clock=clock, sleep=clock.sleep)
    client = HttpClient("scb", rate_limiter=limiter, sleep=clock.sleep)
    scb.query("FIXTURE01", FIXTURE_SELECTION, base_url=_v2(server), client=client)
    calls = len(server.requests)  # config + metadata + 8 data chunks
    assert calls == 10
    assert clock.sleeps, "the limiter should have waited"
    # 10 calls, 3 per 10 s: the 10th call cannot start before 30 s
    assert clock.now == pytest.approx(30.0)
    assert limiter.total_wait == pytest.approx(sum(clock.sleeps))


def test_cached_chunks_need_no_calls_and_work_offline(
    server: Any, scb_tools: Any, data_dir: Path
) -> None:
    scb_tools.serve_v2(
        server,
        "FIXTURE01",
        scb_tools.fixture("FIXTURE01.json"),
        metadata=scb_tools.fixture("FIXTURE01.metadata.json"),
        max_cells=100,
    )
    first = scb.query("FIXTURE01", FIXTURE_SELECTION, base_url=_v2(server))
    calls = len(server.requests)
    again = scb.query("FIXTURE01", FIXTURE_SELECTION, base_url=_v2(server), offline=True)
    assert len(server.requests) == calls
    pd.testing.assert_frame_equal(first.frame, again.frame)
    assert again.meta.provenance["from_cache"] is True


def test_a_refused_query_size_is_reported(server: Any, scb_tools: Any, data_dir: Path) -> None:
    scb_tools.serve_v2(server, "FIXTURE01", scb_tools.fixture("FIXTURE01.json"), max_cells=10)
    with pytest.raises(RequestTooLargeError, match="more cells than SCB allows"):
        scb.query(
            "FIXTURE01",
            {**FIXTURE_SELECTION, "Region": ["01", "03"], "SNI2007": ["A", "F"]},
            base_url=_v2(server),
            limits=scb.ScbLimits(1000, 30, 10.0),
        )


def test_an_unknown_table_names_it(server: Any, data_dir: Path) -> None:
    with pytest.raises(UnknownCodeError, match="unknown SCB table 'TAB0000'"):
        scb.query("TAB0000", {"Tid": ["2020"]}, base_url=_v2(server))


def test_an_unknown_value_code_is_named_with_suggestions(
    server: Any, scb_tools: Any, data_dir: Path
) -> None:
    scb_tools.serve_v2(
        server,
        "FIXTURE01",
        scb_tools.fixture("FIXTURE01.json"),
        metadata=scb_tools.fixture("FIXTURE01.metadata.json"),
    )
    with pytest.raises(UnknownCodeError) as err:
        scb.query("FIXTURE01", {**FIXTURE_SELECTION, "Tid": ["2015", "2051"]}, base_url=_v2(server))
    assert "unknown value of Tid '2051'" in str(err.value)
    assert "2015" in str(err.value)


def test_several_values_of_another_variable_must_be_chosen(
    server: Any, scb_tools: Any, data_dir: Path
) -> None:
    doc = scb_tools.fixture("statswe_HS0301_jsonstat1.json")
    server.add("POST", "/v1/doris/sv/ssd/HS/HS0301", scb_tools.reply.json(doc))
    dims = doc["dataset"]["dimension"]
    selection = {d: list(dims[d]["category"]["index"]) for d in dims["id"]}
    with pytest.raises(InputError) as err:
        scb.query("HS/HS0301", selection, api="v1", base_url=f"{server.url}/v1/doris")
    text = str(err.value)
    assert "the variable 'Alder' (ålder) has 20 values" in text
    assert "select={'Alder': '0'}" in text


# --------------------------------------------------------------------------- mapping
@pytest.mark.parametrize(
    ("code", "nace"),
    [
        ("A", "A"),
        ("C", "C"),
        ("01", "01"),
        ("10", "10"),
        ("101", "10.1"),
        ("10.1", "10.1"),
        ("1011", "10.11"),
        ("10.11", "10.11"),
        ("10111", "10.11"),  # SNI detail group -> its NACE class
        ("01110", "01.11"),
        ("62010", "62.01"),
        ("B-E", "B-E"),
        ("M-N", "M_N"),
        ("M+N", "M_N"),
        ("TOT", "TOTAL"),
        ("US", None),
        ("00", None),
        ("B+D", None),
        ("", None),
    ],
)
def test_sni_2007_to_nace(code: str, nace: str | None) -> None:
    assert scb.sni_to_nace(code) == nace


def test_every_bundled_sni_detail_group_maps_to_its_class() -> None:
    from smartspec.taxonomy import nace_codes

    for code in nace_codes(5):
        digits = code.replace(".", "")
        assert scb.sni_to_nace(digits) == code[:5], code


@pytest.mark.parametrize(
    ("code", "nuts"),
    [("01", "SE110"), ("06", "SE211"), ("6", "SE211"), ("25", "SE332"), ("00", "SE")],
)
def test_county_codes_to_nuts(code: str, nuts: str) -> None:
    assert scb.scb_region_to_nuts(code) == nuts


def test_municipalities_and_unknown_counties_are_refused() -> None:
    with pytest.raises(InputError, match="'0680' is a municipality code"):
        scb.scb_region_to_nuts("0680")
    with pytest.raises(UnknownCodeError):
        scb.scb_region_to_nuts("02")


def test_detail_groups_are_summed_into_classes(server: Any, data_dir: Path, scb_tools: Any) -> None:
    # A layout test with synthetic values (1, 2, 4, …): SNI detail groups 10.111 and
    # 10.112 belong to NACE class 10.11; 10.120 is class 10.12.
    codes = ["10111", "10112", "10120"]
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "synthetic layout test",
        "source": "test",
        "id": ["Region", "SNI2007", "ContentsCode", "Tid"],
        "size": [2, 3, 1, 1],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {
            "Region": {"category": {"index": ["06", "07"]}},
            "SNI2007": {"label": "näringsgren SNI 2007", "category": {"index": codes}},
            "ContentsCode": {
                "category": {
                    "index": ["X"],
                    "label": {"X": "Anställda"},
                    "unit": {"X": {"base": "antal"}},
                }
            },
            "Tid": {"category": {"index": ["2022"]}},
        },
        "value": [1, 2, 4, 8, None, 32],
        "status": {"4": ".."},
    }
    scb_tools.serve_v2(server, "SYNTH", doc)
    selection = {"Region": ["06", "07"], "SNI2007": codes, "ContentsCode": ["X"], "Tid": ["2022"]}
    table = scb.query("SYNTH", selection, base_url=_v2(server))
    cells = table.frame.set_index(["region", "activity"])
    assert cells.loc[("SE211", "10.11"), "value"] == 3.0
    assert cells.loc[("SE211", "10.12"), "value"] == 4.0
    assert math.isnan(cells.loc[("SE212", "10.11"), "value"])  # 8 + missing = missing
    assert cells.loc[("SE212", "10.11"), "flag"] == ".."
    assert (table.meta.classification, table.meta.classification_version) == ("NACE", "Rev. 2")
    assert any("detail groups" in note for note in table.report.notes)


# --------------------------------------------------------------------------- the splitter
selections = st.dictionaries(
    keys=st.sampled_from(["Region", "SNI2007", "Kon", "Alder", "ContentsCode", "Tid"]),
    values=st.integers(min_value=1, max_value=12),
    min_size=1,
    max_size=5,
).map(lambda sizes: {k: [f"{k[0]}{i:02d}" for i in range(n)] for k, n in sizes.items()})


@settings(max_examples=300, deadline=None)
@given(selection=selections, max_cells=st.integers(min_value=1, max_value=400))
def test_the_splitter_partitions_the_query(selection: dict[str, list[str]], max_cells: int) -> None:
    chunks = scb.split_selection(selection, max_cells)
    names = list(selection)
    seen: list[tuple[str, ...]] = []
    for chunk in chunks:
        # a valid selection: the same variables, non-empty, original values in order
        assert list(chunk) == names
        for name, values in chunk.items():
            assert values
            positions = [selection[name].index(v) for v in values]
            assert positions == sorted(positions)
            assert len(set(values)) == len(values)
        assert scb.count_cells(chunk) <= max_cells
        seen.extend(itertools.product(*chunk.values()))
    everything = list(itertools.product(*selection.values()))
    assert sorted(seen) == sorted(everything)  # every cell in exactly one chunk
    assert len(seen) == len(everything)


def test_the_splitter_leaves_a_small_query_whole() -> None:
    selection = {"Region": ["01", "03"], "Tid": ["2020"]}
    assert scb.split_selection(selection, 150_000) == [selection]
    with pytest.raises(InputError, match="at least 1"):
        scb.split_selection(selection, 0)


def test_selections_expand_against_the_metadata() -> None:
    meta = scb.TableMetadata(
        "T",
        "t",
        (
            scb.Variable("Region", "region", ("00", "01", "03", "0114", "0180")),
            scb.Variable("Tid", "år", ("2019", "2020", "2021", "2022"), time=True),
        ),
    )
    out = scb.expand_selection({"Region": ["01*", "03"], "Tid": "from(2021)"}, meta)
    assert out == {"Region": ["01", "0114", "0180", "03"], "Tid": ["2021", "2022"]}
    assert scb.expand_selection({"Region": "??", "Tid": "bottom(1)"}, meta) == {
        "Region": ["00", "01", "03"],
        "Tid": ["2019"],
    }
    assert scb.expand_selection({"Tid": "to(2020)"}, meta) == {"Tid": ["2019", "2020"]}
    with pytest.raises(InputError, match="matches no value"):
        scb.expand_selection({"Region": "9*"}, meta)

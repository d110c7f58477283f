"""The Eurostat client against a local server answering with the fixture slices.

The fixtures are real Eurostat values (bulk TSV files) written in the API's layouts by
scripts/fixtures/build_eurostat_api_fixtures.py; see fixtures/eurostat/CARD.md.
"""

from __future__ import annotations

import gzip
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from smartspec.data import eurostat
from smartspec.data.eurostat_tsv import parse_eurostat_tsv
from smartspec.data.http import ENV_OFFLINE, HttpClient, NetworkError, OfflineError
from smartspec.data.http import RequestTooLargeError as TooLarge
from smartspec.errors import InputError, UnknownCodeError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "eurostat"
LFST = "lfst_r_lfe2en2"
GDP = "nama_10r_2gdp"
FORMATS = ("jsonstat", "sdmx-csv", "tsv")


def _fetch(server: Any, meta: dict[str, Any], code: str, fmt: str, **kw: Any) -> Any:
    return eurostat.fetch(
        code, filters=meta["queries"][code], format=fmt, base_url=server.url, **kw
    )


def _flag(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@pytest.fixture
def tables(eurostat_server: Any, eurostat_meta: dict[str, Any], data_dir: Path) -> dict[str, Any]:
    return {fmt: _fetch(eurostat_server, eurostat_meta, LFST, fmt) for fmt in FORMATS}


def test_the_three_formats_give_identical_tables(tables: dict[str, Any]) -> None:
    reference = tables["jsonstat"]
    for fmt in ("sdmx-csv", "tsv"):
        other = tables[fmt]
        pd.testing.assert_frame_equal(reference.frame, other.frame)
        assert str(reference.report) == str(other.report)
        for field in ("measure", "unit", "additive", "classification", "region_level"):
            assert getattr(reference.meta, field) == getattr(other.meta, field)
        for key in ("dataset", "filters", "updated", "dimensions", "publisher"):
            assert reference.meta.provenance[key] == other.meta.provenance[key], key


def test_values_and_flags_are_eurostats(tables: dict[str, Any]) -> None:
    # the same cells, read from the TSV fixture (the slice of the bulk file) by the TSV parser
    text = gzip.decompress((FIXTURES / f"{LFST}.tsv.gz").read_bytes()).decode()
    original = parse_eurostat_tsv(text).to_long().set_index(["geo", "nace_r2", "period"])
    frame = tables["jsonstat"].frame.set_index(["region", "activity", "period"])
    assert len(frame) == 22 * 10 * 8  # NUTS 2 regions of AT, DK, SE × A*10 × 2008–2015
    for key, row in frame.iterrows():
        want = original.loc[key]
        assert (math.isnan(row["value"]) and math.isnan(want["value"])) or row["value"] == want[
            "value"
        ], key
        assert _flag(row["flag"]) == _flag(want["flag"]), key
    # hand-checked against the shared bulk file: 'THS,A,Y15-64,SE11 … 2.9 u  2.7 bu'
    assert frame.loc[("SE11", "A", 2008), "value"] == 2.7
    assert frame.loc[("SE11", "A", 2008), "flag"] == "bu"
    assert frame.loc[("SE11", "A", 2009), "flag"] == "u"
    assert math.isnan(frame.loc[("AT13", "A", 2009), "value"])
    assert frame.loc[("AT13", "A", 2009), "flag"] == ":u"


def test_table_metadata_and_provenance(
    tables: dict[str, Any], eurostat_meta: dict[str, Any]
) -> None:
    table = tables["jsonstat"]
    assert table.meta.measure == LFST
    assert table.meta.unit == "THS"
    assert table.meta.additive is True
    assert (table.meta.classification, table.meta.classification_version) == ("NACE", "Rev. 2")
    assert table.meta.region_level == 2
    prov = table.meta.provenance
    assert prov["dataset"] == LFST
    assert prov["publisher"] == "Eurostat"
    assert prov["filters"]["age"] == ["Y15-64"]
    assert prov["dimensions"] == {"freq": "A", "unit": "THS", "age": "Y15-64"}
    assert prov["format"] == "JSON-stat 2.0"
    assert prov["url"].startswith(tables["jsonstat"].meta.provenance["url"].split("?")[0])
    assert "geo=SE11" in prov["url"]
    assert "format=JSON" in prov["url"]
    assert prov["retrieved"]
    # placeholder update stamp of the fixtures, the same instant in the three layouts
    assert prov["updated"] == "2017-02-28T23:00:00+00:00"
    assert tables["sdmx-csv"].meta.provenance["format"] == "SDMX-CSV"
    assert tables["tsv"].meta.provenance["format"] == "TSV"
    # aggregates are dropped and listed
    assert set(table.report.dropped_codes()) == {
        "AT", "AT1", "AT2", "AT3", "DK", "DK0", "SE", "SE1", "SE2", "SE3",
    }  # fmt: skip


def test_the_requests_carry_the_filters(tables: dict[str, Any], eurostat_server: Any) -> None:
    by_path = {r.path: r for r in eurostat_server.requests}
    js = by_path[f"/statistics/1.0/data/{LFST}"]
    assert js.param("lang") == ["EN"]
    assert js.param("nace_r2") == ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
    assert "SE33" in js.param("geo")
    assert len(js.param("geo")) == 32
    key = next(p for p in by_path if p.startswith(f"/sdmx/2.1/data/{LFST}/"))
    freq, unit, nace, age, geo = key.rsplit("/", 1)[1].split(".")
    assert (freq, unit, age) == ("", "THS", "Y15-64")
    assert nace.split("+")[0] == "A"
    assert geo.split("+")[-1] == "SE33"
    bulk = by_path[f"/sdmx/2.1/data/{LFST}"]
    assert bulk.param("format") == ["TSV"]
    assert bulk.param("compressed") == ["true"]


def test_a_regional_indicator_without_activities(
    eurostat_server: Any, eurostat_meta: dict[str, Any], data_dir: Path
) -> None:
    out = {fmt: _fetch(eurostat_server, eurostat_meta, GDP, fmt) for fmt in FORMATS}
    for fmt in ("sdmx-csv", "tsv"):
        pd.testing.assert_frame_equal(out["jsonstat"].frame, out[fmt].frame)
    table = out["jsonstat"]
    assert not table.has_activity
    assert table.periods == (2010, 2011, 2012, 2013, 2014)
    assert table.regions == ("SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33")
    # nama_10r_2gdp.tsv.gz in the shared data: 'MIO_EUR,SE11 … 2014: 135631'
    value = table.frame.set_index(["region", "period"]).loc[("SE11", 2014), "value"]
    assert value == 135631.0
    sdmx = next(r for r in eurostat_server.requests if r.path.startswith(f"/sdmx/2.1/data/{GDP}/"))
    assert sdmx.param("startPeriod") == ["2010"]
    assert sdmx.param("endPeriod") == ["2014"]


def test_filters_are_applied_the_same_way_by_every_format(
    eurostat_server: Any, eurostat_meta: dict[str, Any], data_dir: Path
) -> None:
    # the server answers with the whole slice; the client cuts it down identically
    # (geoLevel instead of the query's geo list: Eurostat refuses both together)
    query = {k: v for k, v in eurostat_meta["queries"][LFST].items() if k != "geo"}
    filters = {**query, "geoLevel": "nuts2", "time": [2014, 2015]}
    frames = [
        eurostat.fetch(LFST, filters=filters, format=fmt, base_url=eurostat_server.url).frame
        for fmt in FORMATS
    ]
    assert set(frames[0]["period"]) == {2014, 2015}
    for other in frames[1:]:
        pd.testing.assert_frame_equal(frames[0], other)


def test_a_second_fetch_comes_from_the_cache_also_offline(
    eurostat_server: Any, eurostat_meta: dict[str, Any], data_dir: Path, monkeypatch: Any
) -> None:
    first = _fetch(eurostat_server, eurostat_meta, GDP, "jsonstat")
    calls = len(eurostat_server.requests)
    again = _fetch(eurostat_server, eurostat_meta, GDP, "jsonstat", offline=True)
    monkeypatch.setenv(ENV_OFFLINE, "1")
    from_env = _fetch(eurostat_server, eurostat_meta, GDP, "jsonstat")
    assert len(eurostat_server.requests) == calls
    pd.testing.assert_frame_equal(first.frame, again.frame)
    pd.testing.assert_frame_equal(first.frame, from_env.frame)
    assert again.meta.provenance["from_cache"] is True
    assert again.meta.provenance["retrieved"] == first.meta.provenance["retrieved"]


def test_offline_without_a_cached_answer_says_what_to_do(
    eurostat_server: Any, eurostat_meta: dict[str, Any], data_dir: Path
) -> None:
    with pytest.raises(OfflineError) as err:
        _fetch(eurostat_server, eurostat_meta, GDP, "tsv", offline=True)
    text = str(err.value)
    assert f"Eurostat dataset '{GDP}' is not in the cache" in text
    assert f"/sdmx/2.1/data/{GDP}?format=TSV" in text
    assert "without offline=True" in text
    assert not eurostat_server.requests


def test_an_unknown_dataset_names_the_code(server: Any, reply_cls: Any, data_dir: Path) -> None:
    server.add(
        "GET",
        "/statistics/1.0/data/nama_10r_2gdpx",
        reply_cls.json({"error": [{"status": 404, "id": 100, "label": "No results found"}]}, 404),
    )
    with pytest.raises(UnknownCodeError) as err:
        eurostat.fetch("nama_10r_2gdpx", base_url=server.url)
    text = str(err.value)
    assert "unknown Eurostat dataset 'nama_10r_2gdpx'" in text
    assert "404" in text
    assert "No results found" in text


def test_a_too_large_slice_advises_filters(server: Any, reply_cls: Any, data_dir: Path) -> None:
    server.add(
        "GET",
        "/statistics/1.0/data/lfst_r_lfe2en2",
        reply_cls.json({"error": [{"status": 413, "label": "EXTRACTION_TOO_BIG"}]}, 413),
    )
    with pytest.raises(TooLarge) as err:
        eurostat.fetch(LFST, base_url=server.url)
    text = str(err.value)
    assert "413" in text
    assert "EXTRACTION_TOO_BIG" in text
    assert "add filters" in text
    assert "format='tsv'" in text


def test_an_unreachable_api_is_a_network_error(data_dir: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = HttpClient("eurostat", retries=1, sleep=lambda s: None)
    with pytest.raises(NetworkError, match=f"cannot reach 127.0.0.1 for Eurostat dataset '{GDP}'"):
        eurostat.fetch(GDP, base_url=f"http://127.0.0.1:{port}", client=client)


def test_a_dimension_with_several_values_must_be_filtered(
    eurostat_server: Any, eurostat_meta: dict[str, Any], data_dir: Path
) -> None:
    with pytest.raises(InputError) as err:
        _fetch(eurostat_server, eurostat_meta, LFST, "jsonstat", activity_dim=None)
    text = str(err.value)
    assert "the dimension 'nace_r2' has 10 values" in text
    assert "filters={..., 'nace_r2': 'A'}" in text


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"time": "2015Q1"}, "is not a year"),
        ({"geo": []}, "is empty"),
        ({"geoLevel": "city"}, "geoLevel"),
        ({"geoLevel": "aggregate"}, "geoLevel"),
        ({"geo": "SE11", "geoLevel": "nuts2"}, "geo and geoLevel cannot be combined"),
        ({"lastTimePeriod": "x"}, "lastTimePeriod"),
    ],
)
def test_bad_filters_are_refused_before_any_request(
    filters: dict[str, Any], message: str, data_dir: Path
) -> None:
    with pytest.raises(InputError, match=message):
        eurostat.fetch(GDP, filters=filters, base_url="http://127.0.0.1:9", offline=True)


def test_a_bad_format_or_code_is_refused() -> None:
    with pytest.raises(InputError, match="not a Eurostat format"):
        eurostat.fetch(GDP, format="xml")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not a Eurostat dataset code"):
        eurostat.fetch("nama 10r")

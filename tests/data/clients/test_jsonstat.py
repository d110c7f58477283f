"""JSON-stat 1.x and 2.0 parsing, on real SCB answers and the Eurostat fixtures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from smartspec.data.jsonstat import parse_jsonstat
from smartspec.errors import InputError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _load(name: str) -> dict[str, object]:
    return dict(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def test_scb_v2_tab638_a_single_cell() -> None:
    ds = parse_jsonstat(_load("scb/TAB638_data-35e0e2-5aec69-POST.json"))
    assert ds.version == "2.0"
    assert ds.ids == ("Region", "Civilstand", "Alder", "Kon", "ContentsCode", "Tid")
    assert ds.sizes == (1, 1, 1, 1, 1, 1)
    assert ds.updated == "2025-02-21T07:00:00Z"
    assert ds.source == "SCB"
    assert ds.role("time") is not None
    assert ds.role("time").id == "Tid"
    contents = ds.dimension("ContentsCode")
    assert contents.role == "metric"
    assert contents.units["BE0101N1"]["base"] == "antal personer"
    assert ds.dimension("Region").extension["eliminationValueCode"] == "00"
    assert ds.dimension("Region").label_of("00") == "Riket"
    assert len(ds.note) == 3
    frame = ds.to_frame(labels=True)
    assert frame.loc[0, "value"] == 50937.0  # the value in the recorded answer
    assert frame.loc[0, "Region_label"] == "Riket"
    assert frame.loc[0, "status"] is None


def test_scb_v2_tab5974_two_cells_in_order() -> None:
    ds = parse_jsonstat(_load("scb/TAB5974_data-35e0e2-fb7f17-POST.json"))
    frame = ds.to_frame()
    # Kon is the only dimension with two categories: '1' (män) then '2' (kvinnor)
    assert frame["Kon"].tolist() == ["1", "2"]
    assert frame["value"].tolist() == [50080.0, 47361.0]
    assert set(frame["Tid"]) == {"2026"}


def test_scb_v1_jsonstat1_bundle() -> None:
    doc = _load("scb/statswe_HS0301_jsonstat1.json")
    ds = parse_jsonstat(doc)
    assert ds.version == "1.x"
    assert ds.ids == ("Region", "Dodsorsak", "Alder", "Kon", "ContentsCode", "Tid")
    assert ds.sizes == (1, 1, 20, 2, 1, 28)
    assert ds.source == "Socialstyrelsen (SoS)"
    assert ds.dimension("Region").labels == {"25": "25 Norrbottens län"}
    frame = ds.to_frame()
    assert len(frame) == 1120
    # row-major, the last dimension (Tid) fastest: the last cell is 90+ år, kvinnor, 1996
    raw = doc["dataset"]["value"]  # type: ignore[index]
    last = frame.iloc[-1]
    assert (last["Alder"], last["Kon"], last["Tid"]) == ("90+", "2", "1996")
    assert last["value"] == raw[-1] == 137
    # and cell (Alder=20-24, Kon=1, Tid=1980): position (5 * 2 + 0) * 28 + 11
    cell = frame[(frame["Alder"] == "20-24") & (frame["Kon"] == "1") & (frame["Tid"] == "1980")]
    assert cell["value"].item() == raw[(5 * 2 + 0) * 28 + 11]


def test_eurostat_sparse_values_and_status() -> None:
    doc = _load("eurostat/lfst_r_lfe2en2.jsonstat.json")
    ds = parse_jsonstat(doc)
    frame = ds.to_frame()
    n = int(np.prod(ds.sizes))
    assert len(frame) == n
    values: dict[str, float] = doc["value"]  # type: ignore[assignment]
    assert int(frame["value"].notna().sum()) == len(values)
    status: dict[str, str] = doc["status"]  # type: ignore[assignment]
    assert int(frame["status"].notna().sum()) == len(status)
    # a cell with a value and a flag, and one with a flag but no value (': u' in the TSV)
    se11 = frame[(frame["geo"] == "SE11") & (frame["nace_r2"] == "A")].set_index("time")
    assert se11.loc["2008", "value"] == 2.7
    assert se11.loc["2008", "status"] == "bu"
    at13 = frame[(frame["geo"] == "AT13") & (frame["nace_r2"] == "A")].set_index("time")
    assert math.isnan(at13.loc["2009", "value"])
    assert at13.loc["2009", "status"] == "u"


def test_status_as_one_text_or_a_list() -> None:
    base = {
        "version": "2.0",
        "class": "dataset",
        "id": ["t"],
        "size": [2],
        "dimension": {"t": {"category": {"index": ["2019", "2020"]}}},
        "value": [1, None],
    }
    assert parse_jsonstat({**base, "status": "p"}).to_frame()["status"].tolist() == ["p", "p"]
    listed = parse_jsonstat({**base, "status": ["", ".."]}).to_frame()
    assert listed["status"].tolist()[1] == ".."
    assert math.isnan(listed["value"].tolist()[1])


def test_metadata_only_reads_no_values() -> None:
    ds = parse_jsonstat(_load("scb/TAB638_data-35e0e2-5aec69-POST.json"), metadata_only=True)
    assert ds.values.size == 0
    assert ds.dimension("Tid").codes == ("2024",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": [1, 2, 3]}, "'value' has 3 entries"),
        ({"size": [3]}, "has 2 categories but its size is 3"),
        ({"value": {"5": 1}}, "outside the cube"),
        ({"id": ["t", "t"], "size": [2, 2]}, "occurs twice"),
    ],
)
def test_inconsistent_documents_are_refused(change: dict[str, object], message: str) -> None:
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": ["t"],
        "size": [2],
        "dimension": {"t": {"category": {"index": {"2019": 0, "2020": 1}}}},
        "value": [1, 2],
        **change,
    }
    with pytest.raises(InputError, match=message):
        parse_jsonstat(doc, source="test.json")


def test_an_error_document_is_named_as_such() -> None:
    with pytest.raises(InputError, match="error message: Dataset not found"):
        parse_jsonstat({"version": "2.0", "class": "error", "label": "Dataset not found"})
    with pytest.raises(InputError, match="not a JSON-stat dataset"):
        parse_jsonstat({"hello": "world"})
    with pytest.raises(InputError, match="not valid JSON"):
        parse_jsonstat(b"{oops")

"""The bundled datasets: listing, cards, loading, and the data rules they must keep."""

from __future__ import annotations

import json
import math
import re
from importlib import resources
from pathlib import Path

import pytest

from smartspec import datasets
from smartspec.errors import UnknownCodeError
from smartspec.taxonomy import overlapping_activities

NAMES = [
    "lfs_employment_nuts2",
    "sbs_employment_nuts2_2014",
    "se_lan_employment",
    "world_trade",
    "gdp_nuts2",
    "rd_private_nuts2",
    "rd_government_nuts2",
    "arxiv_nuts2",
]
DATA = Path(str(resources.files("smartspec.datasets").joinpath("_data")))
SRC = Path(str(resources.files("smartspec")))


def test_list_datasets() -> None:
    infos = datasets.list_datasets()
    assert [d.name for d in infos] == NAMES
    for info in infos:
        assert info.title
        assert info.measure
        assert info.unit
        for file in info.files:
            assert (DATA / file).is_file(), file


@pytest.mark.parametrize("name", NAMES)
def test_load_matches_the_listing(name: str) -> None:
    info = {d.name: d for d in datasets.list_datasets()}[name]
    t = datasets.load(name)
    assert t is datasets.load(name)  # cached
    assert t.periods == info.periods
    assert t.meta.nuts_version == info.nuts_version
    assert t.meta.region_level == info.region_level
    assert t.meta.region_scheme == info.region_scheme
    assert t.meta.additive == info.additive
    assert (t.meta.measure, t.meta.unit) == (info.measure, info.unit)
    assert t.has_activity == (info.classification is not None)
    assert t.meta.provenance["dataset"] == name
    if t.has_activity and info.classification and info.classification.startswith("NACE"):
        assert overlapping_activities(t.activities) == []
    assert len(t) > 0


@pytest.mark.parametrize("name", NAMES)
def test_every_dataset_has_a_full_card(name: str) -> None:
    card = datasets.card(name)
    for field in ("publisher", "url", "licence", "retrieved"):
        assert getattr(card, field), field
    assert card.changes
    assert card.files == {d.name: d for d in datasets.list_datasets()}[name].files
    md = card.to_markdown()
    assert md.startswith(f"# {name} — ")
    assert "**Licence:**" in md
    assert "## Changes" in md
    assert name in str(card)


def test_every_bundled_file_has_a_card() -> None:
    roots = [DATA, SRC / "taxonomy" / "_data"]
    for root in roots:
        for path in root.iterdir():
            if path.name.endswith(".card.json") or path.name.startswith((".", "__")):
                continue
            card_path = path.with_name(path.name + ".card.json")
            assert card_path.is_file(), path
            card = json.loads(card_path.read_text(encoding="utf-8"))
            for key in ("publisher", "url", "licence", "retrieved", "changes"):
                assert card.get(key), (path.name, key)


def test_installed_data_is_small() -> None:
    total = sum(p.stat().st_size for root in (DATA, SRC / "taxonomy" / "_data")
                for p in root.iterdir())  # fmt: skip
    assert total < 15_000_000


def test_package_never_reads_the_shared_collection() -> None:
    pattern = re.compile(r"(\.\./shared|shared/data)")
    for path in SRC.rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_unknown_dataset_suggests() -> None:
    with pytest.raises(UnknownCodeError) as err:
        datasets.load("lfs_employment")
    assert "lfs_employment_nuts2" in str(err.value)
    with pytest.raises(UnknownCodeError, match="did you mean gdp_nuts2"):
        datasets.card("gdp")
    assert datasets.load(" GDP_NUTS2 ") is datasets.load("gdp_nuts2")


# --------------------------------------------------------------------------- content checks
def test_lfs_employment() -> None:
    t = datasets.load("lfs_employment_nuts2")
    assert t.activities == ("A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U")
    assert len(t.regions) == 276
    assert t.meta.provenance["dimensions"] == {"unit": "THS", "age": "Y_GE15"}
    f = t.frame
    se11 = f[(f["region"] == "SE11") & (f["period"] == 2015)]["value"].sum()
    # the file's TOTAL for SE11 in 2015 is 1174.5; the groups leave out NRP ('no response')
    assert se11 == pytest.approx(1174.5, rel=0.01)
    dropped = {d.code: d.reason for d in t.report.dropped}
    assert "EU28" in dropped
    assert "SE" in dropped
    assert "SE1" in dropped
    assert "EL11" in dropped
    assert "NO01" in dropped
    missing = f[f["value"].isna()]
    assert len(missing) == t.report.missing_values > 0
    assert missing["flag"].str.startswith(":").all()
    with pytest.raises(Exception, match="missing"):
        t.to_matrix(2015)
    m = t.to_matrix(2015, missing="zero")
    assert m.shape == (276, 10)


def test_sbs_resolution_and_content() -> None:
    card = datasets.card("sbs_employment_nuts2_2014")
    assert card.extra["resolution_rate"] >= 0.9
    assert card.extra["unresolved_rows"] == len(
        [r for r in card.extra["rows_left_out"] if r["why"] == "unresolved"]
    )
    assert "resolution rate" in card.to_markdown()
    t = datasets.load("sbs_employment_nuts2_2014")
    assert len(t.regions) == round(card.extra["eu28_nuts2_resolved"])
    assert len(t.activities) == 68
    assert "05" in t.activities
    assert "95" in t.activities
    f = t.frame
    # Stockholm (SE11), manufacture of food products (10): 'final' and 'Data' agree
    value = f[(f["region"] == "SE11") & (f["activity"] == "10")]["value"].iloc[0]
    assert value > 0
    assert (f["flag"].dropna() == ":").all()
    assert f["value"].isna().sum() == (f["flag"] == ":").sum()


def test_se_lan() -> None:
    t = datasets.load("se_lan_employment")
    assert len(t.regions) == 21
    assert all(r.startswith("SE") and len(r) == 5 for r in t.regions)
    assert t.activities == ("A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U")
    assert t.report.dropped_codes() == ("SE",)
    jonkoping = t.frame[(t.frame["region"] == "SE211") & (t.frame["period"] == 2017)]
    assert jonkoping["value"].sum() > 100_000


def test_world_trade() -> None:
    t = datasets.load("world_trade")
    assert (len(t.regions), len(t.activities)) == (226, 785)
    assert len(t) == 124_336
    assert t.meta.region_scheme == "ISO3"
    assert t.meta.nuts_version is None
    assert t.meta.classification == "SITC"
    assert t.meta.classification_version == "Rev. 2"
    assert "SWE" in t.regions
    assert "0011" in t.activities
    assert t.to_matrix(sparse=True).values.nnz == 124_336 - int((t.frame["value"] == 0).sum())


def test_regional_indicators() -> None:
    gdp = datasets.load("gdp_nuts2")
    assert len(gdp.regions) == 276
    assert gdp.meta.additive is False
    codes = {d.code: d.reason for d in gdp.report.dropped}
    assert "Extra-Regio" in codes["FIZZ"]
    for name in ("rd_private_nuts2", "rd_government_nuts2"):
        t = datasets.load(name)
        assert "EU28" in t.report.dropped_codes()
        assert "UKM2" in t.report.dropped_codes()  # a NUTS 2013 code in the 2016 file
        assert t.report.missing_values > 0
        assert math.isnan(t.frame["value"].max()) is False
    arxiv = datasets.load("arxiv_nuts2")
    assert arxiv.report.rows_kept == 1411
    assert "select kept 1,411 of 3,303 rows (region_year_spec = '2016'" in arxiv.report.notes[0]

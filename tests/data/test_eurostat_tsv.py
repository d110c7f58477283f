"""read_eurostat_tsv: both bulk layouts, flags, selection of dimensions, broken files."""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from smartspec.data import read_eurostat_tsv, read_table
from smartspec.data.eurostat_tsv import parse_eurostat_tsv
from smartspec.errors import InputError
from smartspec.table import ActivityTable

FIXTURES = Path(__file__).parent / "fixtures"
OLD = FIXTURES / "lfst_r_lfe2en2_old_layout.tsv"
CURRENT = FIXTURES / "lfst_r_lfe2en2_current_layout.tsv"
A10_PART = ["A", "B-E"]


def cell(t: ActivityTable, region: str, activity: str, period: int) -> tuple[float, object]:
    f = t.frame
    row = f[(f["region"] == region) & (f["activity"] == activity) & (f["period"] == period)]
    assert len(row) == 1
    return row["value"].iloc[0], row["flag"].iloc[0]


@pytest.mark.parametrize("path", [OLD, CURRENT])
def test_both_layouts_give_the_same_table(path: Path) -> None:
    t = read_eurostat_tsv(
        path,
        select={"age": "Y15-64", "nace_r2": A10_PART},
        nuts_version=2013,
        unknown_regions="drop",
    )
    assert t.regions == ("AT11", "SE11", "SE12")
    assert t.activities == ("A", "B-E")
    assert t.periods == tuple(range(2008, 2016))
    assert t.meta.unit == "THS"
    assert t.meta.additive is True
    assert t.meta.measure == path.name.removesuffix(".tsv")
    assert (t.meta.classification, t.meta.classification_version) == ("NACE", "Rev. 2")
    assert t.meta.provenance["dimensions"]["age"] == "Y15-64"
    assert (t.meta.nuts_version, t.meta.region_level) == (2013, 2)
    value, flag = cell(t, "SE11", "A", 2015)
    assert value == 3.9
    assert pd.isna(flag)
    value, flag = cell(t, "SE11", "A", 2008)
    assert (value, flag) == (2.7, "bu")
    dropped = {d.code: d.reason for d in t.report.dropped}
    assert "aggregate" in dropped["EU28"]
    assert "country total" in dropped["SE"]
    assert "NUTS 1" in dropped["SE1"]
    assert "not a NUTS 2013 code" in dropped["EL11"]


def test_layouts_agree_cell_by_cell() -> None:
    def read(path: Path) -> pd.DataFrame:
        t = read_eurostat_tsv(
            path,
            select={"age": "Y_GE15", "nace_r2": A10_PART},
            nuts_version=2010,
            region_level=2,
        )
        return t.to_pandas().sort_values(["region", "activity", "period"])

    old, new = read(OLD), read(CURRENT)
    assert old["value"].fillna(-1).tolist() == new["value"].fillna(-1).tolist()
    assert old["flag"].fillna("").tolist() == new["flag"].fillna("").tolist()


def test_missing_cells_are_nan_with_colon_flags() -> None:
    t = read_eurostat_tsv(OLD, select={"age": "Y15-64", "nace_r2": "A"}, nuts_version=2010)
    f = t.frame
    at11 = f[f["region"] == "AT11"].set_index("period")
    flags = set(f["flag"].dropna())
    assert flags <= {"b", "u", "bu", ":", ":u", ":bu", ":c", ":bc"}
    missing = f[f["value"].isna()]
    assert len(missing) > 0
    assert missing["flag"].str.startswith(":").all()
    assert at11.loc[2011, "flag"] == "u"


def test_unselected_dimension_lists_values_and_the_argument() -> None:
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(OLD)
    e = err.value
    assert e.column == "age"
    assert e.source == OLD.name
    assert "Y15-64, Y_GE15" in e.message
    assert "select={'age': 'Y15-64'}" in str(e)


def test_nesting_activities_from_eurostat_are_refused() -> None:
    with pytest.raises(InputError, match="A is inside TOTAL") as err:
        read_eurostat_tsv(OLD, select={"age": "Y15-64"}, nuts_version=2013,
                          unknown_regions="drop")  # fmt: skip
    assert "drop TOTAL" in str(err.value)


def test_select_errors() -> None:
    with pytest.raises(InputError, match="'sex'"):
        read_eurostat_tsv(OLD, select={"sex": "T"})
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(OLD, select={"age": "Y20-64"})
    assert "Y_GE15" in str(err.value.hint)
    with pytest.raises(InputError, match="not among the periods"):
        read_eurostat_tsv(OLD, select={"age": "Y15-64", "time": "2020"})


def test_select_periods() -> None:
    t = read_eurostat_tsv(
        CURRENT,
        select={"age": "Y_GE15", "nace_r2": "TOTAL", "TIME_PERIOD": ["2014", "2015"]},
        nuts_version=2013,
        unknown_regions="drop",
    )
    assert t.periods == (2014, 2015)


def test_gzip_and_read_table_dispatch(tmp_path: Path) -> None:
    gz = tmp_path / "lfst_r_lfe2en2.tsv.gz"
    gz.write_bytes(gzip.compress(OLD.read_bytes()))
    kwargs = {"select": {"age": "Y15-64", "nace_r2": "A"}, "nuts_version": 2013,
              "unknown_regions": "drop"}  # fmt: skip
    t = read_eurostat_tsv(gz, **kwargs)
    assert t.regions == ("AT11", "SE11", "SE12")
    plain = tmp_path / "copy.tsv"
    plain.write_bytes(OLD.read_bytes())
    t2 = read_table(plain, measure="employment", unit="THS", additive=True, **kwargs)
    assert t2.meta.measure == "employment"
    assert t2.frame["value"].fillna(-1).tolist() == t.frame["value"].fillna(-1).tolist()


def test_regional_indicator_without_activity_dimension(tmp_path: Path) -> None:
    path = tmp_path / "gdp.tsv"
    path.write_text(
        "unit,geo\\time\t2014 \t2013 \nEUR_HAB,SE11\t60000 \t: \nEUR_HAB,SE12\t38000 e\t37000 \n",
        encoding="utf-8",
    )
    t = read_eurostat_tsv(path, nuts_version=2013)
    assert not t.has_activity
    assert t.meta.additive is False
    assert t.meta.unit == "EUR_HAB"
    assert t.frame["flag"].tolist()[1:3] == [":", "e"] or set(t.frame["flag"].dropna()) == {
        ":",
        "e",
    }


def test_bundled_real_file_reads() -> None:
    ref = resources.files("smartspec.datasets").joinpath("_data", "lfst_r_lfe2en2_Y_GE15.tsv.gz")
    with resources.as_file(ref) as path:
        t = read_eurostat_tsv(path, select={"nace_r2": ["A", "F"]}, nuts_version=2013,
                              region_level=2, unknown_regions="drop")  # fmt: skip
    assert len(t.regions) == 276


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("region,value\nSE11,1\n", "not a Eurostat bulk TSV"),
        ("unit,geo\\time\t2015Q1 \nTHS,SE11\t1 \n", "'2015Q1' is not a year"),
        ("unit,geo\\time\t2015 \t2015 \nTHS,SE11\t1 \t2 \n", "occurs twice"),
        ("unit,geo\\time\t2015 \nTHS,SE11,X\t1 \n", "has 3 parts"),
        ("unit,geo\\time\t2015 \nTHS,SE11\t1 \t2 \t3\n", "the row has 4 fields"),
        ("unit,geo\\time\t2015 \t2014 \nTHS,SE11\t1 \n", "the row has 2 fields"),
        ("unit,geo\\time\t2015 \nTHS,SE11\tabc \n", "'abc' is not a number"),
        ("unit,geo\\time\t2015 \nTHS,SE11\t1.5 B\n", "unknown flag"),
        ("unit,geo\\time\t2015 \nTHS,SE11\t-1.5 \n", "negative"),
        ("unit,geo\\time\t2015 \nXYZ,SE11\t1 \n", "whether the values may be summed"),
        ("unit,geo\\time\n", "no period columns"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match) as err:
        read_eurostat_tsv(path, nuts_version=2013)
    assert err.value.source == "bad.tsv"


def test_bad_cell_names_line_and_period(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("unit,geo\\time\t2015 \t2014 \nTHS,SE11\t1 \t2 \nTHS,SE12\t3 \t4x \n")
    with pytest.raises(InputError) as err:
        read_eurostat_tsv(path, nuts_version=2013)
    assert (err.value.row, err.value.column) == (2, "2014")


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_eurostat_tsv(tmp_path / "nope.tsv")
    bad = tmp_path / "x.tsv.gz"
    bad.write_bytes(b"\x1f\x8b broken")
    with pytest.raises(InputError, match="gzip"):
        read_eurostat_tsv(bad)


def test_parse_keeps_the_wide_form() -> None:
    parsed = parse_eurostat_tsv(CURRENT.read_text(encoding="utf-8"), source="c.tsv")
    assert parsed.dims == ("freq", "unit", "nace_r2", "age", "geo")
    assert parsed.time_dim == "TIME_PERIOD"
    assert parsed.periods == tuple(range(2008, 2016))
    assert parsed.values_of("freq") == ["A"]

"""read_table: CSV dialects and encodings, Excel, Parquet, DataFrames, broken files."""

from __future__ import annotations

import contextlib
import gzip
import io
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartspec.data import read_table
from smartspec.errors import InputError

META = {"measure": "employment", "unit": "persons", "additive": True, "nuts_version": 2016}
SWEDISH = "region;activity;value;name\nSE110;C;12,5;Stockholms län\nSE121;C;3,0;Uppsala län\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- CSV
def test_comma_csv(tmp_path: Path) -> None:
    path = write(tmp_path, "emp.csv", b"region,activity,period,value\nSE11,C,2015,1.5\n"
                                      b"SE12,C,2015,2\n")  # fmt: skip
    t = read_table(path, **META)
    assert t.frame["value"].tolist() == [1.5, 2.0]
    assert t.meta.provenance["source"] == "emp.csv"
    assert t.report.notes == ()


def test_semicolon_decimal_comma_utf8(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, "lan.csv", SWEDISH.encode("utf-8")), **META)
    assert t.frame["value"].tolist() == [12.5, 3.0]
    assert "separator ';' detected" in t.report.notes
    assert "decimal comma detected in column 'value'" in t.report.notes
    assert not any("UTF-8" in n for n in t.report.notes)


def test_latin1_is_read_and_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "lan.csv", SWEDISH.encode("latin-1"))
    t = read_table(path, **META)
    assert t.frame["value"].tolist() == [12.5, 3.0]
    note = next(n for n in t.report.notes if "not UTF-8" in n)
    assert "line 2" in note
    assert "å, ä, ö" in note
    raw = pd.read_csv(io.StringIO(SWEDISH), sep=";")
    assert raw["name"].tolist()[0] == "Stockholms län"


def test_explicit_encoding_that_does_not_fit(tmp_path: Path) -> None:
    path = write(tmp_path, "lan.csv", SWEDISH.encode("latin-1"))
    with pytest.raises(InputError, match="not valid utf-8: byte 0xe4 on line 2"):
        read_table(path, encoding="utf-8", **META)
    with pytest.raises(InputError, match="unknown encoding"):
        read_table(path, encoding="klingon", **META)
    t = read_table(path, encoding="latin-1", **META)
    assert len(t) == 2


def test_mojibake_is_noted(tmp_path: Path) -> None:
    text = SWEDISH.replace("Stockholms län", "Stockholms lÃ¤n")
    t = read_table(write(tmp_path, "m.csv", text.encode("utf-8")), **META)
    assert any("re-save the file as UTF-8" in n for n in t.report.notes)


def test_bom_tab_and_gzip(tmp_path: Path) -> None:
    text = "\ufeffregion\tvalue\nSE11\t1\nSE12\t2\n"
    t = read_table(write(tmp_path, "x.txt", text.encode("utf-8")), **META)
    assert t.regions == ("SE11", "SE12")
    t = read_table(write(tmp_path, "x.csv.gz", gzip.compress(text.encode("utf-8"))), **META)
    assert t.regions == ("SE11", "SE12")


def test_thousands_separators_with_decimal_comma(tmp_path: Path) -> None:
    text = "region;value\nSE11;1 234,5\nSE12;1.234.567,25\nSE21;12\n"
    t = read_table(write(tmp_path, "t.csv", text.encode()), **META)
    assert t.frame["value"].tolist() == [1234.5, 1234567.25, 12.0]


def test_explicit_separator_and_decimal(tmp_path: Path) -> None:
    text = "region|value\nSE11|2,5\n"
    t = read_table(write(tmp_path, "t.csv", text.encode()), sep="|", decimal=",", **META)
    assert t.frame["value"].tolist() == [2.5]
    with pytest.raises(InputError, match="decimal comma needs another separator"):
        read_table(write(tmp_path, "u.csv", b"region,value\n"), sep=",", decimal=",", **META)
    with pytest.raises(InputError, match="one character"):
        read_table(write(tmp_path, "v.csv", b"region,value\n"), sep=";;", **META)


def test_missing_values_in_csv(tmp_path: Path) -> None:
    text = "region;value;flag\nSE11;:;c\nSE12;;\nSE21;0;\n"
    t = read_table(write(tmp_path, "t.csv", text.encode()), flag="flag", **META)
    values = t.frame["value"].tolist()
    assert math.isnan(values[0])
    assert math.isnan(values[1])
    assert values[2] == 0.0
    assert t.frame["flag"].iloc[0] == "c"


def test_leading_zeros_of_codes_are_kept(tmp_path: Path) -> None:
    text = "region,activity,value\nSE11,05,1\nSE11,10,2\n"
    t = read_table(write(tmp_path, "t.csv", text.encode()), classification="NACE", **META)
    assert t.activities == ("05", "10")


def test_skip_rows_and_blank_lines_keep_row_numbers(tmp_path: Path) -> None:
    text = "Employment by län\n\nregion,value\nSE11,1\n\nSE12,x\n"
    with pytest.raises(InputError) as err:
        read_table(write(tmp_path, "t.csv", text.encode()), skip_rows=2, **META)
    assert err.value.row == 3  # data rows after the header, blank line included
    assert err.value.source == "t.csv"
    assert err.value.column == "value"


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"region,value\nSE11,1\nSE12,2,3\n", "row has 3 fields, the header has 2"),
        (b'region,value\nSE11,"1\n', "never closed"),
        (b"region,value\x00\nSE11,1\n", "NUL byte"),
        (b"region,value\nSE11,abc\n", "'abc' is not a number"),
        (b"geo,value\nSE11,1\n", "no region column 'region'"),
    ],
)
def test_malformed_csv(tmp_path: Path, content: bytes, match: str) -> None:
    with pytest.raises(InputError, match=match) as err:
        read_table(write(tmp_path, "bad.csv", content), **META)
    assert err.value.source == "bad.csv"


def test_malformed_row_is_located(tmp_path: Path) -> None:
    content = b"region,value\nSE11,1\nSE12,2,3\n"
    with pytest.raises(InputError) as err:
        read_table(write(tmp_path, "bad.csv", content), **META)
    assert err.value.row == 2
    assert "sep=" in str(err.value.hint)


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "nope.csv", **META)
    with pytest.raises(InputError, match="folder"):
        read_table(tmp_path, **META)
    with pytest.raises(InputError, match=r"unknown file type '\.json'"):
        read_table(write(tmp_path, "x.json", b"{}"), **META)
    with pytest.raises(InputError, match="gzip"):
        read_table(write(tmp_path, "x.csv.gz", b"\x1f\x8bnot gzip"), **META)
    with pytest.raises(InputError, match="cannot read a int"):
        read_table(3, **META)  # type: ignore[arg-type]


def test_file_object() -> None:
    t = read_table(io.BytesIO(SWEDISH.encode("latin-1")), **META)
    assert t.frame["value"].tolist() == [12.5, 3.0]


# --------------------------------------------------------------------------- other formats
def test_dataframe_input() -> None:
    df = pd.DataFrame({"geo": ["SE11", "SE12"], "value": [1.0, 2.0]})
    t = read_table(df, region="geo", **META)
    assert t.meta.provenance["source"] == "DataFrame"


def test_excel(tmp_path: Path) -> None:
    path = tmp_path / "emp.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"note": ["first sheet"]}).to_excel(writer, sheet_name="About", index=False)
        pd.DataFrame(
            {
                "region": ["SE11", "SE12", "SE21"],
                "activity": ["05", "10", "10"],
                "value": [1.5, ":", 3],
            }
        ).to_excel(writer, sheet_name="Data", index=False)
    t = read_table(path, sheet="Data", classification="NACE", **META)
    assert t.activities == ("05", "10")
    assert math.isnan(t.frame["value"].iloc[1])
    assert read_table(path, sheet=1, **META).regions == ("SE11", "SE12", "SE21")
    with pytest.raises(InputError, match="no sheet 'Daten'") as err:
        read_table(path, sheet="Daten", **META)
    assert "About" in str(err.value.hint)
    with pytest.raises(InputError, match="no sheet number 5"):
        read_table(path, sheet=5, **META)
    with pytest.raises(InputError, match="no region column"):
        read_table(path, **META)  # first sheet has no region column


def test_broken_excel(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file as Excel"):
        read_table(write(tmp_path, "x.xlsx", b"not a zip"), **META)


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "emp.parquet"
    pd.DataFrame({"region": ["SE11"], "period": [2015], "value": [1.0]}).to_parquet(path)
    t = read_table(path, **META)
    assert t.periods == (2015,)
    with pytest.raises(InputError, match="Parquet"):
        read_table(write(tmp_path, "x.parquet", b"PAR1 nope"), **META)


# --------------------------------------------------------------------------- fuzz
CSV_ALPHABET = st.sampled_from([*list("SE12;,.:\t\n\r\"' -aåäöZ0x\x00e+"), "SE11", "value"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_fuzz_bytes_only_input_errors(data: bytes) -> None:
    with contextlib.suppress(InputError):
        read_table(io.BytesIO(data), **META)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CSV_ALPHABET, max_size=80).map("".join))
def test_fuzz_csv_like_text_only_input_errors(body: str) -> None:
    text = "region;activity;value\n" + body
    try:
        t = read_table(io.BytesIO(text.encode("utf-8")), **META)
    except InputError:
        return
    assert (t.frame["value"].dropna() >= 0).all()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["SE11", "SE12", "SE", "EU28", "SEZZ", "XX99", ""]),
            st.sampled_from(["C", "B-E", "TOTAL", "10", "J", ""]),
            st.one_of(
                st.floats(allow_nan=True, allow_infinity=True).map(str),
                st.sampled_from([":", "", "1,5", "-1", "2 b", "NA"]),
            ),
        ),
        max_size=12,
    )
)
def test_fuzz_rows_only_input_errors(rows: list[tuple[str, str, str]]) -> None:
    text = "region,activity,value\n" + "".join(f'"{r}","{a}","{v}"\n' for r, a, v in rows)
    with contextlib.suppress(InputError):
        read_table(io.BytesIO(text.encode()), **META)

"""The evidence store's API: put, load, list, show, history, drop; names; the content hash."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartspec.config import DataDir
from smartspec.data.store import (
    EvidenceStore,
    EvidenceStoreError,
    PutResult,
    check_name,
    content_hash,
)
from smartspec.errors import InputError, UnknownCodeError
from smartspec.table import ActivityTable

Make = Callable[..., ActivityTable]


def files(root: Path) -> list[str]:
    base = root / "evidence"
    if not base.exists():
        return []
    return sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())


def assert_same_table(got: ActivityTable, want: ActivityTable) -> None:
    pd.testing.assert_frame_equal(got.frame, want.frame, check_exact=True)
    assert got.meta == want.meta
    assert got.report == want.report
    if "flag" in want.frame.columns:
        assert got.frame["flag"].isna().tolist() == want.frame["flag"].isna().tolist()
        assert got.frame["flag"].dropna().tolist() == want.frame["flag"].dropna().tolist()


# --------------------------------------------------------------------------- round trip
def test_put_and_load_round_trip_meta_flags_and_report(data_dir: Path, emp: ActivityTable) -> None:
    store = EvidenceStore(data_dir)
    result = store.put(emp, "emp")
    assert isinstance(result, PutResult)
    assert result.status == "new"
    assert result.changed
    assert str(result) == "imported emp v1: 6 rows"
    entry = result.entry
    assert (entry.name, entry.version, entry.versions) == ("emp", 1, 1)
    assert entry.file == data_dir / "evidence" / "emp" / "v1.parquet"
    assert entry.file.is_file()
    assert (data_dir / "evidence.duckdb").is_file()
    assert entry.rows == 6
    assert entry.columns == ("region", "activity", "period", "value", "flag")
    assert (entry.regions, entry.activities, entry.periods) == (3, 2, (2015, 2016))
    assert entry.meta == emp.meta
    assert entry.content_hash == content_hash(emp)
    loaded = store.load("emp")
    assert_same_table(loaded, emp)
    assert loaded.meta.additive is True
    assert loaded.meta.nuts_version == 2016
    assert loaded.meta.region_level == 2
    assert loaded.meta.classification_id is not None
    assert loaded.frame["flag"].dropna().tolist() == ["b", ":", "e"]
    assert loaded.frame["flag"].dtype == emp.frame["flag"].dtype
    assert np.isnan(loaded.frame["value"].to_numpy()[3])


def test_a_table_without_activity_period_or_flag_round_trips(data_dir: Path) -> None:
    table = ActivityTable.from_frame(
        pd.DataFrame({"region": ["SWE", "NOR", "DNK"], "value": [1.5, 2.5, -0.5]}),
        measure="growth",
        unit="%",
        additive=False,
        region_scheme="ISO3",
        allow_negative=True,
    )
    store = EvidenceStore(data_dir)
    store.put(table, "growth")
    loaded = store.load("growth")
    assert_same_table(loaded, table)
    assert loaded.meta.additive is False
    assert loaded.meta.region_scheme == "ISO3"
    assert list(loaded.frame.columns) == ["region", "value"]
    assert store.show("growth").periods is None


def test_the_parquet_file_describes_itself(data_dir: Path, emp: ActivityTable) -> None:
    import pyarrow.parquet as pq

    entry = EvidenceStore(data_dir).put(emp, "emp").entry
    schema = pq.read_schema(entry.file)
    meta = schema.metadata
    assert meta[b"smartspec.content_hash"].decode() == entry.content_hash
    assert json.loads(meta[b"smartspec.meta"])["unit"] == "persons"
    assert json.loads(meta[b"smartspec.report"])["rows_kept"] == 6
    assert schema.names == ["region", "activity", "period", "value", "flag"]


def test_provenance_is_stored_as_json(data_dir: Path) -> None:
    from datetime import date

    table = ActivityTable.from_frame(
        pd.DataFrame({"region": ["A"], "value": [1.0]}),
        measure="m",
        unit="u",
        additive=True,
        region_scheme="custom",
        provenance={"when": date(2024, 5, 1), "pair": (1, 2), "n": np.int64(3)},
    )
    store = EvidenceStore(data_dir)
    store.put(table, "p")
    prov = store.load("p").meta.provenance
    assert prov == {"when": "2024-05-01", "pair": [1, 2], "n": 3}


def test_provenance_that_json_cannot_hold_is_refused(data_dir: Path) -> None:
    table = ActivityTable.from_frame(
        pd.DataFrame({"region": ["A"], "value": [1.0]}),
        measure="m",
        unit="u",
        additive=True,
        region_scheme="custom",
        provenance={"weird": object()},
    )
    store = EvidenceStore(data_dir)
    with pytest.raises(InputError, match=r"provenance\['weird'\] holds a object"):
        store.put(table, "p")
    assert store.list() == []
    assert files(data_dir) == []


# --------------------------------------------------------------------------- versions
def test_identical_content_is_a_no_op(data_dir: Path, emp: ActivityTable) -> None:
    store = EvidenceStore(data_dir)
    first = store.put(emp, "emp")
    again = store.put(emp, "emp")
    assert again.status == "unchanged"
    assert not again.changed
    assert again.entry.version == 1
    assert again.entry.imported_at == first.entry.imported_at
    assert str(again) == "emp is unchanged: the content is identical to v1 (nothing imported)"
    assert [e.version for e in store.history("emp")] == [1]
    assert files(data_dir) == ["emp/v1.parquet"]


def test_the_row_order_does_not_make_a_new_version(data_dir: Path, emp: ActivityTable) -> None:
    store = EvidenceStore(data_dir)
    store.put(emp, "emp")
    shuffled = ActivityTable(emp.frame.iloc[::-1].reset_index(drop=True), emp.meta, emp.report)
    assert store.put(shuffled, "emp").status == "unchanged"


def test_volatile_provenance_does_not_make_a_new_version(
    data_dir: Path, emp: ActivityTable
) -> None:
    store = EvidenceStore(data_dir)
    store.put(emp.with_meta(provenance={**emp.meta.provenance, "retrieved": "2024-01-01"}), "e")
    later = emp.with_meta(
        provenance={**emp.meta.provenance, "retrieved": "2025-01-01", "from_cache": True}
    )
    assert store.put(later, "e").status == "unchanged"
    moved = emp.with_meta(provenance={**emp.meta.provenance, "url": "https://elsewhere"})
    assert store.put(moved, "e").status == "new version"


def test_a_changed_source_is_a_new_version_and_old_versions_are_kept(
    data_dir: Path, make_emp: Make
) -> None:
    store = EvidenceStore(data_dir)
    v1 = make_emp()
    v2 = make_emp(scale=2.0)
    v3 = make_emp(scale=2.0, unit="thousand persons")
    store.put(v1, "emp")
    second = store.put(v2, "emp")
    assert second.status == "new version"
    assert second.previous == 1
    assert str(second) == "imported emp v2: 6 rows (a new version; v1 is kept)"
    assert store.put(v3, "emp").entry.version == 3
    # back to the first content: a new version too (history is linear)
    assert store.put(v1, "emp").entry.version == 4
    assert [e.version for e in store.history("emp")] == [1, 2, 3, 4]
    assert_same_table(store.load("emp"), v1)
    assert_same_table(store.load("emp", version=2), v2)
    assert store.load("emp", 3).meta.unit == "thousand persons"
    listed = store.list()
    assert [(e.name, e.version, e.versions) for e in listed] == [("emp", 4, 4)]
    assert files(data_dir) == [f"emp/v{i}.parquet" for i in (1, 2, 3, 4)]


def test_list_gives_the_latest_version_of_every_name(data_dir: Path, make_emp: Make) -> None:
    store = EvidenceStore(data_dir)
    assert store.list() == []
    store.put(make_emp(), "b-table")
    store.put(make_emp(), "a_table")
    store.put(make_emp(3.0), "a_table")
    assert [(e.name, e.version) for e in store.list()] == [("a_table", 2), ("b-table", 1)]
    assert store.names() == ["a_table", "b-table"]
    assert "a_table" in store
    assert "zzz" not in store
    assert store.show("a_table").version == 2
    assert store.show("a_table", 1).version == 1


def test_drop_a_version_keeps_the_numbering(data_dir: Path, make_emp: Make) -> None:
    store = EvidenceStore(data_dir)
    for scale in (1.0, 2.0, 3.0):
        store.put(make_emp(scale), "emp")
    gone = store.drop("emp", version=3)
    assert [e.label for e in gone] == ["emp v3"]
    assert store.show("emp").version == 2
    assert files(data_dir) == ["emp/v1.parquet", "emp/v2.parquet"]
    assert store.put(make_emp(4.0), "emp").entry.version == 4  # 3 is not reused
    with pytest.raises(UnknownCodeError, match=r"unknown version '3' .*its versions: 1, 2, 4"):
        store.load("emp", 3)


def test_drop_a_name_forgets_it(data_dir: Path, make_emp: Make) -> None:
    store = EvidenceStore(data_dir)
    store.put(make_emp(), "emp")
    store.put(make_emp(2.0), "emp")
    store.put(make_emp(), "other")
    gone = store.drop("emp")
    assert [e.label for e in gone] == ["emp v1", "emp v2"]
    assert store.names() == ["other"]
    assert files(data_dir) == ["other/v1.parquet"]
    assert not (data_dir / "evidence" / "emp").exists()
    assert store.put(make_emp(), "emp").entry.version == 1


# --------------------------------------------------------------------------- names, errors
@pytest.mark.parametrize("name", ["emp", "emp_se-2015", "0abc", "a" * 64])
def test_good_names(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize(
    ("name", "example"),
    [
        ("Emp", "emp"),
        ("employment SE", "employment_se"),
        ("-x", "x"),
        ("_x", "x"),
        ("a/b", "a_b"),
        ("../etc", "etc"),
        ("", "emp_se_2015"),
        ("a" * 65, "a" * 64),
        ("å", "emp_se_2015"),
    ],
)
def test_bad_names_are_refused_with_a_suggestion(
    data_dir: Path, emp: ActivityTable, name: str, example: str
) -> None:
    store = EvidenceStore(data_dir)
    with pytest.raises(InputError, match="is not a valid name for a stored table") as info:
        store.put(emp, name)
    assert info.value.hint is not None
    assert "lowercase letters, digits, '_' and '-'" in info.value.hint
    assert info.value.hint.endswith(f"e.g. {example!r}")
    assert files(data_dir) == []


def test_unknown_name_suggests_close_names(data_dir: Path, emp: ActivityTable) -> None:
    store = EvidenceStore(data_dir)
    with pytest.raises(UnknownCodeError, match="it is empty; import a table"):
        store.load("emp")
    store.put(emp, "employment")
    store.put(emp, "gdp")
    with pytest.raises(UnknownCodeError) as info:
        store.load("employmnt")
    assert str(info.value) == (
        "unknown stored table 'employmnt' in the evidence store; did you mean employment?"
    )
    assert info.value.suggestions == ["employment"]
    with pytest.raises(UnknownCodeError, match=r"it holds employment, gdp"):
        store.show("zzz")
    for call in (store.history, store.drop):
        with pytest.raises(UnknownCodeError):
            call("zzz")


def test_only_activity_tables_can_be_stored(data_dir: Path) -> None:
    with pytest.raises(InputError, match="only an ActivityTable can be stored, not a DataFrame"):
        EvidenceStore(data_dir).put(pd.DataFrame({"a": [1]}), "x")  # type: ignore[arg-type]


def test_a_missing_file_is_a_clear_error(data_dir: Path, emp: ActivityTable) -> None:
    store = EvidenceStore(data_dir)
    entry = store.put(emp, "emp").entry
    entry.file.unlink()
    with pytest.raises(EvidenceStoreError, match=r"the file of emp v1 is missing: .*drop the"):
        store.load("emp")


def test_a_changed_file_is_detected(data_dir: Path, emp: ActivityTable, make_emp: Make) -> None:
    store = EvidenceStore(data_dir)
    entry = store.put(emp, "emp").entry
    other = EvidenceStore(data_dir / "other").put(make_emp(5.0), "emp").entry
    entry.file.write_bytes(other.file.read_bytes())
    with pytest.raises(EvidenceStoreError, match="does not match its catalogue entry"):
        store.load("emp")
    entry.file.write_bytes(b"not parquet")
    with pytest.raises(EvidenceStoreError, match="cannot be read"):
        store.load("emp")


def test_a_damaged_catalogue_is_a_clear_error(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "evidence.duckdb").write_bytes(b"this is not a database" * 300)
    with pytest.raises(EvidenceStoreError, match=r"evidence\.duckdb is not an evidence catalogue"):
        EvidenceStore(data_dir)


def test_the_default_data_dir_comes_from_the_environment(
    data_dir: Path, emp: ActivityTable
) -> None:
    store = EvidenceStore()
    assert store.directory == DataDir(data_dir.resolve())
    assert store.catalogue_path == data_dir.resolve() / "evidence.duckdb"
    assert store.files_path == data_dir.resolve() / "evidence"
    store.put(emp, "emp")
    assert EvidenceStore(DataDir(data_dir)).names() == ["emp"]


def test_entry_to_dict_is_json(data_dir: Path, emp: ActivityTable) -> None:
    entry = EvidenceStore(data_dir).put(emp, "emp").entry
    data = json.loads(json.dumps(entry.to_dict()))
    assert data["name"] == "emp"
    assert data["nuts_version"] == 2016
    assert data["periods"] == [2015, 2016]
    assert data["imported_at"].endswith("Z")
    assert data["report"]["rows_kept"] == 6
    assert data["provenance"]["publisher"] == "test"


def test_stray_files_are_left_alone(data_dir: Path, emp: ActivityTable) -> None:
    store = EvidenceStore(data_dir)
    store.put(emp, "emp")
    (data_dir / "evidence" / "README.txt").write_text("mine")
    (data_dir / "evidence" / "emp" / "notes.txt").write_text("mine too")
    EvidenceStore(data_dir).put(emp.with_meta(unit="x"), "emp")
    assert (data_dir / "evidence" / "README.txt").exists()
    assert (data_dir / "evidence" / "emp" / "notes.txt").exists()


def test_threads_of_one_process_share_the_store(data_dir: Path, make_emp: Make) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store = EvidenceStore(data_dir)

    def work(i: int) -> int:
        own = EvidenceStore(data_dir)
        own.put(make_emp(float(i + 1)), f"t{i % 3}")
        return len(own.list())

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, range(9)))
    assert sorted(e.versions for e in store.list()) == [3, 3, 3]
    for name in store.names():
        for entry in store.history(name):
            store.load(name, entry.version)


# --------------------------------------------------------------------------- the hash
_codes = st.sampled_from(["SE11", "SE12", "SE21", "SE22", "SE23"])


@st.composite
def tables(draw: Any) -> pd.DataFrame:
    keys = draw(
        st.lists(
            st.tuples(_codes, st.sampled_from(["C", "J", "F"]), st.integers(2010, 2013)),
            min_size=1,
            max_size=20,
            unique=True,
        )
    )
    values = draw(
        st.lists(
            st.one_of(st.floats(0, 1e9, allow_nan=False), st.just(float("nan"))),
            min_size=len(keys),
            max_size=len(keys),
        )
    )
    flags = draw(
        st.lists(st.sampled_from([None, "b", "e", ":"]), min_size=len(keys), max_size=len(keys))
    )
    return pd.DataFrame(
        {
            "region": [k[0] for k in keys],
            "activity": [k[1] for k in keys],
            "period": [k[2] for k in keys],
            "value": values,
            "flag": flags,
        }
    )


def _table(df: pd.DataFrame) -> ActivityTable:
    return ActivityTable.from_frame(
        df, measure="m", unit="u", additive=True, flag="flag", nuts_version=2016
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.randoms())
def test_the_hash_ignores_row_order_and_sees_every_cell(df: pd.DataFrame, rnd: Any) -> None:
    table = _table(df)
    order = list(range(len(df)))
    rnd.shuffle(order)
    shuffled = _table(df.iloc[order].reset_index(drop=True))
    assert content_hash(shuffled) == content_hash(table)
    i = rnd.randrange(len(df))
    changed = df.copy()
    old = changed.loc[i, "value"]
    changed.loc[i, "value"] = 1.0 if (np.isnan(old) or old != 1.0) else 2.0
    assert content_hash(_table(changed)) != content_hash(table)
    flagged = df.copy()
    flagged.loc[i, "flag"] = "u" if flagged.loc[i, "flag"] != "u" else None
    assert content_hash(_table(flagged)) != content_hash(table)


def test_the_hash_sees_the_metadata(emp: ActivityTable) -> None:
    base = content_hash(emp)
    for change in (
        {"measure": "jobs"},
        {"unit": "THS"},
        {"additive": False},
        {"classification_version": "Rev. 1.1"},
        {"nuts_version": 2013},
        {"region_level": 3},
        {"region_scheme": "custom"},
        {"provenance": {"source": "other.csv"}},
    ):
        assert content_hash(emp.with_meta(**change)) != base, change
    same = emp.with_meta(provenance=dict(reversed(list(emp.meta.provenance.items()))))
    assert content_hash(same) == base


def test_the_hash_tells_a_missing_flag_from_the_text_none() -> None:
    df = pd.DataFrame({"region": ["SE11"], "value": [1.0], "flag": ["x"]})
    a = _table(df.assign(flag=pd.Series([None], dtype=object)))
    b = _table(df.assign(flag=["None"]))
    assert content_hash(a) != content_hash(b)


def test_stored_files_are_not_world_writable(data_dir: Path, emp: ActivityTable) -> None:
    entry = EvidenceStore(data_dir).put(emp, "emp").entry
    assert not entry.file.stat().st_mode & 0o002
    assert not any(p.name.endswith(".tmp") for p in (data_dir / "evidence").rglob("*"))
    assert os.access(entry.file, os.R_OK)

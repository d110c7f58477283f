"""`smartspec.data.sources`: one name for a file, a bundled dataset or a stored table.

Real evidence stores (DuckDB catalogue and Parquet files) in temporary data directories.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from smartspec import datasets
from smartspec.data.sources import (
    AmbiguousTableError,
    SourceSpec,
    UnknownTableError,
    parse_source,
    resolve_table,
)
from smartspec.data.store import EvidenceStore, content_hash
from smartspec.errors import AmbiguousError, InputError, SmartspecError, UnknownCodeError
from smartspec.table import ActivityTable

Make = Callable[..., ActivityTable]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_emp: Make) -> Path:
    """A data directory whose store holds emp v1 and v2; the cwd is an empty folder."""
    folder = tmp_path / "data"
    store = EvidenceStore(folder)
    store.put(make_emp(), "emp")
    store.put(make_emp(2.0), "emp")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return folder


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("emp", SourceSpec(None, "emp", None, "emp")),
        (" emp@2 ", SourceSpec(None, "emp", 2, "emp@2")),
        ("EMP@v3", SourceSpec(None, "EMP", 3, "EMP@v3")),
        ("store:emp", SourceSpec("store", "emp", None, "store:emp")),
        ("store:emp@V2", SourceSpec("store", "emp", 2, "store:emp@V2")),
        ("dataset:world_trade", SourceSpec("dataset", "world_trade", None, "dataset:world_trade")),
        ("file:emp@2", SourceSpec("file", "emp@2", None, "file:emp@2")),
        ("data/emp.csv", SourceSpec(None, "data/emp.csv", None, "data/emp.csv")),
        ("data/emp@2.csv", SourceSpec(None, "data/emp@2.csv", None, "data/emp@2.csv")),
        ("C:\\data\\emp.csv", SourceSpec(None, "C:\\data\\emp.csv", None, "C:\\data\\emp.csv")),
    ],
)
def test_parse_source(text: str, spec: SourceSpec) -> None:
    assert parse_source(text) == spec


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no table given"),
        ("store:", "'store:' names no stored table"),
        ("emp@", "'' in 'emp@' is not a version number"),
        ("emp@0", "'0' in 'emp@0' is not a version number"),
        ("store:emp@two", "'two' in 'store:emp@two' is not a version number"),
        ("dataset:world_trade@1", "bundled datasets have no versions"),
    ],
)
def test_parse_source_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_source(text)


def test_a_stored_table_latest_or_a_version(root: Path) -> None:
    store = EvidenceStore(root)
    latest = resolve_table("emp", data_dir=root)
    assert (latest.kind, latest.name, latest.version, latest.label) == ("store", "emp", 2, "emp v2")
    assert latest.reference == "store:emp@2"
    assert latest.entry is not None
    assert latest.entry.content_hash == store.show("emp").content_hash
    assert content_hash(latest.table) == latest.entry.content_hash
    assert latest.data_dir == root.resolve()
    first = resolve_table("emp@1", data_dir=str(root))
    assert first.version == 1
    assert content_hash(first.table) == store.show("emp", 1).content_hash
    for text in ("store:emp@v1", "EMP@1", " store:emp@1 "):
        assert resolve_table(text, data_dir=root).reference == "store:emp@1"
    provenance = latest.provenance()
    assert provenance["kind"] == "store"
    assert provenance["version"] == 2
    assert provenance["content_hash"] == latest.entry.content_hash
    assert provenance["table_provenance"]["publisher"] == "test"


def test_load_entry_reads_the_table_and_its_entry_together(root: Path) -> None:
    store = EvidenceStore(root)
    table, entry = store.load_entry("emp", 1)
    assert entry.label == "emp v1"
    assert content_hash(table) == entry.content_hash
    assert table.meta == store.load("emp", 1).meta
    _, latest = store.load_entry("emp")
    assert latest.version == 2


def test_a_bundled_dataset(root: Path) -> None:
    found = resolve_table("SE_LAN_EMPLOYMENT", data_dir=root)
    assert (found.kind, found.name, found.reference) == (
        "dataset",
        "se_lan_employment",
        "dataset:se_lan_employment",
    )
    assert found.version is None
    assert found.entry is None
    assert found.table is datasets.load("se_lan_employment")
    assert found.provenance()["name"] == "se_lan_employment"


def test_a_file_is_read_as_it_is(root: Path, tmp_path: Path) -> None:
    csv = tmp_path / "work" / "in.csv"
    pd.DataFrame(
        {"region": ["a", "b", "SE"], "activity": ["x", "y", "x"], "value": ["1,5", "2", ""]}
    ).to_csv(csv, index=False, sep=";")
    found = resolve_table("in.csv", data_dir=root)
    assert found.kind == "file"
    assert found.label == "in.csv"
    assert found.path == csv.resolve()
    assert found.reference == f"file:{csv.resolve()}"
    assert found.table.meta.region_scheme == "custom"  # codes as they are, not NUTS
    assert found.table.frame["region"].tolist() == ["a", "b", "SE"]
    assert found.table.frame["value"].tolist()[:2] == [1.5, 2.0]
    assert found.table.report.missing_values == 1
    assert (found.table.meta.measure, found.table.meta.unit) == ("value", "unspecified")
    provenance = found.provenance()
    assert provenance["path"] == str(csv.resolve())
    assert provenance["bytes"] == csv.stat().st_size
    told = resolve_table(
        f"file:{csv}", data_dir=root, file_options={"measure": "employment", "unit": "persons"}
    )
    assert (told.table.meta.measure, told.table.meta.unit) == ("employment", "persons")


def test_require_activity(root: Path, tmp_path: Path) -> None:
    gdp = ActivityTable.from_frame(
        pd.DataFrame({"region": ["SE11", "SE12"], "value": [1.0, 2.0]}),
        measure="gdp",
        unit="EUR",
        additive=True,
        nuts_version=2016,
    )
    EvidenceStore(root).put(gdp, "gdp")
    assert not resolve_table("gdp", data_dir=root).table.has_activity
    with pytest.raises(InputError, match="the stored table gdp v1 has no activities"):
        resolve_table("gdp", data_dir=root, require_activity=True)
    with pytest.raises(InputError, match="dataset 'gdp_nuts2' has no activities"):
        resolve_table("gdp_nuts2", data_dir=root, require_activity=True)
    csv = tmp_path / "work" / "regions.csv"
    pd.DataFrame({"region": ["a"], "sector": ["x"], "value": [1.0]}).to_csv(csv, index=False)
    with pytest.raises(InputError, match=r"regions.csv: missing column\(s\) 'activity'"):
        resolve_table(str(csv), data_dir=root, require_activity=True)


def test_a_name_of_several_sources_is_refused(
    root: Path, tmp_path: Path, emp: ActivityTable
) -> None:
    EvidenceStore(root).put(emp, "se_lan_employment")
    with pytest.raises(AmbiguousTableError) as caught:
        resolve_table("se_lan_employment", data_dir=root)
    err = caught.value
    assert isinstance(err, AmbiguousError)
    assert isinstance(err, LookupError)
    assert isinstance(err, SmartspecError)
    assert err.candidates == ["dataset:se_lan_employment", "store:se_lan_employment"]
    for choice in err.candidates:
        assert resolve_table(choice, data_dir=root).kind == choice.split(":")[0]
    for name in ("emp", "emp@2"):  # files in the working directory
        (tmp_path / "work" / name).write_text("region,activity,value\na,x,1\n", encoding="utf-8")
    with pytest.raises(AmbiguousTableError) as caught:
        resolve_table("emp@2", data_dir=root)
    assert caught.value.candidates == ["file:emp@2", "store:emp@2"]
    with pytest.raises(AmbiguousTableError, match=r"a file \(\./emp\)"):
        resolve_table("emp", data_dir=root)
    assert resolve_table("file:emp", data_dir=root).kind == "file"
    assert resolve_table("./emp", data_dir=root).kind == "file"


def test_an_unknown_name_lists_the_closest_of_every_source(root: Path, tmp_path: Path) -> None:
    (tmp_path / "work" / "emp.csv").write_text("region,activity,value\na,x,1\n", encoding="utf-8")
    with pytest.raises(UnknownTableError) as caught:
        resolve_table("empp", data_dir=root)
    err = caught.value
    assert isinstance(err, UnknownCodeError)
    assert err.suggestions == ["emp.csv (file)", "emp (stored table)"]
    assert str(err).startswith("unknown table 'empp': no file, bundled dataset or table of")
    with pytest.raises(UnknownTableError) as caught:
        resolve_table("world_trad", data_dir=root)
    assert caught.value.suggestions == ["world_trade (bundled dataset)"]
    with pytest.raises(UnknownTableError, match=r"no such file: emp\.cvs; did you mean emp\.csv"):
        resolve_table("emp.cvs", data_dir=root)
    with pytest.raises(UnknownCodeError, match=r"unknown stored table 'emq'.*did you mean emp"):
        resolve_table("store:emq", data_dir=root)


def test_looking_up_creates_no_store(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here"
    assert resolve_table("se_lan_employment", data_dir=missing).kind == "dataset"
    with pytest.raises(UnknownTableError, match="there is no evidence store in"):
        resolve_table("emp", data_dir=missing)
    with pytest.raises(UnknownCodeError, match=r"there is no evidence store in .* yet"):
        resolve_table("store:emp", data_dir=missing)
    assert not missing.exists()

"""`smartspec data …`: import (files, Eurostat, SCB), list, show, drop; bad input.

Every bad file ends with exit status 1, one line on stderr that names the file (and the
row and column where it can) and what would be right, and the store exactly as before.
Eurostat and SCB imports go to the real fixture HTTP server of the data clients' tests.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner, Result

from smartspec import cli
from smartspec.cli_data import EMPTY_MESSAGE, data_app
from smartspec.data import eurostat, scb
from smartspec.data.store import EvidenceStore
from smartspec.table import ActivityTable

CLIENT_FIXTURES = Path(__file__).resolve().parents[1] / "clients" / "fixtures"
FILE_META = ["--measure", "employment", "--unit", "persons", "--additive"]
LFS_FILTERS = ["--filter", "age=Y15-64", "--filter", "unit=THS"]

Make = Callable[..., ActivityTable]


def _app() -> typer.Typer:
    """The real app once the lead has mounted `data`; until then a test-local twin."""
    if any(group.name == "data" for group in cli.app.registered_groups):
        return cli.app
    app = typer.Typer(
        cls=cli.ErrorGroup,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.callback()(cli._root)
    app.add_typer(data_app, name="data")
    return app


APP = _app()


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(APP, list(args), prog_name="smartspec", input=input, env=env)


def data(root: Path, *args: str, input: str | None = None) -> Result:
    """`smartspec --data-dir ROOT data ARGS…`."""
    return run("--data-dir", str(root), "data", *args, input=input)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return result


def one_line_error(result: Result) -> str:
    """The single error line of a clean failure (exit 1, no traceback)."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def state(root: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The catalogue's listing and the files of the store."""
    listed = [e.to_dict() for e in EvidenceStore(root).list()]
    base = root / "evidence"
    found = sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())
    return listed, found


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


EMP_CSV = "region;activity;period;value\nSE11;C;2015;12,5\nSE12;C;2015;3,0\nSE11;J;2015;4\n"


# --------------------------------------------------------------------------- files
def test_import_a_csv_file_then_list_show_and_drop(data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "employment.csv", EMP_CSV)
    result = ok(data(data_dir, "import", str(path), "--name", "emp", *FILE_META))
    lines = result.stdout.splitlines()
    assert lines[0] == "imported emp v1: 3 rows"
    assert "employment [persons], additive" in lines[1]
    assert lines[2] == f"  file: {data_dir.resolve() / 'evidence' / 'emp' / 'v1.parquet'}"
    assert "  note: separator ';' detected" in lines
    assert "  note: decimal comma detected in column 'value'" in lines
    table = EvidenceStore(data_dir).load("emp")
    assert table.frame["value"].tolist() == [12.5, 3.0, 4.0]
    assert table.meta.provenance["source"] == "employment.csv"

    again = ok(data(data_dir, "import", str(path), "--name", "emp", *FILE_META))
    assert again.stdout.strip() == (
        "emp is unchanged: the content is identical to v1 (nothing imported)"
    )
    write(tmp_path, "employment.csv", EMP_CSV.replace("12,5", "13,5"))
    changed = ok(data(data_dir, "import", str(path), "--name", "emp", *FILE_META))
    assert changed.stdout.splitlines()[0] == "imported emp v2: 3 rows (a new version; v1 is kept)"

    listing = ok(data(data_dir, "list")).stdout
    header, row = listing.strip().splitlines()
    assert header.split() == ["name", "version", "measure", "unit", "NUTS", "rows", "imported"]
    assert row.split()[:7] == ["emp", "v2", "(2", "kept)", "employment", "persons", "?"]
    listed = json.loads(ok(data(data_dir, "list", "--json")).stdout)
    assert [(e["name"], e["version"], e["versions"]) for e in listed] == [("emp", 2, 2)]

    shown = ok(data(data_dir, "show", "emp")).stdout
    assert shown.splitlines()[0] == "emp v2 (latest)"
    for text in (
        "  measure:        employment",
        "  additive:       yes (may be summed)",
        "  shape:          3 rows: 2 regions × 2 activities × period 2015",
        "Provenance",
        "  source: employment.csv",
        "Validation report",
        "  3 rows read, 3 kept, 0 dropped; 0 missing values kept as NaN",
        "Versions (2)",
    ):
        assert text in shown.splitlines(), text
    old = ok(data(data_dir, "show", "emp", "--version", "1")).stdout
    assert old.splitlines()[0] == "emp v1 (the latest is v2)"
    as_json = json.loads(ok(data(data_dir, "show", "emp", "--json")).stdout)
    assert as_json["version"] == 2
    assert [h["version"] for h in as_json["history"]] == [1, 2]
    assert as_json["report"]["notes"][0] == "separator ';' detected"

    dropped = ok(data(data_dir, "drop", "emp", "--version", "2", "--yes")).stdout
    assert dropped.splitlines() == ["dropped emp v2", "emp now has v1 as its latest version"]
    assert ok(data(data_dir, "drop", "emp", "--yes")).stdout.strip() == "dropped emp v1"
    assert ok(data(data_dir, "list")).stdout.strip() == EMPTY_MESSAGE
    assert json.loads(ok(data(data_dir, "list", "--json")).stdout) == []


def test_drop_asks_first(data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "employment.csv", EMP_CSV)
    ok(data(data_dir, "import", str(path), "--name", "emp", *FILE_META))
    before = state(data_dir)
    no = data(data_dir, "drop", "emp", input="n\n")
    assert no.exit_code == 1
    assert "drop emp (1 version: v1)?" in no.stdout
    assert state(data_dir) == before
    yes = ok(data(data_dir, "drop", "emp", input="y\n"))
    assert "dropped emp v1" in yes.stdout
    assert state(data_dir) == ([], [])


def test_import_json_output(data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "employment.csv", EMP_CSV)
    out = json.loads(
        ok(data(data_dir, "import", str(path), "--name", "emp", *FILE_META, "--json")).stdout
    )
    assert out["status"] == "new"
    assert out["previous"] is None
    assert out["entry"]["rows"] == 3
    again = json.loads(
        ok(data(data_dir, "import", str(path), "--name", "emp", *FILE_META, "--json")).stdout
    )
    assert (again["status"], again["previous"]) == ("unchanged", 1)


def test_select_and_table_options(data_dir: Path, tmp_path: Path) -> None:
    text = (
        "geo,nace,year,sex,obs,status\n"
        "SE11,C,2015,T,10,\nSE11,C,2015,M,6,\nSE12,C,2015,T,4,p\nSE12,C,2015,M,2,\n"
        "SE,C,2015,T,14,\n"
    )
    path = write(tmp_path, "by_sex.csv", text)
    args = ["import", str(path), "--name", "by-sex", *FILE_META]
    columns = ["--region", "geo", "--activity", "nace", "--period", "year", "--value", "obs"]
    ok(
        data(
            data_dir,
            *args,
            *columns,
            "--flag",
            "status",
            "--select",
            "sex=T",
            "--nuts-version",
            "2016",
            "--classification",
            "NACE",
            "--classification-version",
            "Rev. 2",
        )
    )
    table = EvidenceStore(data_dir).load("by-sex")
    assert table.frame["value"].tolist() == [10.0, 4.0]
    assert table.frame["flag"].tolist()[1] == "p"
    assert table.meta.nuts_version == 2016
    assert table.meta.classification_version == "Rev. 2"
    assert table.report.dropped_codes() == ("SE",)
    # without the selection the duplicate keys name the column to select
    line = one_line_error(data(data_dir, *args, *columns))
    assert "the column 'sex' has several values (M, T): select one with --select sex=M" in line


def test_select_several_values(data_dir: Path, tmp_path: Path) -> None:
    text = "region,activity,value\nSE11,C,1\nSE11,J,2\nSE11,F,3\n"
    path = write(tmp_path, "three.csv", text)
    ok(data(data_dir, "import", str(path), "--name", "two", *FILE_META, "--select", "activity=C,J"))
    assert EvidenceStore(data_dir).load("two").activities == ("C", "J")


def test_excel_parquet_and_eurostat_tsv_files(data_dir: Path, tmp_path: Path) -> None:
    frame = pd.DataFrame({"region": ["SE11", "SE12"], "activity": ["C", "C"], "value": [1.0, 2.0]})
    xlsx = tmp_path / "emp.xlsx"
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
        frame.to_excel(writer, sheet_name="data", index=False)
    ok(data(data_dir, "import", str(xlsx), "--name", "xl", *FILE_META, "--sheet", "data"))
    ok(data(data_dir, "import", str(xlsx), "--name", "xl1", *FILE_META, "--sheet", "1"))
    bad_sheet = one_line_error(
        data(data_dir, "import", str(xlsx), "--name", "xl2", *FILE_META, "--sheet", "Data")
    )
    assert (
        bad_sheet == "error: emp.xlsx: there is no sheet 'Data' (the sheets are ['notes', 'data'])"
    )
    parquet = tmp_path / "emp.parquet"
    frame.to_parquet(parquet)
    ok(data(data_dir, "import", str(parquet), "--name", "pq", *FILE_META))
    store = EvidenceStore(data_dir)
    assert store.load("xl").frame["value"].tolist() == [1.0, 2.0]
    assert store.load("pq").frame["value"].tolist() == [1.0, 2.0]
    assert store.show("xl").content_hash != store.show("pq").content_hash  # their sources

    tsv = tmp_path / "lfst_r_lfe2en2.tsv.gz"
    shutil.copy(CLIENT_FIXTURES / "eurostat" / "lfst_r_lfe2en2.tsv.gz", tsv)
    result = ok(data(data_dir, "import", str(tsv), "--name", "lfs-file", "--select", "age=Y15-64"))
    assert result.stdout.startswith("imported lfs-file v1: ")
    lfs = store.load("lfs-file")
    assert lfs.meta.unit == "THS"
    assert lfs.meta.additive is True
    assert lfs.meta.classification == "NACE"
    assert lfs.meta.provenance["publisher"] == "Eurostat"
    assert lfs.frame["flag"].notna().any()


# --------------------------------------------------------------------------- bad input
LATIN1 = "region;name;activity;value\nSE110;Stockholms län;C;1\nSE211;Jönköpings län;C;2\n"
BAD_FILES: list[tuple[str, str, str, list[str], list[str]]] = [
    # (id, file name, content, extra options, texts the error line must contain)
    (
        "ragged-row",
        "ragged.csv",
        "region,activity,value\nSE11,C,1\nSE12,C,2,3\n",
        [],
        ["ragged.csv, row 2: row has 4 fields, the header has 3", "pass --sep"],
    ),
    (
        "latin-1-read-as-utf-8",
        "latin1.csv",
        LATIN1,
        ["--encoding", "utf-8"],
        ["latin1.csv: the file is not valid utf-8: byte 0xe4 on line 2", "--encoding latin-1"],
    ),
    (
        "semicolons-read-with-commas",
        "semi.csv",
        EMP_CSV,
        ["--sep", ","],
        ["semi.csv: there is no region column 'region'", "region;activity;period;value"],
    ),
    (
        "decimal-comma-read-as-point",
        "comma.csv",
        EMP_CSV,
        ["--decimal", "."],
        [
            "comma.csv, row 1, column 'value': value '12,5' is not a number",
            "looks like a decimal comma: read the file with --decimal ,",
        ],
    ),
    (
        "not-a-number",
        "nan.csv",
        "region,activity,value\nSE11,C,1\nSE12,C,abc\n",
        [],
        ["nan.csv, row 2, column 'value': value 'abc' is not a number"],
    ),
    (
        "negative",
        "neg.csv",
        "region,activity,value\nSE11,C,1\nSE12,C,-2\n",
        [],
        ["neg.csv, row 2, column 'value': value -2 is negative", "--allow-negative"],
    ),
    (
        "unknown-region",
        "unknown.csv",
        "region,activity,value\nSE11,C,1\nSE99,C,2\n",
        ["--nuts-version", "2016"],
        [
            "unknown.csv, row 2, column 'region': 1 region code is not NUTS 2016 codes: 'SE99'",
            "--drop-unknown-regions",
        ],
    ),
    (
        "mixed-nuts-versions",
        "mixed.csv",
        "region,activity,value\nFR10,C,3\nFR24,C,1\nFRB0,C,2\n",
        [],
        [
            "mixed.csv, row 2, column 'region': the region codes are not all of one NUTS version",
            "'FR24' (a NUTS 2010/2013 code)",
            "declare --nuts-version",
        ],
    ),
    (
        "duplicates",
        "dup.csv",
        "region,activity,value\nSE11,C,1\nSE11,C,2\n",
        [],
        ["dup.csv, row 1: 1 duplicate key (region, activity)"],
    ),
    (
        "overlapping-activities",
        "nest.csv",
        "region,activity,value\nSE11,C,1\nSE11,B-E,2\n",
        [],
        ["nest.csv", "activity codes overlap", "C is inside B-E"],
    ),
    ("empty", "empty.csv", "", [], ["empty.csv: the file is empty"]),
    (
        "unclosed-quote",
        "quote.csv",
        'region,activity,value\nSE11,C,1\n"SE12,C,2\n',
        [],
        ["quote.csv, row 2: a quoted field is never closed"],
    ),
    (
        "binary",
        "binary.csv",
        "region,value\nSE11,\x00\x01\n",
        [],
        ["binary.csv: the file contains a NUL byte (line 2): it is not a text file"],
    ),
    (
        "unknown-type",
        "table.json",
        "{}",
        [],
        ["table.json: unknown file type '.json'"],
    ),
    (
        "broken-excel",
        "broken.xlsx",
        "not a zip",
        [],
        ["broken.xlsx: cannot read the file as Excel"],
    ),
]


@pytest.mark.parametrize(
    ("filename", "content", "extra", "expected"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_a_bad_file_is_one_clear_line_and_changes_nothing(
    data_dir: Path,
    tmp_path: Path,
    make_emp: Make,
    filename: str,
    content: str,
    extra: list[str],
    expected: list[str],
) -> None:
    EvidenceStore(data_dir).put(make_emp(), "kept")
    encoding = "latin-1" if content == LATIN1 else "utf-8"
    path = write(tmp_path, filename, content, encoding)
    before = state(data_dir)
    line = one_line_error(data(data_dir, "import", str(path), "--name", "kept", *FILE_META, *extra))
    for text in expected:
        assert text in line, line
    assert "=..." not in line  # hints name options, not Python arguments
    assert state(data_dir) == before
    assert EvidenceStore(data_dir).put(make_emp(2.0), "kept").entry.version == 2  # usable


def test_latin1_and_semicolons_and_decimal_commas_are_read(data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "latin1.csv", LATIN1.replace(";1\n", ";1,5\n"), "latin-1")
    out = ok(data(data_dir, "import", str(path), "--name", "lat", *FILE_META)).stdout
    assert "the file is not UTF-8 (byte 0xe4 on line 2); read as Windows-1252" in out
    assert "separator ';' detected" in out
    assert "decimal comma detected in column 'value'" in out
    table = EvidenceStore(data_dir).load("lat")
    assert table.frame["value"].tolist() == [1.5, 2.0]
    assert table.report.dropped_codes() == ()
    # å, ä and ö were decoded right: a selection by the Swedish name finds its row
    select = ["--select", "name=Jönköpings län"]
    ok(data(data_dir, "import", str(path), "--name", "jkpg", *FILE_META, *select))
    assert EvidenceStore(data_dir).load("jkpg").regions == ("SE211",)


def test_a_missing_file(data_dir: Path, tmp_path: Path) -> None:
    line = one_line_error(data(data_dir, "import", str(tmp_path / "no.csv"), "--name", "x"))
    assert line.endswith("no.csv: file not found (check the path)")
    line = one_line_error(data(data_dir, "import", "lfst_r_lfe2en2", "--name", "x"))
    assert "smartspec data import eurostat lfst_r_lfe2en2" in line


def test_a_file_needs_measure_unit_and_additivity(data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "employment.csv", EMP_CSV)
    line = one_line_error(data(data_dir, "import", str(path), "--name", "emp", "--unit", "x"))
    assert line == (
        "error: employment.csv: the file does not say what its values are (pass --measure "
        "and --additive or --not-additive: --additive for counts and amounts, --not-additive "
        "for rates, shares and per-capita values)"
    )
    assert state(data_dir) == ([], [])


@pytest.mark.parametrize("name", ["Emp", "emp data", "-emp", "e/mp", ""])
def test_a_bad_name_is_refused_before_reading(data_dir: Path, tmp_path: Path, name: str) -> None:
    path = write(tmp_path, "employment.csv", EMP_CSV)
    line = one_line_error(data(data_dir, "import", str(path), "--name", name, *FILE_META))
    assert "is not a valid name for a stored table" in line
    assert "lowercase letters, digits, '_' and '-'" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{file}", "--filter", "age=Y15-64"], "--filter does not apply to file imports"),
        (["{file}", "--format", "tsv"], "--format does not apply to file imports"),
        (["{file}", "extra"], "a file import takes no second argument"),
        (["{file}", "--select", "nothing"], "is not DIMENSION=VALUE"),
        (["eurostat"], "give the dataset code"),
        (["scb"], "give the table id"),
        (["eurostat", "lfst_r_lfe2en2", "--select", "age=Y15-64"], "use --filter"),
        (["eurostat", "lfst_r_lfe2en2", "--sep", ";"], "--sep does not apply to Eurostat"),
        (["eurostat", "lfst_r_lfe2en2", "--format", "xml"], "is not a Eurostat format"),
        (["scb", "TAB638", "--filter", "Kon=1"], "use --select VARIABLE=CODE"),
        (["scb", "TAB638", "--decimal", ","], "--decimal does not apply to SCB imports"),
    ],
)
def test_options_that_do_not_fit_are_usage_errors(
    data_dir: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    path = write(tmp_path, "employment.csv", EMP_CSV)
    argv = [str(path) if a == "{file}" else a for a in args]
    result = data(data_dir, "import", *argv, "--name", "x", *FILE_META)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.stderr.replace("│", " ").split()), result.stderr
    assert EvidenceStore(data_dir).list() == []


def test_unknown_names_in_show_and_drop(data_dir: Path, tmp_path: Path) -> None:
    assert "it is empty" in one_line_error(data(data_dir, "show", "emp"))
    path = write(tmp_path, "employment.csv", EMP_CSV)
    ok(data(data_dir, "import", str(path), "--name", "employment", *FILE_META))
    line = one_line_error(data(data_dir, "show", "employmnt"))
    assert line == (
        "error: unknown stored table 'employmnt' in the evidence store; did you mean employment?"
    )
    line = one_line_error(data(data_dir, "drop", "employment", "--version", "7", "--yes"))
    assert "unknown version '7' of the stored table 'employment'" in line
    assert len(EvidenceStore(data_dir).list()) == 1


# --------------------------------------------------------------------------- data dir
def test_the_data_dir_option_env_and_global(tmp_path: Path, data_dir: Path) -> None:
    path = write(tmp_path, "employment.csv", EMP_CSV)
    ok(run("data", "import", str(path), "--name", "env", *FILE_META))  # SMARTSPEC_DATA_DIR
    assert EvidenceStore(data_dir).names() == ["env"]
    other = tmp_path / "other"
    ok(run("data", "import", str(path), "--name", "local", *FILE_META, "--data-dir", str(other)))
    ok(run("--data-dir", str(other), "data", "import", str(path), "--name", "glob", *FILE_META))
    assert EvidenceStore(other).names() == ["glob", "local"]
    # the command's option wins over the global one
    third = tmp_path / "third"
    ok(run("--data-dir", str(other), "data", "list", "--data-dir", str(third)))
    assert EvidenceStore(third).names() == []


def test_the_sub_app_runs_alone(data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path, "employment.csv", EMP_CSV)
    result = CliRunner().invoke(data_app, ["import", str(path), "--name", "x", *FILE_META])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(data_app, ["show", "y"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown stored table 'y'")


def test_help_lists_the_commands() -> None:
    result = run("data", "--help")
    assert result.exit_code == 0
    for command in ("import", "list", "show", "drop"):
        assert command in result.stdout
    text = " ".join(run("data", "import", "--help").stdout.split())
    for option in ("--name", "--select", "--filter", "--sheet", "--sep", "--decimal"):
        assert option in text


@pytest.mark.parametrize(
    ("module", "absent"),
    [
        ("smartspec.cli_data", ("duckdb", "pandas", "pyarrow")),
        ("smartspec.data.store", ("duckdb",)),
    ],
)
def test_importing_is_light(module: str, absent: tuple[str, ...]) -> None:
    code = f"import sys, {module}\nprint(sorted(m for m in {absent!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- Eurostat
def test_import_from_eurostat(
    data_dir: Path, eurostat_server: Any, eurostat_meta: dict[str, Any]
) -> None:
    base = ["--base-url", eurostat_server.url]
    args = ["import", "eurostat", "lfst_r_lfe2en2", *LFS_FILTERS, "--name", "lfs", *base]
    out = ok(data(data_dir, *args)).stdout
    assert out.startswith("imported lfs v1: ")
    store = EvidenceStore(data_dir)
    stored = store.load("lfs")
    direct = eurostat.fetch(
        "lfst_r_lfe2en2",
        filters={"age": "Y15-64", "unit": "THS"},
        base_url=eurostat_server.url,
    )
    pd.testing.assert_frame_equal(stored.frame, direct.frame)
    assert stored.meta.measure == "lfst_r_lfe2en2"
    assert stored.meta.unit == "THS"
    assert stored.meta.provenance["filters"] == {"age": ["Y15-64"], "unit": ["THS"]}
    assert stored.meta.provenance["url"].startswith(eurostat_server.url)
    # the answer was cached in the data directory given to the command
    assert (data_dir / "cache").is_dir()
    # fetched again (or offline from the cache): same content, no new version
    for extra in (["--refresh"], ["--offline"]):
        again = ok(data(data_dir, *args, *extra)).stdout
        assert (
            again.strip() == "lfs is unchanged: the content is identical to v1 (nothing imported)"
        )
    # the bulk download gives the same rows; its provenance differs, so a new version
    tsv = ok(data(data_dir, *args, "--format", "tsv")).stdout
    assert tsv.startswith("imported lfs v2: ")
    pd.testing.assert_frame_equal(store.load("lfs").frame, stored.frame)
    assert store.load("lfs").meta.provenance["format"] != stored.meta.provenance["format"]


def test_eurostat_errors(data_dir: Path, eurostat_server: Any) -> None:
    base = ["--base-url", eurostat_server.url]
    line = one_line_error(
        data(data_dir, "import", "eurostat", "lfst_r_lfe2enX", "--name", "x", *base)
    )
    assert "lfst_r_lfe2enX" in line
    line = one_line_error(
        data(
            data_dir,
            "import",
            "eurostat",
            "lfst_r_lfe2en2",
            *LFS_FILTERS,
            "--activity",
            "nace_r3",
            "--name",
            "x",
            *base,
        )
    )
    assert "the dataset lfst_r_lfe2en2 has no activity dimension 'nace_r3'" in line
    assert line.endswith("; pass --activity ...)")
    line = one_line_error(
        data(
            data_dir,
            "import",
            "eurostat",
            "nama_10r_2gdp",
            "--name",
            "x",
            "--offline",
            "--filter",
            "unit=MIO_EUR",
            "--base-url",
            "http://127.0.0.1:9",
        )
    )
    assert "offline" in line.lower()
    assert state(data_dir) == ([], [])


# --------------------------------------------------------------------------- SCB
def test_import_from_scb(data_dir: Path, server: Any, scb_tools: Any) -> None:
    scb_tools.serve_v2(
        server,
        "FIXTURE01",
        scb_tools.fixture("FIXTURE01.json"),
        metadata=scb_tools.fixture("FIXTURE01.metadata.json"),
    )
    base = ["--base-url", f"{server.url}/api/v2"]
    selection = [
        "--select",
        "Region=01,03",
        "--select",
        "SNI2007=*",
        "--select",
        "ContentsCode=FIXTURE_SYSS",
        "--select",
        "Tid=2015,2016",
    ]
    out = ok(data(data_dir, "import", "scb", "FIXTURE01", *selection, "--name", "syss", *base))
    assert out.stdout.startswith("imported syss v1: ")
    stored = EvidenceStore(data_dir).load("syss")
    direct = scb.query(
        "FIXTURE01",
        {
            "Region": ["01", "03"],
            "SNI2007": "*",
            "ContentsCode": ["FIXTURE_SYSS"],
            "Tid": ["2015", "2016"],
        },
        base_url=f"{server.url}/api/v2",
    )
    pd.testing.assert_frame_equal(stored.frame, direct.frame)
    assert stored.regions == ("SE110", "SE121")
    assert stored.meta.provenance["publisher"] == "Statistics Sweden (SCB)"
    again = ok(data(data_dir, "import", "scb", "FIXTURE01", *selection, "--name", "syss", *base))
    assert "unchanged" in again.stdout


def test_import_a_recorded_scb_answer(data_dir: Path, server: Any, scb_tools: Any) -> None:
    doc = scb_tools.fixture("TAB638_data-35e0e2-5aec69-POST.json")
    server.add("POST", "/api/v2/tables/TAB638/data", scb_tools.reply.json(doc))
    selection = [
        "--select", "Region=00", "--select", "Civilstand=OG", "--select", "Alder=0",
        "--select", "Kon=1", "--select", "ContentsCode=BE0101N1", "--select", "Tid=2024",
    ]  # fmt: skip
    ok(
        data(
            data_dir,
            "import",
            "scb",
            "TAB638",
            *selection,
            "--name",
            "pop",
            "--base-url",
            f"{server.url}/api/v2",
        )
    )
    pop = EvidenceStore(data_dir).load("pop")
    assert pop.frame[["region", "period", "value"]].values.tolist() == [["SE", 2024, 50937.0]]
    assert pop.meta.unit == "antal personer"
    shown = ok(data(data_dir, "show", "pop")).stdout
    assert "  table: TAB638" in shown.splitlines()


def test_scb_errors(data_dir: Path, server: Any, scb_tools: Any) -> None:
    scb_tools.serve_v2(
        server,
        "FIXTURE01",
        scb_tools.fixture("FIXTURE01.json"),
        metadata=scb_tools.fixture("FIXTURE01.metadata.json"),
    )
    base = ["--base-url", f"{server.url}/api/v2"]
    line = one_line_error(
        data(
            data_dir,
            "import",
            "scb",
            "FIXTURE01",
            "--select",
            "Region=01",
            "--select",
            "SNI2007=A",
            "--select",
            "ContentsCode=FIXTURE_SYSS",
            "--select",
            "Tid=2015",
            "--select",
            "Region=0680",
            "--name",
            "x",
            *base,
        )
    )
    assert "0680" in line
    assert state(data_dir) == ([], [])


def test_gzip_helper_detects_eurostat_files(tmp_path: Path) -> None:
    from smartspec.cli_data._sources import _is_eurostat_tsv

    plain = tmp_path / "x.tsv"
    plain.write_text("unit,geo\\time\t2015 \nTHS,SE11\t1 \n")
    packed = tmp_path / "x.tsv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    other = tmp_path / "y.tsv"
    other.write_text("region\tvalue\nSE11\t1\n")
    assert _is_eurostat_tsv(plain)
    assert _is_eurostat_tsv(packed)
    assert not _is_eurostat_tsv(other)
    assert not _is_eurostat_tsv(tmp_path / "x.csv")

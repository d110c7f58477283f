"""The `smartspec` command line: every command, happy and unhappy paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

import smartspec
from smartspec import cli
from smartspec.errors import InputError, UnknownCodeError

SRC = Path(smartspec.__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.app, list(args), prog_name="smartspec", env=env)


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def subprocess_env() -> dict[str, str]:
    """Environment for a child Python that must import this checkout's smartspec."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


# ------------------------------------------------------------------- root and basics


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"smartspec {smartspec.__version__}"


def test_python_dash_m_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "smartspec", "--version"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"smartspec {smartspec.__version__}"


def test_no_arguments_shows_help() -> None:
    result = run()
    assert result.exit_code in (0, 2)  # click's no_args_is_help exits with 2 in new versions
    for command in ("regions", "datasets", "setup", "serve"):
        assert command in result.output


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("regions", "datasets", "setup", "serve"):
        assert command in result.output


def test_unknown_command_is_a_usage_error() -> None:
    result = run("no-such-command")
    assert result.exit_code == 2


def test_cli_import_is_light() -> None:
    """`smartspec --help` must not pay for the web stack, pandas or plotting."""
    code = (
        "import sys, json, smartspec.cli\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('fastapi','starlette','uvicorn','pandas','altair','vl_convert','numpy'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=True,
        timeout=60,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


# --------------------------------------------------------------------------- regions


def test_regions_jonkoping() -> None:
    result = run("regions", "jonkoping")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[1]
    assert "SE211" in first
    assert "Jönköpings län" in first


def test_regions_code_query_shows_the_region() -> None:
    result = run("regions", "se211")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 2  # header + the one region
    assert "SE211" in lines[1]
    assert "Jönköpings län" in lines[1]


def test_regions_json() -> None:
    result = run("regions", "Jönköping", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0] == {
        "code": "SE211",
        "name": "Jönköpings län",
        "level": 3,
        "country": "SE",
        "version": 2024,
        "score": rows[0]["score"],
    }
    assert rows[0]["score"] >= 99
    assert set(rows[0]) == {"code", "name", "level", "country", "version", "score"}


def test_regions_filters_and_limit() -> None:
    result = run("regions", "Stockholm", "--country", "SE", "--level", "3", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["code"] == "SE110"
    assert all(r["country"] == "SE" and r["level"] == 3 for r in rows)
    result = run("regions", "län", "--country", "SE", "--limit", "3", "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 3


def test_regions_older_version() -> None:
    result = run("regions", "SE232", "--version", "2010", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["code"] == "SE232"
    assert rows[0]["version"] == 2010


def test_regions_listing_without_query() -> None:
    result = run("regions", "--country", "SE", "--level", "3", "--json")
    assert result.exit_code == 0, result.output
    codes = [r["code"] for r in json.loads(result.output)]
    assert "SE211" in codes
    assert len([c for c in codes if not c.startswith("SEZ")]) == 21


def test_regions_unknown_code_suggests() -> None:
    result = run("regions", "SE999")
    assert result.exit_code == 1
    no_traceback(result)
    assert "unknown region 'SE999'" in result.output
    assert "did you mean" in result.output


def test_regions_no_match() -> None:
    result = run("regions", "qqqxxyyzz")
    assert result.exit_code == 1
    no_traceback(result)
    assert "error:" in result.output
    assert "qqqxxyyzz" in result.output


def test_regions_bad_version_is_a_clean_error() -> None:
    result = run("regions", "jonkoping", "--version", "1999")
    assert result.exit_code == 1
    no_traceback(result)
    assert "NUTS version" in result.output


def test_regions_bad_level_is_a_usage_error() -> None:
    result = run("regions", "jonkoping", "--level", "7")
    assert result.exit_code == 2


# -------------------------------------------------------------------------- datasets
# The CLI's own behaviour is tested against a stand-in for smartspec.datasets; the real
# bundled datasets are exercised at the end of this section.


@dataclass
class FakeInfo:
    name: str
    title: str
    measure: str = "employment"
    unit: str = "persons"
    nuts_version: int | None = 2016
    periods: tuple[int, ...] = (2008, 2009, 2010)


@dataclass
class FakeCard:
    name: str

    def to_markdown(self) -> str:
        return f"# {self.name}\n\n- **source**: Eurostat\n- **licence**: CC BY 4.0\n"


@dataclass
class FakeTable:
    rows: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {"region": "SE211", "activity": "C", "period": 2010, "value": 1.5},
            {"region": "SE212", "activity": "C", "period": 2010, "value": 2.0},
        ]
    )

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.rows)


KNOWN = {"lfs_employment_nuts2": "Employment by NUTS 2 region"}


def _known(name: str) -> str:
    if name not in KNOWN:
        raise UnknownCodeError("dataset", name, sorted(KNOWN))
    return name


@pytest.fixture
def fake_datasets(monkeypatch: pytest.MonkeyPatch) -> None:
    import smartspec.datasets as mod

    monkeypatch.setattr(
        mod,
        "list_datasets",
        lambda: [FakeInfo(name, title) for name, title in KNOWN.items()],
        raising=False,
    )
    monkeypatch.setattr(mod, "card", lambda name: FakeCard(_known(name)), raising=False)
    monkeypatch.setattr(mod, "load", lambda name: (_known(name), FakeTable())[1], raising=False)


@pytest.mark.usefixtures("fake_datasets")
def test_datasets_list() -> None:
    result = run("datasets", "list")
    assert result.exit_code == 0, result.output
    assert "lfs_employment_nuts2" in result.output
    assert "2008–2010" in result.output
    rows = json.loads(run("datasets", "list", "--json").output)
    assert rows[0]["name"] == "lfs_employment_nuts2"
    assert rows[0]["periods"] == [2008, 2009, 2010]


@pytest.mark.usefixtures("fake_datasets")
def test_datasets_show() -> None:
    result = run("datasets", "show", "lfs_employment_nuts2")
    assert result.exit_code == 0, result.output
    assert "lfs_employment_nuts2" in result.output
    assert "Eurostat" in result.output
    raw = run("datasets", "show", "lfs_employment_nuts2", "--markdown")
    assert raw.output.startswith("# lfs_employment_nuts2")


@pytest.mark.usefixtures("fake_datasets")
def test_datasets_show_unknown_suggests() -> None:
    result = run("datasets", "show", "lfs_employment")
    assert result.exit_code == 1
    no_traceback(result)
    assert "unknown dataset 'lfs_employment'" in result.output
    assert "lfs_employment_nuts2" in result.output


@pytest.mark.usefixtures("fake_datasets")
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_datasets_export(tmp_path: Path, fmt: str) -> None:
    import pandas as pd

    out = tmp_path / f"lfs.{fmt}"
    result = run("datasets", "export", "lfs_employment_nuts2", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
    assert list(frame.columns) == ["region", "activity", "period", "value"]
    assert frame["region"].tolist() == ["SE211", "SE212"]
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


@pytest.mark.usefixtures("fake_datasets")
def test_datasets_export_format_from_suffix(tmp_path: Path) -> None:
    out = tmp_path / "lfs.parquet"
    result = run("datasets", "export", "lfs_employment_nuts2", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"PAR1"


@pytest.mark.usefixtures("fake_datasets")
def test_datasets_export_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "lfs.csv"
    out.write_text("precious\n", encoding="utf-8")
    result = run("datasets", "export", "lfs_employment_nuts2", "--format", "csv", "--out", str(out))
    assert result.exit_code == 1
    no_traceback(result)
    assert "already exists" in result.output
    assert "--force" in result.output
    assert out.read_text(encoding="utf-8") == "precious\n"
    forced = run("datasets", "export", "lfs_employment_nuts2", "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_text(encoding="utf-8").startswith("region,activity,period,value")


@pytest.mark.usefixtures("fake_datasets")
def test_datasets_export_bad_format(tmp_path: Path) -> None:
    out = tmp_path / "lfs.xlsx"
    result = run("datasets", "export", "lfs_employment_nuts2", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 2
    assert not out.exists()
    result = run("datasets", "export", "lfs_employment_nuts2", "-o", str(out))
    assert result.exit_code == 1  # cannot tell the format from ".xlsx"
    no_traceback(result)
    assert "--format" in result.output
    assert not out.exists()


@pytest.mark.usefixtures("fake_datasets")
def test_datasets_export_unknown_dataset(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = run("datasets", "export", "nope", "-o", str(out))
    assert result.exit_code == 1
    assert "unknown dataset 'nope'" in result.output
    assert not out.exists()


def test_export_failure_leaves_no_partial_file(tmp_path: Path) -> None:
    class Broken:
        def to_csv(self, path: Path, index: bool) -> None:
            Path(path).write_text("half a fi", encoding="utf-8")
            raise OSError("disk full")

    out = tmp_path / "out.csv"
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(OSError, match="disk full"):
        cli._write_atomic(Broken(), out, cli.ExportFormat.csv)
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_export_to_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        cli._write_atomic(object(), tmp_path / "no" / "x.csv", cli.ExportFormat.csv)


def _real_datasets() -> Any:
    import smartspec.datasets as mod

    if not hasattr(mod, "list_datasets"):  # pragma: no cover - while the module is written
        pytest.skip("smartspec.datasets is not written yet")
    return mod


def test_real_datasets_list_show_export(tmp_path: Path) -> None:
    mod = _real_datasets()
    result = run("datasets", "list", "--json")
    assert result.exit_code == 0, result.output
    names = [row["name"] for row in json.loads(result.output)]
    assert names == [info.name for info in mod.list_datasets()]
    name = names[0]
    shown = run("datasets", "show", name, "--markdown")
    assert shown.exit_code == 0, shown.output
    assert shown.output.strip() == mod.card(name).to_markdown().strip()
    out = tmp_path / "data.csv"
    exported = run("datasets", "export", name, "--out", str(out))
    assert exported.exit_code == 0, exported.output
    import pandas as pd

    assert len(pd.read_csv(out)) == len(mod.load(name).to_pandas())


def test_real_datasets_unknown_name() -> None:
    _real_datasets()
    result = run("datasets", "show", "no_such_dataset_xyz")
    assert result.exit_code == 1
    no_traceback(result)
    assert "no_such_dataset_xyz" in result.output


# ----------------------------------------------------------------------- setup, serve


def test_setup_creates_the_data_directory(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    result = run("setup", "--data-dir", str(target))
    assert result.exit_code == 0, result.output
    assert target.is_dir()
    assert str(target) in result.output.replace("\n", "")
    assert list((target / "cache").glob("vega-bundle-*.js"))


def test_setup_honours_the_environment(data_dir: Path) -> None:
    result = run("setup")
    assert result.exit_code == 0, result.output
    assert data_dir.is_dir()


def test_global_data_dir_option(tmp_path: Path) -> None:
    target = tmp_path / "global"
    result = run("--data-dir", str(target), "setup")
    assert result.exit_code == 0, result.output
    assert target.is_dir()


def test_setup_steps_can_be_extended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []

    def step(directory: Any) -> str:
        seen.append(directory.path)
        return "loaded 3 things"

    monkeypatch.setattr(cli, "SETUP_STEPS", [*cli.SETUP_STEPS, ("registry", step)])
    result = run("setup", "--data-dir", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    assert seen == [(tmp_path / "d").resolve()]
    assert "registry: loaded 3 things" in result.output


def test_setup_error_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(directory: Any) -> str:
        raise InputError("registry file is damaged", source="registry.sqlite")

    monkeypatch.setattr(cli, "SETUP_STEPS", [("registry", broken)])
    result = run("setup", "--data-dir", str(tmp_path))
    assert result.exit_code == 1
    no_traceback(result)
    assert "error: registry.sqlite: registry file is damaged" in result.output


def test_serve_runs_uvicorn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from fastapi import FastAPI

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    result = run("serve", "--port", "8123", "--data-dir", str(tmp_path / "srv"))
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1"
    assert calls[0]["port"] == 8123
    assert isinstance(calls[0]["app"], FastAPI)
    assert calls[0]["app"].state.data_dir.path == (tmp_path / "srv").resolve()
    assert "http://127.0.0.1:8123/" in result.output


def test_serve_bad_port_is_a_usage_error() -> None:
    assert run("serve", "--port", "70000").exit_code == 2

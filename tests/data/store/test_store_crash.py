"""All or nothing: an import killed midway leaves the store as it was, and usable.

A child process imports a table with ``SMARTSPEC_STORE_TEST_HOOK`` set, which stops it
while the Parquet file is half written (``parquet-write``) or after the file is in place
and before the catalogue row is committed (``before-commit``). The child either exits
on the spot (``os._exit``) or pauses and is killed with SIGKILL by the test. The parent
then checks that the catalogue lists what it listed before, that no half-imported file
becomes visible, that the leftovers are removed on the next open and that a new import
works. While the child holds the store, another process gets a clear "in use" error.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from smartspec.cli_data import data_app
from smartspec.data.store import EvidenceStore, StoreBusyError
from smartspec.errors import UnknownCodeError
from smartspec.table import ActivityTable

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL"),
    pytest.mark.slow,  # each test starts a Python process
]

Make = Callable[..., ActivityTable]

CHILD = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from smartspec.data.store import EvidenceStore
    from smartspec.table import ActivityTable

    root, name, scale = sys.argv[1], sys.argv[2], float(sys.argv[3])
    df = pd.DataFrame({
        "region": ["SE11", "SE11", "SE12", "SE12", "SE21", "SE21"],
        "activity": ["C", "J", "C", "J", "C", "J"],
        "period": [2015, 2015, 2015, 2015, 2016, 2016],
        "value": [10.0 * scale, 5.0, 4.0, float("nan"), 7.5, 1.0],
        "flag": ["b", None, None, ":", "e", None],
    })
    table = ActivityTable.from_frame(
        df, measure="employment", unit="persons", additive=True, flag="flag",
        nuts_version=2016, classification="NACE", classification_version="Rev. 2",
        provenance={"source": "employment.csv", "publisher": "test", "notes": ["a", "b"]},
    )
    print(EvidenceStore(root).put(table, name), flush=True)
    """
)


class Child:
    """A child process importing a table, stopped by the test hook."""

    def __init__(self, root: Path, name: str, scale: float, hook: str | None) -> None:
        env = dict(os.environ)
        env.pop("SMARTSPEC_STORE_TEST_HOOK", None)
        if hook:
            env["SMARTSPEC_STORE_TEST_HOOK"] = hook
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(root), name, str(scale)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_for_hook(self) -> str:
        """The hook's announcement (the child has stopped there)."""
        assert self.proc.stderr is not None
        lines = []
        for line in self.proc.stderr:
            lines.append(line)
            if line.startswith("smartspec-store-hook:"):
                return line
        raise AssertionError("the child never reached the hook:\n" + "".join(lines))

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        assert self.proc.returncode == -signal.SIGKILL

    def finish(self) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=120)
        return self.proc.returncode, out, err

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def children() -> Iterator[list[Child]]:
    made: list[Child] = []
    yield made
    for child in made:
        child.close()


def snapshot(root: Path) -> tuple[list[dict[str, object]], list[str]]:
    """What the catalogue lists and which files exist (opening the store cleans up)."""
    store = EvidenceStore(root)
    listed = [e.to_dict() for e in store.list()]
    for name in store.names():
        for entry in store.history(name):
            store.load(name, entry.version)  # every listed version is complete
    return listed, all_files(root)


def all_files(root: Path) -> list[str]:
    base = root / "evidence"
    return sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())


@pytest.fixture
def filled(data_dir: Path, make_emp: Make) -> Path:
    store = EvidenceStore(data_dir)
    store.put(make_emp(), "emp")
    store.put(make_emp(), "base")
    return data_dir


@pytest.mark.parametrize("stage", ["parquet-write", "before-commit"])
@pytest.mark.parametrize("name", ["emp", "fresh"])  # a new version, a new name
def test_an_import_killed_midway_changes_nothing(
    filled: Path, make_emp: Make, children: list[Child], stage: str, name: str
) -> None:
    before = snapshot(filled)
    child = Child(filled, name, 2.0, f"{stage}:pause")
    children.append(child)
    announced = child.wait_for_hook()
    assert f"at {stage} (pid {child.proc.pid})" in announced
    leftovers = sorted(set(all_files(filled)) - set(before[1]))
    if stage == "parquet-write":
        assert len(leftovers) == 1
        assert leftovers[0].endswith(".tmp")  # a half-written temporary file
    else:
        version = 2 if name == "emp" else 1
        assert leftovers == [f"{name}/v{version}.parquet"]  # in place, not in the catalogue
    child.kill()
    assert all_files(filled) != before[1]  # the crash left something behind …
    assert snapshot(filled) == before  # … which the next open removes; nothing is visible
    store = EvidenceStore(filled)
    if name == "fresh":
        with pytest.raises(UnknownCodeError):
            store.load("fresh")
        assert not (filled / "evidence" / "fresh").exists()
    # a new import works, and gets the number the killed one would have had
    result = store.put(make_emp(2.0), name)
    assert result.changed
    assert result.entry.version == (2 if name == "emp" else 1)
    pd.testing.assert_frame_equal(store.load(name).frame, make_emp(2.0).frame)


@pytest.mark.parametrize("stage", ["parquet-write", "before-commit"])
def test_an_import_that_dies_changes_nothing(
    filled: Path, make_emp: Make, children: list[Child], stage: str
) -> None:
    before = snapshot(filled)
    child = Child(filled, "emp", 3.0, f"{stage}:exit")
    children.append(child)
    code, _out, err = child.finish()
    assert code == 70, err
    assert snapshot(filled) == before
    assert EvidenceStore(filled).put(make_emp(3.0), "emp").entry.version == 2


def test_an_undisturbed_child_import_lands(filled: Path, children: list[Child]) -> None:
    child = Child(filled, "emp", 2.0, None)
    children.append(child)
    code, out, err = child.finish()
    assert code == 0, err
    assert out.strip() == "imported emp v2: 6 rows (a new version; v1 is kept)"
    assert EvidenceStore(filled).show("emp").version == 2


def test_a_store_in_use_by_another_process_is_a_clear_error(
    filled: Path, children: list[Child], make_emp: Make
) -> None:
    child = Child(filled, "emp", 2.0, "before-commit:pause")
    children.append(child)
    child.wait_for_hook()
    started = time.monotonic()
    with pytest.raises(StoreBusyError) as info:
        EvidenceStore(filled, wait=0.3)
    assert time.monotonic() - started >= 0.3
    assert info.value.pid == child.proc.pid
    assert str(info.value).startswith(
        f"the evidence store is in use by another process (pid {child.proc.pid}): "
    )
    assert "Could not set lock" not in str(info.value)
    # through the command line: one red line, exit status 1
    result = CliRunner().invoke(data_app, ["list", "--data-dir", str(filled)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        f"error: the evidence store is in use by another process (pid {child.proc.pid}): "
    )
    assert "Traceback" not in result.output
    child.kill()
    # once the other process is gone the store is usable again
    assert [e.version for e in EvidenceStore(filled, wait=0).history("emp")] == [1]


def test_the_store_waits_for_a_short_import(
    filled: Path, children: list[Child], make_emp: Make
) -> None:
    # the child holds the store for a moment (its import); a waiting open succeeds
    child = Child(filled, "other", 1.0, None)
    children.append(child)
    store = EvidenceStore(filled, wait=60)
    code, _out, err = child.finish()
    assert code == 0, err
    assert "other" in store.names()

"""Shared test configuration.

With ``SMARTSPEC_REQUIRE_ALL=1`` (set by ``.ci/run``) a test that is skipped because a
browser, a server or Spark's Java runtime is missing *fails* instead, so CI cannot
pass while hiding them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("SMARTSPEC_REQUIRE_ALL") == "1"
ROOT = Path(__file__).resolve().parent.parent


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped:
        for name in ("browser", "postgres", "spark"):
            if item.get_closest_marker(name) is not None:
                report.outcome = "failed"
                report.longrepr = (
                    f"{item.nodeid} needs {name} and was skipped, but SMARTSPEC_REQUIRE_ALL=1 "
                    f"requires it to run: {report.longrepr}"
                )
                break


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty smartspec data directory, also set as SMARTSPEC_DATA_DIR."""
    path = tmp_path / "smartspec-data"
    monkeypatch.setenv("SMARTSPEC_DATA_DIR", str(path))
    return path

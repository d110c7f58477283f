"""The README's Python tour runs as written (on a data directory set up like `make run`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_a_python_tour() -> None:
    assert _python_blocks()


@pytest.mark.slow
def test_readme_python_tour_runs(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from smartspec.registry import load_bundled, open_registry

    data_dir.mkdir(parents=True)
    load_bundled(open_registry(data_dir / "registry.sqlite"))
    for block in _python_blocks():
        exec(compile(block, str(README), "exec"), {"__name__": "readme"})
    assert "relatedness" in capsys.readouterr().out

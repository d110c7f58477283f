"""Rebuild every bundled data file from the project's shared data folder.

Developers only: the package and its tests never read the shared folder. Run as
``make data`` or ``python scripts/build_data/build_all.py [--shared PATH]``; the default
``--shared`` is ``../shared/data`` relative to the repository root.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Order matters: the SBS build resolves region names with the bundled geo data.
STEPS = ("build_geo.py", "build_nuts_conversion.py", "build_datasets.py", "build_sbs.py")


def main(argv: list[str]) -> int:
    for step in STEPS:
        script = HERE / step
        if not script.exists():
            print(f"skip {step} (not present)")
            continue
        print(f"== {step} {' '.join(argv)}")
        saved = sys.argv
        sys.argv = [str(script), *argv]
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as stop:
            if stop.code not in (0, None):
                return int(stop.code) if isinstance(stop.code, int) else 1
        finally:
            sys.argv = saved
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

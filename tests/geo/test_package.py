"""Package properties: lazy loading, speed, bundled data and its card."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import smartspec.geo
from smartspec import geo
from smartspec.geo import _countries, _search, _store, _sweden

DATA = Path(smartspec.geo.__file__).parent / "_data"
ROOT = Path(__file__).resolve().parents[2]
FILES = [
    "regions.json.gz",
    "lan.json",
    "boundaries_0.geojson.gz",
    "boundaries_1.geojson.gz",
    "boundaries_2.geojson.gz",
    "boundaries_3.geojson.gz",
]


def _run(code: str) -> str:
    src = str(Path(smartspec.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_import_reads_nothing_and_pulls_in_no_heavy_library() -> None:
    out = _run(
        "import sys, smartspec.geo as g\n"
        "from smartspec.geo import _store, _search\n"
        "print(_store._raw.cache_info().currsize, _search._rows.cache_info().currsize)\n"
        "bad = {'fastapi', 'altair', 'matplotlib', 'sqlalchemy', 'psycopg', 'httpx',\n"
        "       'pycountry', 'shapely', 'pandas'}\n"
        "print(sorted(bad & set(sys.modules)))"
    )
    assert out.splitlines() == ["0 0", "[]"]


def _clear_caches() -> None:
    for fn in (
        _store._raw,
        _store._table,
        _store.all_codes,
        _store.codes,
        _search._rows,
        _search._view,
        _sweden._lan,
        _sweden._by_scb,
        _countries.english_name,
        _countries.english_aliases,
    ):
        fn.cache_clear()


def test_index_builds_in_under_a_second() -> None:
    _clear_caches()
    start = time.perf_counter()
    assert geo.lookup("Jönköping").code == "SE211"
    assert time.perf_counter() - start < 1.0


def test_lookup_takes_under_5_ms() -> None:
    queries = [
        "Jönköping",
        "Region Skåne",
        "Västsverige",
        "se211",
        "Anatoliki Makedonia, Thraki",
        "Jonkopng",  # fuzzy
        "Castilla-la Mancha",
        "Lisboa (NUTS 2010)",
    ]
    for q in queries:  # warm the index and the per-filter views
        geo.lookup(q)
        geo.lookup(q, version=2013)
    timings = []
    for q in queries * 5:
        start = time.perf_counter()
        geo.lookup(q)
        geo.lookup(q, version=2013)
        timings.append((time.perf_counter() - start) / 2)
    assert statistics.median(timings) < 0.005
    start = time.perf_counter()
    geo.search("Vestsverige", limit=10)
    assert time.perf_counter() - start < 0.05


def test_bundled_data_is_small() -> None:
    sizes = {name: (DATA / name).stat().st_size for name in FILES}
    assert sum(sizes.values()) < 4_000_000
    present = {p.name for p in DATA.iterdir() if p.is_file()}
    assert present == {*FILES, "CARD.md", "conversion_pairs.csv.gz", "CONVERSION_CARD.md"}


def test_card_describes_every_file() -> None:
    card = (DATA / "CARD.md").read_text(encoding="utf-8")
    for name in FILES:
        assert name in card
    for word in ("Publisher", "Source", "Licence", "Retrieved", "Changes"):
        assert word in card
    assert geo.ATTRIBUTION in card


def test_build_script_has_no_machine_paths() -> None:
    script = (ROOT / "scripts" / "build_data" / "build_geo.py").read_text(encoding="utf-8")
    assert "../shared/data" in script  # relative default; machine paths: tests/test_package.py
    assert re.search(r"\.\./shared/data", script)

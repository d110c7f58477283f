"""Package properties: lazy loading, the name index, bundled data and its card.

Speed is measured in ``benchmarks/bench_geo.py``, not here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
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


def test_index_is_rebuilt_after_the_caches_are_cleared() -> None:
    _clear_caches()
    assert _search._rows.cache_info().currsize == 0
    assert geo.lookup("Jönköping").code == "SE211"
    assert _search._rows.cache_info().currsize == 1
    assert _store._raw.cache_info().currsize == 1


LOOKUPS = {
    "Jönköping": "SE211",  # exact name (alias of "Jönköpings län")
    "Region Skåne": "SE224",  # Swedish län form
    "Västsverige": "SE23",  # exact official name
    "se211": "SE211",  # exact code, any case
    "Anatoliki Makedonia, Thraki": "EL51",
    "Jonkopng": "SE211",  # fuzzy: diacritics and a letter missing
    "Castilla-la Mancha": "ES42",
    "Lisboa (NUTS 2010)": "PT17",  # the NUTS suffix is ignored
}


def test_lookup_finds_codes_by_code_name_and_misspelling() -> None:
    for query, code in LOOKUPS.items():
        assert geo.lookup(query).code == code, query
        assert geo.lookup(query, version=2013).code == code, (query, 2013)
    assert geo.search("Vestsverige", limit=10)[0].region.code == "SE23"


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

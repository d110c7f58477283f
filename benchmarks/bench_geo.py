"""Benchmark: smartspec.geo lookup/search against difflib over the same NUTS names.

A script, not a unit test. A fixed list of real queries — the queries of
``tests/geo/test_package.py``, and for every Swedish län and a seeded sample of EU
NUTS 2024 level-2 regions (names unique over all NUTS versions) the code, the name,
the name with its diacritics removed and the name with one deterministic typo
(letter dropped, doubled, swapped or replaced, seeded by the region code) — is
answered by

* smartspec: ``geo.lookup(q)`` (one region; an UnknownCodeError or AmbiguousError
  counts as a miss) and ``geo.search(q, limit=10)``;
* the baseline a user would write without smartspec: a dict of the NUTS codes, a
  dict of the case-folded official names (``Region.name`` and ``name_latn``, all NUTS
  versions, from ``smartspec.geo``'s own data, so both search the same names; newer
  versions and larger regions win a shared name, as in smartspec) and Python's
  ``difflib.get_close_matches`` over those names (n=1 for a lookup, n=10 for a
  search, default cutoff 0.6).

It prints the load average; the index build of each (caches cleared before every
build, as ``tests/geo/test_package.py`` does, so both read the bundled data; best of
``--repeat`` alternating builds); the median per-query time of each (every query
timed alone; best of ``--repeat`` alternating passes over all queries, after a
warm-up pass of each), the total, and how often each finds the right code, per kind of
query; and last the speed-up (median lookup time of difflib / smartspec; if difflib
is faster the line says so). smartspec's answers must be the same in every pass, and
on exact codes and exact official names both must be right (asserted).

Usage::

    python benchmarks/bench_geo.py              # 21 län + 40 NUTS2 regions, best of 5
    python benchmarks/bench_geo.py --quick      # 21 län + 10 NUTS2 regions, best of 2
    python benchmarks/bench_geo.py --regions 80 --repeat 7
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import random
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

try:
    import smartspec  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from smartspec import geo
from smartspec.errors import AmbiguousError, UnknownCodeError
from smartspec.geo import _countries, _search, _store, _sweden

# the queries of tests/geo/test_package.py
TEST_QUERIES = {
    "Jönköping": "SE211",
    "Region Skåne": "SE224",
    "Västsverige": "SE23",
    "se211": "SE211",
    "Anatoliki Makedonia, Thraki": "EL51",
    "Jonkopng": "SE211",
    "Castilla-la Mancha": "ES42",
    "Lisboa (NUTS 2010)": "PT17",
}
KINDS = ("test", "code", "name", "no diacritics", "typo")

Query = tuple[str, str, str]  # kind, query, expected code


def clear_caches() -> None:
    """Empty every cache of the name index and the data (as the package test does)."""
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


def strip_diacritics(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(text: str, seed: str) -> str:
    """One deterministic typo in a letter after the first (seeded by the region code)."""
    rng = random.Random(seed)
    spots = [i for i in range(1, len(text) - 1) if text[i].isalpha() and text[i + 1].isalpha()]
    i = rng.choice(spots)
    op = rng.choice(("drop", "double", "swap", "replace"))
    if op == "drop":
        return text[:i] + text[i + 1 :]
    if op == "double":
        return text[: i + 1] + text[i:]
    if op == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    letter = rng.choice([c for c in "aeiounrstl" if c != text[i].lower()])
    return text[:i] + letter + text[i + 1 :]


def make_queries(n_regions: int) -> list[Query]:
    """The fixed query list: test queries, every län, a seeded sample of NUTS2 regions."""
    owners: dict[str, set[str]] = {}
    for version in geo.NUTS_VERSIONS:
        for r in geo.regions(version):
            for name in (r.name, r.name_latn):
                if name:
                    owners.setdefault(name.casefold(), set()).add(r.code)

    def unique(name: str) -> bool:
        return len(owners.get(name.casefold(), ())) == 1

    picked: list[tuple[str, str]] = [(lan.code, lan.name) for lan in geo.lan()]
    nuts2 = [
        (r.code, r.name_latn or r.name)
        for r in geo.regions(2024, level=2)
        if not r.extra_regio and r.country != "SE" and unique(r.name_latn or r.name)
    ]
    picked += sorted(random.Random(2024).sample(nuts2, min(n_regions, len(nuts2))))

    queries: list[Query] = [("test", q, code) for q, code in TEST_QUERIES.items()]
    for i, (code, name) in enumerate(picked):
        queries.append(("code", code.lower() if i % 2 else code, code))
        queries.append(("name", name, code))
        plain = strip_diacritics(name)
        if plain != name:
            queries.append(("no diacritics", plain, code))
        queries.append(("typo", typo(name, code), code))
    return queries


class Baseline:
    """What one would write without smartspec: two dicts and difflib."""

    def __init__(self) -> None:
        self.by_code: set[str] = set()
        self.by_name: dict[str, str] = {}
        for version in geo.NUTS_VERSIONS:  # newer versions, then larger regions win
            for r in sorted(geo.regions(version), key=lambda r: -r.level):
                self.by_code.add(r.code)
                for name in (r.name, r.name_latn):
                    if name:
                        self.by_name[name.casefold()] = r.code
        self.names = list(self.by_name)

    def lookup(self, query: str) -> str | None:
        key = query.strip().upper()
        if key in self.by_code:
            return key
        folded = query.strip().casefold()
        code = self.by_name.get(folded)
        if code is not None:
            return code
        found = difflib.get_close_matches(folded, self.names, n=1)
        return self.by_name[found[0]] if found else None

    def search(self, query: str, limit: int = 10) -> list[str]:
        key = query.strip().upper()
        out = [key] if key in self.by_code else []
        for name in difflib.get_close_matches(query.strip().casefold(), self.names, n=limit):
            if self.by_name[name] not in out:
                out.append(self.by_name[name])
        return out[:limit]


def ours_lookup(query: str) -> str | None:
    try:
        return geo.lookup(query).code
    except (UnknownCodeError, AmbiguousError):
        return None


def ours_search(query: str) -> list[str]:
    return [m.region.code for m in geo.search(query, limit=10)]


def time_pass(
    fn: Callable[[str], object], queries: list[Query]
) -> tuple[list[float], list[object]]:
    """Every query timed alone (seconds), and the answers."""
    gc.collect()
    times: list[float] = []
    answers: list[object] = []
    clock = time.perf_counter
    for _, q, _ in queries:
        t0 = clock()
        answer = fn(q)
        times.append(clock() - t0)
        answers.append(answer)
    return times, answers


def best_per_query(passes: list[list[float]]) -> list[float]:
    return [min(ts) for ts in zip(*passes, strict=True)]


def accuracy(queries: list[Query], answers: list[object], top: int | None = None) -> str:
    """Right answers per kind, e.g. ``"name 61/61"``; top=k: the code among the first k."""

    def right(expected: str, answer: object) -> bool:
        if top is None:
            return answer == expected
        return expected in list(answer)[:top]  # type: ignore[call-overload]

    parts = []
    total = 0
    for kind in KINDS:
        rows = [(e, a) for (k, _, e), a in zip(queries, answers, strict=True) if k == kind]
        ok = sum(right(e, a) for e, a in rows)
        total += ok
        parts.append(f"{kind} {ok}/{len(rows)}")
    return f"{total}/{len(queries)} ({total / len(queries):.0%}): " + ", ".join(parts)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--regions", type=int, default=40, help="NUTS2 regions sampled (40)")
    ap.add_argument("--repeat", type=int, default=5, help="alternating passes of each (5)")
    ap.add_argument("--quick", action="store_true", help="10 NUTS2 regions, best of 2")
    args = ap.parse_args(argv)
    if args.quick:
        args.regions, args.repeat = 10, 2
    repeat = max(1, args.repeat)

    queries = make_queries(args.regions)
    counts = {k: sum(q[0] == k for q in queries) for k in KINDS}
    print(f"{len(queries)} queries: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    # 1. index build from cleared caches (both read the bundled data), alternating
    build_ours: list[float] = []
    build_base: list[float] = []
    base = None
    for _ in range(repeat):
        clear_caches()
        gc.collect()
        t0 = time.perf_counter()
        base = Baseline()
        build_base.append(time.perf_counter() - t0)
        clear_caches()
        gc.collect()
        t0 = time.perf_counter()
        assert geo.lookup("Jönköping").code == "SE211"
        build_ours.append(time.perf_counter() - t0)
    assert base is not None
    print(
        f"index build, caches cleared (best of {repeat}): smartspec {min(build_ours):.3f} s "
        f"(first lookup); baseline {min(build_base):.3f} s ({len(base.names):,} names, "
        f"{len(base.by_code):,} codes)"
    )

    # 2. per query, after a warm-up pass of each (per-filter views, difflib caches)
    impls: dict[str, Callable[[str], object]] = {
        "smartspec lookup": ours_lookup,
        "difflib lookup": base.lookup,
        "smartspec search": ours_search,
        "difflib search": base.search,
    }
    answers: dict[str, list[object]] = {}
    for name, fn in impls.items():
        answers[name] = time_pass(fn, queries)[1]
    passes: dict[str, list[list[float]]] = {name: [] for name in impls}
    for _ in range(repeat):
        for name, fn in impls.items():
            times, got = time_pass(fn, queries)
            assert got == answers[name], f"{name}: answers differ between passes"
            passes[name].append(times)
    best = {name: best_per_query(p) for name, p in passes.items()}
    print(f"per query (each timed alone; best of {repeat} alternating passes), median by kind:")
    print(f"  {'':17s} " + " ".join(f"{k:>13s}" for k in KINDS) + "           all  total")
    for name in impls:
        cells = []
        for kind in KINDS:
            times = [t for (k, _, _), t in zip(queries, best[name], strict=True) if k == kind]
            cells.append(f"{ms(statistics.median(times)):>13s}")
        print(
            f"  {name:17s} " + " ".join(cells) + f" {ms(statistics.median(best[name])):>13s}"
            f" {sum(best[name]):.3f} s"
        )
    print("right code:")
    for name in ("smartspec lookup", "difflib lookup"):
        print(f"  {name:17s} {accuracy(queries, answers[name])}")
    for name in ("smartspec search", "difflib search"):
        print(f"  {name:17s} top 1:  {accuracy(queries, answers[name], top=1)}")
        print(f"  {name:17s} top 10: {accuracy(queries, answers[name], top=10)}")
    for name in ("smartspec lookup", "difflib lookup"):
        wrong = [
            (q, e, a)
            for (k, q, e), a in zip(queries, answers[name], strict=True)
            if a != e and k in ("code", "name")
        ]
        assert not wrong, f"{name} misses exact codes or names: {wrong}"
    for name in ("smartspec lookup", "difflib lookup"):
        misses = [
            f"{q!r} -> {a or '-'} (not {e})"
            for (_, q, e), a in zip(queries, answers[name], strict=True)
            if a != e
        ]
        print(f"  {name} misses: {'; '.join(misses) or 'none'}")

    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def ratio_line(what: str, peer: float, ours: float, digits: int = 1) -> str:
        r = peer / ours
        digits = max(digits, 2) if r < 1 else digits
        verdict = "" if r >= 1 else f" — {what} is faster ({1 / r:.{digits}f}×)"
        return f"{r:.{digits}f}×{verdict}"

    print(
        "index build (baseline / smartspec): "
        + ratio_line("baseline", min(build_base), min(build_ours), 2)
    )
    print(
        "median search (difflib / smartspec): "
        + ratio_line(
            "difflib",
            statistics.median(best["difflib search"]),
            statistics.median(best["smartspec search"]),
        )
    )
    print(
        f"lookup, all {len(queries)} queries (difflib / smartspec): "
        + ratio_line("difflib", sum(best["difflib lookup"]), sum(best["smartspec lookup"]))
    )
    print(
        "speed-up, median lookup (difflib / smartspec): "
        + ratio_line(
            "difflib",
            statistics.median(best["difflib lookup"]),
            statistics.median(best["smartspec lookup"]),
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

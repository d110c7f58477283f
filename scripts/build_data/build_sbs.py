"""Build the dataset ``sbs_employment_nuts2_2014`` from Eurostat's SBS workbook.

Source: ``eurostat/sbs_r_nuts06_r2_2014_persons_employed.xls`` in the shared data
collection (``--shared``, default ``../shared/data`` next to the repository), sheet
``Data`` (Eurostat's raw export: ``:`` = not available). Sheet ``final`` is not used: it
replaced ``:`` by 0.

The workbook names regions, it has no codes. Each name is resolved to a NUTS 2013 code
with :func:`smartspec.geo.search`, within the country block the row sits in (every match
is checked against that country), and in the order of the rows: Eurostat lists a
country, then each NUTS 1 region followed by its NUTS 2 regions, so a name that is both
a NUTS 1 and a NUTS 2 region (``Berlin``, ``Eesti``) is NUTS 1 the first time and NUTS 2
the second, and a NUTS 2 region must lie in the NUTS 1 region above it.

Writes ``src/smartspec/datasets/_data/sbs_employment_nuts2_2014.csv`` (region, activity,
period, value, flag: the NUTS 2 rows, one row per division) and its card with the resolution
rate and every row that did not become a NUTS 2013 region.

Usage::

    python scripts/build_data/build_sbs.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import math
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pandas as pd  # noqa: E402
from build_datasets import DATASETS_DATA, EUROSTAT_LICENCE, write_card  # noqa: E402

from smartspec import geo  # noqa: E402
from smartspec.taxonomy import nace_level, nace_name  # noqa: E402

REL = "eurostat/sbs_r_nuts06_r2_2014_persons_employed.xls"
OUT = "sbs_employment_nuts2_2014.csv"
VERSION = 2013
MIN_SCORE = 85.0

# The country rows of the sheet (Eurostat's English labels) -> NUTS country codes.
COUNTRIES = {
    "Belgium": "BE",
    "Bulgaria": "BG",
    "Czech Republic": "CZ",
    "Denmark": "DK",
    "Germany (until 1990 former territory of the FRG)": "DE",
    "Estonia": "EE",
    "Ireland": "IE",
    "Greece": "EL",
    "Spain": "ES",
    "France": "FR",
    "Croatia": "HR",
    "Italy": "IT",
    "Cyprus": "CY",
    "Latvia": "LV",
    "Lithuania": "LT",
    "Luxembourg": "LU",
    "Hungary": "HU",
    "Malta": "MT",
    "Netherlands": "NL",
    "Austria": "AT",
    "Poland": "PL",
    "Portugal": "PT",
    "Romania": "RO",
    "Slovenia": "SI",
    "Slovakia": "SK",
    "Finland": "FI",
    "Sweden": "SE",
    "United Kingdom": "UK",
    "Norway": "NO",
}
_OLD_VERSION = re.compile(r"\(NUTS (\d{4})\)\s*$")


@dataclass
class Row:
    """One region row of sheet Data."""

    excel_row: int  # 1-based row number in the sheet
    name: str
    country: str
    values: list[str]
    code: str | None = None
    level: int | None = None
    status: str = ""  # resolved / country / extra-regio / other version / unresolved
    detail: str = ""


def read_sheet(path: Path) -> tuple[list[str], list[Row]]:
    """The division codes of the value columns and the region rows, in sheet order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheet = pd.read_excel(path, sheet_name="Data", header=None, dtype=str, engine="xlrd")
    header_row = next(i for i in range(len(sheet)) if str(sheet.iloc[i, 0]).strip() == "GEO/TIME")
    labels = sheet.iloc[4, 1:].tolist()
    codes = sheet.iloc[5, 1:].tolist()
    columns: list[tuple[int, str]] = []
    for j, (code, label) in enumerate(zip(codes, labels, strict=True), start=1):
        text = "" if not isinstance(code, str) else code.strip()
        if not text:
            continue  # a section or group column: only divisions are kept
        division = f"{int(text):02d}"
        if nace_level(division) != 2:
            raise SystemExit(f"column {j}: {text!r} is not a NACE division")
        expected = nace_name(division).casefold()
        similarity = difflib.SequenceMatcher(None, str(label).strip().casefold(), expected).ratio()
        if similarity < 0.8:
            raise SystemExit(f"column {j}: label {label!r} is not division {division} ({expected})")
        columns.append((j, division))
    rows: list[Row] = []
    country = ""
    for i in range(header_row + 1, len(sheet)):
        name = sheet.iloc[i, 0]
        if not isinstance(name, str) or not name.strip():
            break  # the footnotes follow a blank row
        name = name.strip()
        cc = COUNTRIES.get(name)
        values = [str(sheet.iloc[i, j]).strip() for j, _ in columns]
        if cc is not None and cc != country:
            country = cc
            rows.append(Row(i + 1, name, cc, values, status="country", detail=f"country {cc}"))
            continue
        if not country:
            raise SystemExit(f"row {i + 1}: {name!r} comes before any country row")
        rows.append(Row(i + 1, name, country, values))
    return [d for _, d in columns], rows


def resolve(rows: list[Row]) -> None:
    """Give each region row its NUTS 2013 code (or a status saying why not)."""
    used: set[str] = set()
    level1: str | None = None
    for row in rows:
        if row.status == "country":
            level1 = None
            continue
        if row.name.startswith("Extra-Regio NUTS"):
            row.status = "extra-regio"
            row.detail = "Extra-Regio (values not assigned to a region)"
            continue
        old = _OLD_VERSION.search(row.name)
        if old:
            row.status = "other version"
            row.detail = f"a NUTS {old.group(1)} region" + (
                _old_code(row) if old.group(1) == "2010" else ""
            )
            continue
        if row.country not in {c[:2] for c in geo.codes(VERSION, 0)}:
            row.status = "unresolved"
            row.detail = f"country {row.country} is not in smartspec's NUTS {VERSION} list"
            continue
        matches = [
            m
            for m in geo.search(row.name, country=row.country, version=VERSION, limit=10)
            if m.region.level in (1, 2) and m.score >= MIN_SCORE
        ]
        matches.sort(key=lambda m: (-m.score, m.region.level, m.region.code))
        chosen = None
        for m in matches:
            region = m.region
            if region.code in used or region.country != row.country:
                continue
            if region.level == 1 or (region.level == 2 and region.parent == level1):
                chosen = m
                break
        if chosen is None:
            row.status = "unresolved"
            near = ", ".join(f"{m.region.code} ({m.score:.0f})" for m in matches[:3])
            row.detail = "no NUTS 2013 region of the country matches in sequence" + (
                f"; candidates: {near}" if near else ""
            )
            continue
        region = chosen.region
        used.add(region.code)
        row.code, row.level, row.status = region.code, region.level, "resolved"
        row.detail = f"{region.code} ({region.name}), score {chosen.score:.0f}"
        if region.level == 1:
            level1 = region.code


def _old_code(row: Row) -> str:
    found = geo.search(row.name, country=row.country, version=2010, limit=1)
    return f" ({found[0].region.code} in NUTS 2010)" if found and found[0].score >= 98 else ""


def parse_value(text: str, row: Row, division: str) -> tuple[float, str]:
    if text == ":":
        return math.nan, ":"
    try:
        value = float(text)
    except ValueError:
        raise SystemExit(
            f"row {row.excel_row} ({row.name}), division {division}: {text!r}"
        ) from None
    if value < 0 or not math.isfinite(value) or value != round(value):
        raise SystemExit(f"row {row.excel_row} ({row.name}), division {division}: {text!r}")
    return value, ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--retrieved", default=dt.date.today().isoformat())
    args = parser.parse_args(argv)
    path = Path(args.shared) / REL
    if not path.is_file():
        parser.error(f"not found: {path}")
    divisions, rows = read_sheet(path)
    resolve(rows)

    level2 = [r for r in rows if r.status == "resolved" and r.level == 2]
    records: list[dict[str, Any]] = []
    for row in level2:
        for division, text in zip(divisions, row.values, strict=True):
            value, flag = parse_value(text, row, division)
            records.append(
                {
                    "region": row.code,
                    "activity": division,
                    "period": 2014,
                    "value": value,
                    "flag": flag,
                }
            )
    out = pd.DataFrame(records).sort_values(["region", "activity"], kind="stable")
    DATASETS_DATA.mkdir(parents=True, exist_ok=True)
    dest = DATASETS_DATA / OUT
    out.to_csv(dest, index=False, lineterminator="\n", float_format="%.0f")

    eu28 = {
        c
        for c in geo.codes(VERSION, 2)
        if not geo.is_extra_regio(c) and c[:2] in set(COUNTRIES.values()) - {"NO"}
    }
    found = {r.code for r in level2 if r.code in eu28}
    rate = len(found) / len(eu28)
    missing_regions = sorted(eu28 - found)
    left_out = [r for r in rows if r.status in ("unresolved", "other version")]
    unresolved = [r for r in rows if r.status == "unresolved"]
    eu_unresolved = [r for r in unresolved if r.country != "NO"]
    card = {
        "title": "Persons employed by NUTS 2 region and NACE Rev. 2 division, 2014 "
        "(structural business statistics)",
        "publisher": "Eurostat",
        "url": "https://ec.europa.eu/eurostat/databrowser/view/sbs_r_nuts06_r2/default/table",
        "licence": EUROSTAT_LICENCE,
        "retrieved": f"{args.retrieved}, from the project's shared data collection ({REL}); "
        "upstream copy: the H2020 Online S3 project's related-variety app (MIT), an export "
        "of sbs_r_nuts06_r2 (indicator 'Number of persons employed', reference year 2014)",
        "source_files": [REL],
        "changes": [
            "read sheet 'Data' (Eurostat's export; ':' = not available), not sheet 'final', "
            "which replaced ':' by 0",
            f"kept the {len(divisions)} columns of NACE divisions (the 2-digit codes in row 6 "
            "were checked against the division names of NACE Rev. 2); section and group "
            "columns left out so that no activity nests in another",
            "region names resolved to NUTS 2013 codes with smartspec.geo.search, within the "
            "country block of each row, in sheet order (a NUTS 2 region must lie in the NUTS "
            "1 region above it; a name that is NUTS 1 and NUTS 2 is NUTS 1 the first time)",
            f"kept the {len(level2)} rows resolved to NUTS 2 regions; country, NUTS 1, "
            "Extra-Regio rows and regions of earlier NUTS versions left out",
            "':' -> empty value with flag ':'; numbers unchanged; period 2014 (the reference "
            "year stated in the header of sheet 'final') added as a column",
        ],
        "notes": [
            f"resolution rate: {len(found)} of the {len(eu28)} EU28 NUTS 2 regions of NUTS "
            f"2013 ({rate:.1%}) were found by name",
            f"{len(unresolved)} rows could not be resolved ({len(eu_unresolved)} in EU28 "
            "countries; Norway is not in smartspec's NUTS 2013 list); "
            f"{len(left_out) - len(unresolved)} rows are regions of earlier NUTS versions "
            "(marked '(NUTS 2006)' or '(NUTS 2010)', all values ':')",
            "values are persons employed in the business economy covered by SBS (NACE "
            "sections B-N excluding K, and division 95); ':' is 'not available' (often "
            "confidential), not zero",
        ],
        "extra": {
            "resolution_rate": round(rate, 4),
            "eu28_nuts2_regions": len(eu28),
            "eu28_nuts2_resolved": len(found),
            "unresolved_rows": len(unresolved),
            "eu28_nuts2_regions_not_found": missing_regions,
            "rows_left_out": [
                {
                    "row": r.excel_row,
                    "name": r.name,
                    "country": r.country,
                    "why": r.status,
                    "detail": r.detail,
                }
                for r in left_out
            ],
        },
    }
    write_card(dest, card)
    old_with_values = [
        r.name for r in rows if r.status == "other version" and any(v != ":" for v in r.values)
    ]
    print(f"wrote {dest.relative_to(ROOT)} ({dest.stat().st_size:,} bytes, {len(out):,} rows)")
    print(f"resolution: {len(found)}/{len(eu28)} EU28 NUTS 2 regions ({rate:.1%})")
    print(f"unresolved rows: {len(unresolved)} ({len(eu_unresolved)} in EU28)")
    for r in unresolved:
        print(f"  row {r.excel_row} {r.name!r} [{r.country}]: {r.detail}")
    if missing_regions:
        print("EU28 NUTS 2 regions not found:", ", ".join(missing_regions))
    if old_with_values:
        print("WARNING: rows of earlier versions with values:", old_with_values)
    return 0


if __name__ == "__main__":
    sys.exit(main())

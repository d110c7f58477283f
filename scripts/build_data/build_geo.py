"""Build the bundled data of ``smartspec.geo`` from the project's shared data folder.

Reads (under ``--shared``, default ``../shared/data`` relative to the repository root):

- ``nuts/code_lists/nuts{2013,2016,2021,2024}_codes.csv``: NUTS code lists, levels 1-3;
- ``nuts/changes_flat/nuts_changes_2010_2013.csv``: the NUTS 2010 codes (``code_old``);
- ``nuts/eurostat_correspondence/NUTS2010-NUTS2013.xls``: NUTS 2010 labels;
- ``nuts_geo/NUTS_RG_60M_2024_4326_LEVL_{1,2,3}.geojson``: GISCO 2024 boundaries and names;
- ``sweden/se_lan_nuts_crosswalk.csv``: the 21 Swedish län.

Writes into ``src/smartspec/geo/_data/``:

- ``regions.json.gz``: every region of every version (code and name; level 0 added),
  the GISCO Latin and GISCO names of 2024 regions, and NUTS 2010 names entered by hand;
- ``lan.json``: the 21 län with their name forms;
- ``boundaries_{0,1,2,3}.geojson.gz``: 2024 boundaries, coordinates rounded to 4
  decimals, level 0 dissolved from level 1.

Run from the repository root (needs the dev extras: xlrd, shapely)::

    python scripts/build_data/build_geo.py [--shared PATH]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "smartspec" / "geo" / "_data"
VERSIONS = (2010, 2013, 2016, 2021, 2024)
DECIMALS = 4

sys.path.insert(0, str(ROOT / "src"))
from smartspec.geo._countries import LATIN_NAMES, NATIONAL_NAMES  # noqa: E402
from smartspec.geo._text import ascii_fold, clean_space  # noqa: E402

# The Eurostat workbook gives only the 2013 label of codes that were renamed between
# NUTS 2010 and NUTS 2013 ("Name change", "Code, name change"); their NUTS 2010 labels,
# entered by hand from the NUTS 2010 classification:
NUTS2010_RENAMED = {
    "CZ063": "Vysočina",
    "DE938": "Soltau-Fallingbostel",
    "EL115": "Καβάλα",
    "EL223": "Κεφαλληνία",
    "EL411": "Λέσβος",
    "EL412": "Σάμος",
    "EL421": "Δωδεκάνησος",
    "EL422": "Κυκλάδες",
    "ES211": "Álava",
    "ES212": "Guipúzcoa",
    "ES213": "Vizcaya",
    "FR94": "Réunion",
    "FR940": "Réunion",
    "PL129": "Warszawski-wschodni",
    "PL12A": "Warszawski-zachodni",
    "PT111": "Minho-Lima",
    "PT17": "Lisboa",
    "SI018": "Notranjsko-kraška",
}

# Swedish län: short names and the names of the regional authorities ("regioner").
LAN_SHORT = {
    "SE110": "Stockholm",
    "SE121": "Uppsala",
    "SE122": "Södermanland",
    "SE123": "Östergötland",
    "SE124": "Örebro",
    "SE125": "Västmanland",
    "SE211": "Jönköping",
    "SE212": "Kronoberg",
    "SE213": "Kalmar",
    "SE214": "Gotland",
    "SE221": "Blekinge",
    "SE224": "Skåne",
    "SE231": "Halland",
    "SE232": "Västra Götaland",
    "SE311": "Värmland",
    "SE312": "Dalarna",
    "SE313": "Gävleborg",
    "SE321": "Västernorrland",
    "SE322": "Jämtland",
    "SE331": "Västerbotten",
    "SE332": "Norrbotten",
}
LAN_AUTHORITY = {
    "SE110": "Region Stockholm",
    "SE121": "Region Uppsala",
    "SE122": "Region Sörmland",
    "SE123": "Region Östergötland",
    "SE124": "Region Örebro län",
    "SE125": "Region Västmanland",
    "SE211": "Region Jönköpings län",
    "SE212": "Region Kronoberg",
    "SE213": "Region Kalmar län",
    "SE214": "Region Gotland",
    "SE221": "Region Blekinge",
    "SE224": "Region Skåne",
    "SE231": "Region Halland",
    "SE232": "Västra Götalandsregionen",
    "SE311": "Region Värmland",
    "SE312": "Region Dalarna",
    "SE313": "Region Gävleborg",
    "SE321": "Region Västernorrland",
    "SE322": "Region Jämtland Härjedalen",
    "SE331": "Region Västerbotten",
    "SE332": "Region Norrbotten",
}
LAN_EXTRA = {"SE122": ("Sörmland",), "SE322": ("Jämtland Härjedalen",)}

_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def check_code(code: str, level: int) -> None:
    if not _CODE.match(code) or len(code) - 2 != level:
        raise SystemExit(f"unexpected NUTS code {code!r} at level {level}")


def version_lists(shared: Path) -> dict[int, dict[str, str]]:
    """code -> name for every version, levels 1-3 (level 0 added later)."""
    out: dict[int, dict[str, str]] = {}
    for version in VERSIONS[1:]:
        rows = read_csv(shared / "nuts" / "code_lists" / f"nuts{version}_codes.csv")
        names: dict[str, str] = {}
        for row in rows:
            check_code(row["code"], int(row["level"]))
            names[row["code"]] = clean_space(row["name"])
        out[version] = names
    out[2010] = nuts2010(shared, out[2013])
    out[2016].update(nuts2016_non_eu(shared, {code[:2] for code in out[2016]}))
    return out


_PREVIOUSLY = re.compile(r'previously "([^"]+)"')


def nuts2016_non_eu(shared: Path, eu_countries: set[str]) -> dict[str, str]:
    """NUTS 2016 regions of the non-EU countries (NO, CH, IS, LI, ME, MK, AL, RS, TR).

    The flat 2016 code list holds only the EU28; the 2016-2021 workbook's sheet
    "Changes detailed NUTS 2016-2021" lists every 2016 code of all countries, with its
    2016 label (or, for renamed regions, the 2016 name in the comment).
    """
    import openpyxl

    book = openpyxl.load_workbook(
        shared / "nuts" / "eurostat_correspondence" / "NUTS2016-NUTS2021.xlsx", read_only=True
    )
    sheet = book["Changes detailed NUTS 2016-2021"]
    names: dict[str, str] = {}
    for i, row in enumerate(sheet.iter_rows(values_only=True)):
        if i == 0:
            continue
        code = str(row[0] or "").strip()
        if not code or code[:2] in eu_countries or row[8] in (None, 0):
            continue
        level = int(row[8])
        check_code(code, level)
        label = clean_space(str(row[2 + level] or ""))
        change, comment = row[6], str(row[7] or "")
        if change in (1, 4):
            m = _PREVIOUSLY.search(comment)
            if not m:
                raise SystemExit(f"2016 name of renamed {code} not found: {comment!r}")
            label = clean_space(m.group(1))
        if not label:
            raise SystemExit(f"no NUTS 2016 name for {code}")
        names[code] = label
    return names


def nuts2010(shared: Path, names2013: dict[str, str]) -> dict[str, str]:
    import xlrd

    changes = read_csv(shared / "nuts" / "changes_flat" / "nuts_changes_2010_2013.csv")
    codes: dict[str, int] = {}
    for row in changes:
        code = row["code_old"].strip()
        if code and " " not in code:
            codes[code] = int(row["level"])
    book = xlrd.open_workbook(
        str(shared / "nuts" / "eurostat_correspondence" / "NUTS2010-NUTS2013.xls")
    )
    sheet = book.sheet_by_name("NUTS2010-NUTS2013")
    labels: dict[str, tuple[str, str]] = {}  # code 2010 -> (code 2013, label)
    for r in range(2, sheet.nrows):
        row = sheet.row_values(r)
        code10 = str(row[1]).strip()
        if code10 not in codes:
            continue
        level = codes[code10]
        labels[code10] = (str(row[2]).strip(), clean_space(str(row[3 + level])))
    names: dict[str, str] = {}
    for code, level in codes.items():
        if level == 0:
            continue
        check_code(code, level)
        code13, label = labels.get(code, ("", ""))
        if code in NUTS2010_RENAMED:
            names[code] = NUTS2010_RENAMED[code]
        elif code13 in names2013:  # unchanged or recoded: same name as in 2013
            names[code] = names2013[code13]
        elif label:
            names[code] = label
        elif code in names2013:
            names[code] = names2013[code]
        else:
            raise SystemExit(f"no NUTS 2010 name for {code}")
    return names


def irregular_parent(code: str, present: set[str], version: int) -> str:
    """Parent of a code that is not ``code[:-1]`` (UKN10-UKN16 in UKN0, NUTS 2016-2021).

    That is the only level-2 region of the code's level-1 region.
    """
    candidates = [c for c in present if len(c) == len(code) - 1 and c.startswith(code[:3])]
    if len(code) != 5 or len(candidates) != 1:
        raise SystemExit(f"NUTS {version}: cannot find the parent of {code}")
    return candidates[0]


def gisco(shared: Path) -> dict[int, list[dict[str, Any]]]:
    out = {}
    for level in (1, 2, 3):
        path = shared / "nuts_geo" / f"NUTS_RG_60M_2024_4326_LEVL_{level}.geojson"
        out[level] = json.loads(path.read_text(encoding="utf-8"))["features"]
    return out


def round_coords(value: Any) -> Any:
    if isinstance(value, float | int):
        return round(float(value), DECIMALS)
    return [round_coords(v) for v in value]


def dedupe_ring(ring: list[list[float]]) -> list[list[float]]:
    out: list[list[float]] = []
    for point in ring:
        if not out or out[-1] != point:
            out.append(point)
    return out


def clean_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    coords = round_coords(geometry["coordinates"])
    if geometry["type"] == "Polygon":
        coords = [dedupe_ring(r) for r in coords]
    elif geometry["type"] == "MultiPolygon":
        coords = [[dedupe_ring(r) for r in poly] for poly in coords]
    return {"type": geometry["type"], "coordinates": coords}


def dissolve_countries(level1: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    parts: dict[str, list[Any]] = defaultdict(list)
    for feature in level1:
        parts[feature["properties"]["CNTR_CODE"]].append(shape(feature["geometry"]))
    out = {}
    for country, shapes in parts.items():
        merged = unary_union([s.buffer(0) for s in shapes])
        out[country] = json.loads(json.dumps(mapping(merged)))
    return out


def write_gzip_json(path: Path, data: Any) -> None:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # mtime=0: the same input gives byte-identical output
    path.write_bytes(gzip.compress(raw.encode("utf-8"), compresslevel=9, mtime=0))


def build(shared: Path) -> dict[str, int]:
    lists = version_lists(shared)
    features = gisco(shared)
    latin: dict[str, str] = {}
    gisco_names: dict[str, str] = {}
    for level, feats in features.items():
        for feature in feats:
            p = feature["properties"]
            code = p["NUTS_ID"]
            check_code(code, level)
            if code not in lists[2024]:
                raise SystemExit(f"GISCO region {code} is not in the NUTS 2024 code list")
            latin[code] = clean_space(p["NAME_LATN"])
            if clean_space(p["NUTS_NAME"]) != lists[2024][code]:
                gisco_names[code] = clean_space(p["NUTS_NAME"])

    versions: dict[str, list[list[str]]] = {}
    parents: dict[str, str] = {}
    for version in VERSIONS:
        names = lists[version]
        countries = sorted({code[:2] for code in names})
        rows = [[c, NATIONAL_NAMES[c]] for c in countries]
        rows += [[code, names[code]] for code in names]
        rows.sort(key=lambda r: r[0])
        versions[str(version)] = rows
        present = {r[0] for r in rows}
        for code, _ in rows:
            if len(code) > 2 and code[:-1] not in present:
                parent = irregular_parent(code, present, version)
                if parents.setdefault(code, parent) != parent:
                    raise SystemExit(f"{code} has different parents in different versions")
    for country in {r[0] for r in versions["2024"] if len(r[0]) == 2}:
        latin[country] = LATIN_NAMES.get(country, NATIONAL_NAMES[country])

    OUT.mkdir(parents=True, exist_ok=True)
    write_gzip_json(
        OUT / "regions.json.gz",
        {
            "format": 1,
            "versions": versions,
            "name_latn_2024": dict(sorted(latin.items())),
            "gisco_name_2024": dict(sorted(gisco_names.items())),
            "irregular_parents": dict(sorted(parents.items())),
            "nuts2010_renamed": NUTS2010_RENAMED,
        },
    )

    # Swedish län
    lan_rows = read_csv(shared / "sweden" / "se_lan_nuts_crosswalk.csv")
    lan = []
    for row in sorted(lan_rows, key=lambda r: r["nuts3_2024"]):
        code = row["nuts3_2024"]
        for version in VERSIONS[1:]:
            if code not in lists[version]:
                raise SystemExit(f"län {code} missing in NUTS {version}")
        if lists[2024][code] != row["lan_name"]:
            raise SystemExit(f"län {code}: {row['lan_name']!r} != {lists[2024][code]!r}")
        name, short = row["lan_name"], LAN_SHORT[code]
        forms = [
            name,
            short,
            f"Region {short}",
            f"Region {name}",
            LAN_AUTHORITY[code],
            *LAN_EXTRA.get(code, ()),
        ]
        forms += [ascii_fold(f) for f in list(forms)]
        lan.append(
            {
                "code": code,
                "nuts2": row["nuts2_2024"],
                "name": name,
                "short_name": short,
                "scb_code": row["scb_lan_code"],
                "iso": row["iso_3166_2"],
                "forms": list(dict.fromkeys(forms)),
            }
        )
    if len(lan) != 21:
        raise SystemExit(f"expected 21 län, got {len(lan)}")
    (OUT / "lan.json").write_text(
        json.dumps(lan, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )

    # boundaries
    names2024 = lists[2024]
    country_shapes = dissolve_countries(features[1])
    by_level: dict[int, list[tuple[str, dict[str, Any]]]] = {
        0: sorted(country_shapes.items()),
        **{
            level: sorted((f["properties"]["NUTS_ID"], f["geometry"]) for f in feats)
            for level, feats in features.items()
        },
    }
    for level, items in by_level.items():
        feats_out = []
        for code, geometry in items:
            name = NATIONAL_NAMES[code] if level == 0 else names2024[code]
            feats_out.append(
                {
                    "type": "Feature",
                    "id": code,
                    "properties": {
                        "code": code,
                        "name": name,
                        "name_latn": latin.get(code),
                        "level": level,
                        "country": code[:2],
                    },
                    "geometry": clean_geometry(geometry),
                }
            )
        write_gzip_json(
            OUT / f"boundaries_{level}.geojson.gz",
            {"type": "FeatureCollection", "features": feats_out},
        )
    return {p.name: p.stat().st_size for p in sorted(OUT.iterdir()) if p.is_file()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="the shared data folder (default: ../shared/data next to the repository)",
    )
    args = parser.parse_args(argv)
    sizes = build(args.shared.resolve())
    for name, size in sizes.items():
        print(f"{name:32} {size:>9,} bytes")
    print(f"{'total':32} {sum(sizes.values()):>9,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

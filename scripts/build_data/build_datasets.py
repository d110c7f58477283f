"""Build the bundled data of ``smartspec.taxonomy`` and ``smartspec.datasets``.

Reads the project's shared data collection (``--shared``, default ``../shared/data``
relative to the repository root) and writes compact copies, each with a provenance card
(``<file>.card.json``: publisher, URL, licence, retrieved, what was changed), into
``src/smartspec/taxonomy/_data/`` and ``src/smartspec/datasets/_data/``. The package
never reads the shared collection itself; users' clones do not have it.

``sbs_employment_nuts2_2014`` is built by ``build_sbs.py`` (it needs the region-name
resolver of ``smartspec.geo``).

Usage::

    python scripts/build_data/build_datasets.py [--shared ../shared/data] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TAXONOMY_DATA = ROOT / "src" / "smartspec" / "taxonomy" / "_data"
DATASETS_DATA = ROOT / "src" / "smartspec" / "datasets" / "_data"

EUROSTAT_LICENCE = (
    "Eurostat: free re-use, commercial included, with acknowledgement of the source "
    "(https://ec.europa.eu/eurostat/about/policies/copyright)"
)


# --------------------------------------------------------------------------- helpers
def write_card(data_file: Path, card: dict[str, Any]) -> Path:
    """Write ``<data_file>.card.json`` next to *data_file* (keys in a fixed order)."""
    order = [
        "file",
        "title",
        "publisher",
        "url",
        "licence",
        "retrieved",
        "source_files",
        "changes",
        "notes",
        "extra",
    ]
    card = {"file": data_file.name, **card}
    unknown = set(card) - set(order)
    if unknown:
        raise KeyError(f"unknown card keys: {sorted(unknown)}")
    ordered = {k: card[k] for k in order if k in card}
    path = data_file.with_name(data_file.name + ".card.json")
    path.write_text(json.dumps(ordered, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def write_gzip_text(path: Path, text: str) -> None:
    """Write *text* gzip-compressed with a fixed mtime, so rebuilds are byte-identical."""
    raw = text.encode("utf-8")
    with path.open("wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as gz:
        gz.write(raw)


def read_text(path: Path) -> str:
    """Read a text file, gunzipping ``.gz`` files."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8")


def filter_eurostat_tsv(text: str, keep: Callable[[dict[str, str]], bool]) -> tuple[str, int, int]:
    """Keep the header and the rows of a Eurostat bulk TSV whose key passes *keep*.

    Returns the filtered text, the number of rows kept and the number read.
    """
    lines = text.splitlines()
    header = lines[0]
    dims = header.split("\t")[0].split("\\")[0].split(",")
    out = [header]
    total = 0
    for line in lines[1:]:
        if not line.strip():
            continue
        total += 1
        key = dict(zip(dims, line.split("\t")[0].split(","), strict=True))
        if keep(key):
            out.append(line)
    return "\n".join(out) + "\n", len(out) - 1, total


# --------------------------------------------------------------------------- taxonomy
def build_taxonomy(shared: Path, retrieved: str) -> list[Path]:
    """Compact NACE Rev. 2 / SNI 2007 hierarchy for ``smartspec.taxonomy``."""
    src = shared / "classifications" / "sni2007_nace_rev2_hierarchy.csv"
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["level", "code", "parent", "name_en", "name_sv"])
    for row in rows:
        writer.writerow(
            [row["level"], row["code"], row["parent_code"], row["name_en"], row["name_sv"]]
        )
    TAXONOMY_DATA.mkdir(parents=True, exist_ok=True)
    dest = TAXONOMY_DATA / "nace_rev2_sni2007.csv"
    dest.write_text(out.getvalue(), encoding="utf-8")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["level_name"]] = counts.get(row["level_name"], 0) + 1
    card = {
        "title": "NACE Rev. 2 hierarchy (sections to classes) with SNI 2007 detail groups",
        "publisher": "Eurostat (NACE Rev. 2, RAMON); Statistics Sweden, SCB (SNI 2007)",
        "url": "https://ec.europa.eu/eurostat/ramon/ (NACE_REV2); https://www.scb.se/sni",
        "licence": EUROSTAT_LICENCE + "; SCB: open data (CC BY 4.0)",
        "retrieved": f"{retrieved}, from the project's shared data collection "
        "(classifications/sni2007_nace_rev2_hierarchy.csv)",
        "source_files": ["classifications/sni2007_nace_rev2_hierarchy.csv"],
        "changes": [
            "kept the columns level, code, parent_code (renamed parent), name_en, name_sv",
            "dropped level_name, code_nodots, section and name_source (derivable: the "
            "section follows from the parents, names of level 5 are SCB's, levels 1-4 "
            "Eurostat's)",
            "names unchanged (section names are upper case as published by RAMON)",
        ],
        "notes": [
            "levels 1-4 are NACE Rev. 2 (= SNI 2007 levels 1-4) with Eurostat's English and "
            "Swedish names; level 5 are SCB's SNI 2007 detail groups with Swedish names only",
            "counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
        ],
    }
    return [dest, write_card(dest, card)]


# --------------------------------------------------------------------------- datasets
def _shared_note(retrieved: str, path: str, upstream: str) -> str:
    return (
        f"{retrieved}, from the project's shared data collection ({path}); "
        f"upstream copy: {upstream}"
    )


def build_lfs(shared: Path, retrieved: str) -> list[Path]:
    """lfs_employment_nuts2: the Y_GE15 rows of lfst_r_lfe2en2 (all other dimensions kept)."""
    rel = "eurostat/lfst_r_lfe2en2.tsv.gz"
    text, kept, total = filter_eurostat_tsv(
        read_text(shared / rel), lambda key: key["age"] == "Y_GE15"
    )
    DATASETS_DATA.mkdir(parents=True, exist_ok=True)
    dest = DATASETS_DATA / "lfst_r_lfe2en2_Y_GE15.tsv.gz"
    write_gzip_text(dest, text)
    card = {
        "title": "Employment by NUTS 2 region and NACE Rev. 2 A*10 group, 2008-2015 (LFS)",
        "publisher": "Eurostat",
        "url": "https://ec.europa.eu/eurostat/databrowser/view/lfst_r_lfe2en2/default/table",
        "licence": EUROSTAT_LICENCE,
        "retrieved": _shared_note(
            retrieved,
            rel,
            "github.com/jsollari/EUhackathon2017 (ESS Big Data Hackathon 2017, MIT), "
            "Eurostat bulk download of 2017",
        ),
        "source_files": [rel],
        "changes": [
            f"kept the {kept:,} of {total:,} rows with age = Y_GE15 (15 years or over, i.e. "
            "all employed persons); everything else byte for byte as in the bulk TSV "
            "(old layout unit,nace_r2,age,geo\\time, flags kept), re-compressed",
            "at load: read with smartspec.read_eurostat_tsv, keeping the ten A*10 groups "
            "A, B-E, F, G-I, J, K, L, M_N, O-Q, R-U (TOTAL and NRP 'no response' left out, "
            "so no code nests in another) and the NUTS 2 rows (EU28, NUTS 2013)",
        ],
        "notes": [
            "unit THS = thousand persons; ':' = not available (kept as NaN with flag ':'), "
            "b = break in series, u = low reliability, c = confidential",
            "region codes are NUTS 2013 from 2010 on; for 2008-2009 Eurostat filled Greek, "
            "French overseas, Slovenian and London regions under their NUTS 2010 codes "
            "(EL1, EL11-EL14, EL2, EL21-EL25, FR9, FR91-FR94, SI01, SI02, UKI1, UKI2), whose "
            "later values are all ':'. These codes are not NUTS 2013 codes: the loader drops "
            "them (listed in table.report), so those regions have no 2008-2009 values",
            "CH, IS, MK, NO and TR rows are dropped at load too: smartspec's NUTS 2013 code "
            "list covers the 28 EU member states only",
            "EU/euro-area aggregates, country totals and NUTS 1 rows are dropped at load as "
            "aggregates (listed in table.report)",
        ],
    }
    return [dest, write_card(dest, card)]


def build_gdp(shared: Path, retrieved: str) -> list[Path]:
    """gdp_nuts2: the EUR_HAB rows of nama_10r_2gdp."""
    rel = "eurostat/nama_10r_2gdp.tsv.gz"
    text, kept, total = filter_eurostat_tsv(
        read_text(shared / rel), lambda key: key["unit"] == "EUR_HAB"
    )
    dest = DATASETS_DATA / "nama_10r_2gdp_EUR_HAB.tsv.gz"
    write_gzip_text(dest, text)
    card = {
        "title": "GDP per inhabitant (EUR) by NUTS 2 region, 2000-2014",
        "publisher": "Eurostat",
        "url": "https://ec.europa.eu/eurostat/databrowser/view/nama_10r_2gdp/default/table",
        "licence": EUROSTAT_LICENCE,
        "retrieved": _shared_note(
            retrieved,
            rel,
            "github.com/jsollari/EUhackathon2017 (ESS Big Data Hackathon 2017, MIT), "
            "Eurostat bulk download of 2017",
        ),
        "source_files": [rel],
        "changes": [
            f"kept the {kept:,} of {total:,} rows with unit = EUR_HAB (euro per inhabitant); "
            "rows otherwise unchanged, re-compressed",
            "at load: read with smartspec.read_eurostat_tsv, NUTS 2 rows only",
        ],
        "notes": [
            "region codes checked: all are NUTS 2013 codes (e.g. EL51-EL54, EL61-EL65, "
            "FR10-FRA5, UKI3-UKI7, which NUTS 2010 lacks; FR21 etc., which NUTS 2016 lacks)",
            "a rate, not additive: do not sum or convert it between NUTS versions by area",
            "e = estimated; ':' = not available (NaN); Extra-Regio codes (FIZZ, HRZ…), EU28 "
            "and country/NUTS 1 rows are dropped at load (listed in table.report)",
            "MK and NO rows are dropped at load: smartspec's NUTS 2013 code list covers the "
            "28 EU member states only",
        ],
    }
    return [dest, write_card(dest, card)]


def build_se_lan(shared: Path, retrieved: str) -> list[Path]:
    """se_lan_employment: Data Commons' Swedish rows of nama_10r_3empers, copied as is."""
    rel = "eurostat/eurostat_nama_10r_3empers_SE_NUTS3_2015_2017_via_datacommons.csv"
    dest = DATASETS_DATA / "nama_10r_3empers_SE_2015_2017_datacommons.csv"
    dest.write_bytes((shared / rel).read_bytes())
    card = {
        "title": "Employment (persons) by Swedish län (NUTS 3) and NACE Rev. 2 section "
        "group, 2015-2017",
        "publisher": "Eurostat (nama_10r_3empers); cleaned copy by Data Commons",
        "url": "https://ec.europa.eu/eurostat/databrowser/view/nama_10r_3empers/default/table"
        " ; https://datacommons.org",
        "licence": EUROSTAT_LICENCE,
        "retrieved": _shared_note(retrieved, rel, "Data Commons' import of nama_10r_3empers"),
        "source_files": [rel],
        "changes": [
            "file copied unchanged (columns Date, GeoId, Count_Person_Employed_NACE/<group>, "
            "Count_Person_Employed)",
            "at load: GeoId 'dcid:nuts/SE110' -> region SE110; the columns of the ten A*10 "
            "groups A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U become activities (M-N is "
            "written M_N, Eurostat's code); C (inside B-E), G-J, K-N, O-U (which overlap "
            "the groups) and the total are left out so that no activity nests in another",
            "the row for Sweden as a whole (SE) is dropped at load as a country total",
        ],
        "notes": [
            "values are persons (Eurostat publishes thousands; Data Commons multiplied by "
            "1,000), so they are rounded to whole thousands for most län",
            "Swedish NUTS 3 codes are the same in NUTS 2013, 2016, 2021 and 2024; the table "
            "is declared NUTS 2016, the version Eurostat used for these years",
        ],
    }
    return [dest, write_card(dest, card)]


def build_world_trade(shared: Path, retrieved: str) -> list[Path]:
    """world_trade: the economiccomplexity R package's world_trade_avg_1998_to_2000, as is."""
    rel = "trade/world_trade_avg_1998_to_2000.csv.gz"
    dest = DATASETS_DATA / "world_trade_avg_1998_to_2000.csv.gz"
    dest.write_bytes((shared / rel).read_bytes())
    card = {
        "title": "World exports by country and SITC Rev. 2 4-digit product, average 1998-2000",
        "publisher": "economiccomplexity R package (Mauricio Vargas Sepúlveda)",
        "url": "https://cran.r-project.org/package=economiccomplexity "
        "(dataset world_trade_avg_1998_to_2000)",
        "licence": "Apache-2.0 (economiccomplexity package)",
        "retrieved": _shared_note(retrieved, rel, "economiccomplexity R package data"),
        "source_files": [rel],
        "changes": [
            "file copied unchanged (country, product, value; 124,336 rows)",
            "at load: country codes upper-cased (afg -> AFG); product codes kept as "
            "4-character text (leading zeros kept); no period (an average of 1998-2000)",
        ],
        "notes": [
            "per the package documentation: SITC revision 2, four-digit product codes, "
            "values in US dollars (year 2000 USD), exports to the rest of the world "
            "averaged over 1998-2000",
            "the package's build script (dev/world_trade_avg_1998_to_2000.R in "
            "github.com/pachadotdev/economiccomplexity) converts SITC 4-digit exports of "
            "1998-2000 to year-2000 USD with Open Trade Statistics' inflation factors and "
            "aggregates them by reporter and product; the version of that script we read "
            "sums the three years although the dataset is called an average",
            "countries are ISO 3166-1 alpha-3 codes of the time: ROM (Romania, today ROU), "
            "ANT (Netherlands Antilles) and SCG (Serbia and Montenegro) are kept as given",
            "region_scheme is ISO3: the codes are not checked against NUTS",
        ],
    }
    return [dest, write_card(dest, card)]


def _eurito_card(kind: str, yaml_text: str, retrieved: str, rel: str) -> dict[str, Any]:
    sector = "private" if kind == "private" else "government"
    return {
        "title": f"R&D expenditure per inhabitant, {sector} sector, by NUTS 2 region, 2014-2018",
        "publisher": "Eurostat (rd_e_gerdreg), via Nesta's EURITO indicators",
        "url": "https://github.com/nestauk/eurito_indicators ; "
        "https://ec.europa.eu/eurostat/databrowser/view/rd_e_gerdreg/default/table",
        "licence": "MIT (EURITO indicators, Nesta); underlying data: " + EUROSTAT_LICENCE,
        "retrieved": _shared_note(retrieved, rel, "EURITO indicators (data_date 2021-06-18)"),
        "source_files": [rel, rel.replace(".csv", ".yaml")],
        "changes": [
            "file copied unchanged (year, nuts_id, nuts_year_spec, value)",
            "at load: nuts_id -> region, year -> period; nuts_year_spec (2016 in every row) "
            "gives the NUTS version; EA19/EU28 aggregates dropped (listed in table.report)",
        ],
        "notes": [
            "unit: euro per inhabitant; a rate, not additive",
            "empty values in the source are kept as missing (NaN)",
            "rows of countries outside the EU (e.g. IS, ME, MK, NO, RS) are kept: they are "
            "NUTS 2016 codes",
            "EURITO calls the sectors 'private' and 'government' (R&D expenditure 'from "
            "private organisations' / 'from government organisations'); its YAML card of the "
            "government file repeats the 'private organisations' description by mistake",
            "EURITO's YAML card of this file: "
            + " | ".join(line.strip() for line in yaml_text.splitlines() if line.strip()),
        ],
    }


def _not_in_version(codes: Iterable[str], version: int) -> list[str]:
    """Codes (other than EU/euro-area aggregates) that a NUTS version lacks."""
    sys.path.insert(0, str(ROOT / "src"))
    from smartspec import geo

    known = geo.codes(version)
    return sorted({c for c in codes if c not in known and not geo.is_aggregate(c)})


def build_rd(shared: Path, retrieved: str) -> list[Path]:
    """rd_private_nuts2, rd_government_nuts2: EURITO's NUTS 2 files, copied as is."""
    out: list[Path] = []
    for kind in ("private", "government"):
        rel = f"eurito/rd_{kind}_eur_hab.nuts2.csv"
        dest = DATASETS_DATA / f"rd_{kind}_eur_hab.nuts2.csv"
        dest.write_bytes((shared / rel).read_bytes())
        yaml_text = (shared / rel.replace(".csv", ".yaml")).read_text(encoding="utf-8")
        card = _eurito_card(kind, yaml_text, retrieved, rel)
        with dest.open(encoding="utf-8", newline="") as fh:
            codes = [row["nuts_id"] for row in csv.DictReader(fh)]
        old = _not_in_version(codes, 2016)
        card["notes"].insert(
            2,
            "although nuts_year_spec is 2016 in every row, the file also has rows under "
            f"codes that NUTS 2016 lacks ({', '.join(old)}: NUTS 2013 codes, mostly for "
            "2014-2016, beside the NUTS 2016 codes of the same territory); they are dropped "
            "at load and listed in table.report",
        )
        out += [dest, write_card(dest, card)]
    return out


def build_arxiv(shared: Path, retrieved: str) -> list[Path]:
    """arxiv_nuts2: the NUTS 2 rows of EURITO's arxiv_count.csv."""
    rel = "eurito/arxiv_count.csv"
    with (shared / rel).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    kept = [r for r in rows if r["region_level"] == "2"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    dest = DATASETS_DATA / "arxiv_count.nuts2.csv"
    dest.write_text(out.getvalue(), encoding="utf-8")
    meta = json.loads((shared / "eurito/arxiv_count.json").read_text(encoding="utf-8"))
    versions: dict[str, set[str]] = {}
    for r in kept:
        versions.setdefault(r["region_year_spec"], set()).add(r["year"])
    spans = "; ".join(f"NUTS {v}: {min(ys)}-{max(ys)}" for v, ys in sorted(versions.items()))
    card = {
        "title": "Participations in arXiv preprints by NUTS 2 region, 2016-2020",
        "publisher": "Nesta (EURITO indicators), with Semantic Scholar (Allen Institute for AI)",
        "url": "https://github.com/nestauk/eurito_indicators",
        "licence": "MIT (EURITO indicators, Nesta)",
        "retrieved": _shared_note(retrieved, rel, "EURITO indicators (data_date 2021-07-01)"),
        "source_files": [rel, "eurito/arxiv_count.json"],
        "changes": [
            f"kept the {len(kept):,} of {len(rows):,} rows with region_level = 2 (all years)",
            "at load: the rows of one NUTS version are used, region_year_spec = 2016 "
            "(years 2016-2020): a table has one NUTS version",
        ],
        "notes": [
            f"the NUTS version changes with the year ({spans}); the other years are in the "
            "file but not in the table",
            "experimental indicator (is_experimental = true in EURITO's card): "
            + str(meta.get("subtitle", "")),
            "counts of participations: a preprint with authors in two regions counts in both",
        ],
    }
    return [dest, write_card(dest, card)]


# --------------------------------------------------------------------------- registry
BUILDERS: dict[str, Callable[[Path, str], list[Path]]] = {
    "taxonomy": build_taxonomy,
    "lfs": build_lfs,
    "gdp": build_gdp,
    "se_lan": build_se_lan,
    "world_trade": build_world_trade,
    "rd": build_rd,
    "arxiv": build_arxiv,
}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        default=str(ROOT.parent / "shared" / "data"),
        help="the shared data collection (default: ../shared/data next to the repository)",
    )
    parser.add_argument("--only", nargs="*", choices=sorted(BUILDERS), help="build only these")
    parser.add_argument(
        "--retrieved",
        default=dt.date.today().isoformat(),
        help="date written to the cards as the retrieval date (default: today)",
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    shared = Path(args.shared)
    if not shared.is_dir():
        parser.error(f"shared data folder not found: {shared}")
    for name in args.only or sorted(BUILDERS):
        for path in BUILDERS[name](shared, args.retrieved):
            print(f"{name}: wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

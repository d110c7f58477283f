"""The bundled datasets: what they are and how each becomes an ActivityTable."""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pandas as pd

from smartspec.table import ActivityTable
from smartspec.taxonomy import A10 as NACE_A10

__all__ = ["DATASETS", "DatasetInfo", "Spec"]

A10 = list(NACE_A10)  # A, B-E, F, G-I, J, K, L, M_N, O-Q, R-U


@dataclass(frozen=True)
class DatasetInfo:
    """A bundled dataset, described without loading it.

    Attributes
    ----------
    name, title:
        Name for :func:`~smartspec.datasets.load` and a one-line title.
    measure, unit, additive:
        What the values are (as in :class:`~smartspec.table.TableMeta`).
    nuts_version, region_level, region_scheme:
        The regions: NUTS version and level, or another scheme (``"ISO3"``).
    classification:
        The activity classification (``"NACE Rev. 2"``, ``"SITC Rev. 2"``), or ``None``
        for regional indicators without activities.
    periods:
        The years in the table (empty: no period, e.g. an average over years).
    files:
        The bundled files it is read from.
    """

    name: str
    title: str
    measure: str
    unit: str
    additive: bool
    nuts_version: int | None
    region_level: int | None
    region_scheme: str
    classification: str | None
    periods: tuple[int, ...]
    files: tuple[str, ...]


@dataclass(frozen=True)
class Spec:
    info: DatasetInfo
    build: Callable[[DatasetInfo], ActivityTable]


def _data(name: str) -> Any:
    return resources.files("smartspec.datasets").joinpath("_data", name)


def _read_csv(name: str, **kwargs: Any) -> pd.DataFrame:
    raw = _data(name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    frame = pd.read_csv(io.BytesIO(raw), **kwargs)
    assert isinstance(frame, pd.DataFrame)
    return frame


def _provenance(info: DatasetInfo, **extra: Any) -> dict[str, Any]:
    return {
        "source": ", ".join(info.files),
        "dataset": info.name,
        "card": f"smartspec.datasets.card({info.name!r})",
        **extra,
    }


# --------------------------------------------------------------------------- loaders
def _eurostat(info: DatasetInfo, **kwargs: Any) -> ActivityTable:
    from smartspec.data.readers import read_eurostat_tsv

    with resources.as_file(_data(info.files[0])) as path:
        table = read_eurostat_tsv(
            path,
            measure=info.measure,
            unit=info.unit,
            additive=info.additive,
            nuts_version=info.nuts_version,
            region_level=info.region_level,
            unknown_regions="drop",
            **kwargs,
        )
    prov = dict(table.meta.provenance)
    prov.update(_provenance(info, publisher="Eurostat"))
    return table.with_meta(provenance=prov)


def _lfs(info: DatasetInfo) -> ActivityTable:
    return _eurostat(info, select={"age": "Y_GE15", "unit": "THS", "nace_r2": A10})


def _gdp(info: DatasetInfo) -> ActivityTable:
    return _eurostat(info, select={"unit": "EUR_HAB"}, activity_dim=None)


def _sbs(info: DatasetInfo) -> ActivityTable:
    df = _read_csv(info.files[0], dtype={"region": str, "activity": str, "flag": str})
    return ActivityTable.from_frame(
        df,
        measure=info.measure,
        unit=info.unit,
        additive=info.additive,
        flag="flag",
        classification="NACE",
        classification_version="Rev. 2",
        nuts_version=info.nuts_version,
        region_level=info.region_level,
        provenance=_provenance(info, publisher="Eurostat"),
        source=info.files[0],
    )


_SE_PREFIX = "Count_Person_Employed_NACE/"
_SE_GROUPS = {"A": "A", "B-E": "B-E", "F": "F", "G-I": "G-I", "J": "J", "K": "K", "L": "L",
              "M-N": "M_N", "O-Q": "O-Q", "R-U": "R-U"}  # fmt: skip


def _se_lan(info: DatasetInfo) -> ActivityTable:
    wide = _read_csv(info.files[0], dtype={"GeoId": str})
    wide["region"] = wide["GeoId"].str.removeprefix("dcid:nuts/")
    columns = {_SE_PREFIX + src: dst for src, dst in _SE_GROUPS.items()}
    long = wide.melt(
        id_vars=["region", "Date"],
        value_vars=list(columns),
        var_name="activity",
        value_name="value",
    )
    long["activity"] = long["activity"].map(columns)
    return ActivityTable.from_frame(
        long,
        measure=info.measure,
        unit=info.unit,
        additive=info.additive,
        period="Date",
        classification="NACE",
        classification_version="Rev. 2",
        nuts_version=info.nuts_version,
        region_level=info.region_level,
        provenance=_provenance(info, publisher="Eurostat (via Data Commons)"),
        source=info.files[0],
    )


def _world_trade(info: DatasetInfo) -> ActivityTable:
    df = _read_csv(info.files[0], dtype={"country": str, "product": str})
    df["country"] = df["country"].str.upper()
    return ActivityTable.from_frame(
        df,
        measure=info.measure,
        unit=info.unit,
        additive=info.additive,
        region="country",
        activity="product",
        period=None,
        classification="SITC",
        classification_version="Rev. 2",
        region_scheme="ISO3",
        provenance=_provenance(info, publisher="economiccomplexity R package"),
        source=info.files[0],
    )


def _eurito_rd(info: DatasetInfo) -> ActivityTable:
    column = info.files[0].split(".")[0]  # rd_private_eur_hab
    df = _read_csv(info.files[0], dtype={"nuts_id": str, "nuts_year_spec": str})
    return ActivityTable.from_frame(
        df,
        measure=info.measure,
        unit=info.unit,
        additive=info.additive,
        region="nuts_id",
        activity=None,
        period="year",
        value=column,
        select={"nuts_year_spec": str(info.nuts_version)},
        nuts_version=info.nuts_version,
        region_level=info.region_level,
        unknown_regions="drop",
        provenance=_provenance(info, publisher="Eurostat via Nesta (EURITO)"),
        source=info.files[0],
    )


def _arxiv(info: DatasetInfo) -> ActivityTable:
    df = _read_csv(info.files[0], dtype={"region_id": str, "region_year_spec": str})
    return ActivityTable.from_frame(
        df,
        measure=info.measure,
        unit=info.unit,
        additive=info.additive,
        region="region_id",
        activity=None,
        period="year",
        value="arxiv_count",
        select={"region_year_spec": str(info.nuts_version), "region_type": "NUTS"},
        nuts_version=info.nuts_version,
        region_level=info.region_level,
        unknown_regions="drop",
        provenance=_provenance(info, publisher="Nesta (EURITO)"),
        source=info.files[0],
    )


# --------------------------------------------------------------------------- registry
def _spec(build: Callable[[DatasetInfo], ActivityTable], **fields: Any) -> Spec:
    """A dataset's entry; NUTS regions and no activity classification unless stated."""
    fields.setdefault("region_scheme", "NUTS")
    fields.setdefault("classification", None)
    return Spec(DatasetInfo(**fields), build)


_YEARS_2008_2015 = tuple(range(2008, 2016))

DATASETS: dict[str, Spec] = {
    spec.info.name: spec
    for spec in (
        _spec(
            _lfs,
            name="lfs_employment_nuts2",
            title="Employment by NUTS 2 region and NACE A*10 group, 2008–2015 (Eurostat LFS)",
            measure="employment",
            unit="thousand persons",
            additive=True,
            nuts_version=2013,
            region_level=2,
            classification="NACE Rev. 2",
            periods=_YEARS_2008_2015,
            files=("lfst_r_lfe2en2_Y_GE15.tsv.gz",),
        ),
        _spec(
            _sbs,
            name="sbs_employment_nuts2_2014",
            title="Persons employed by NUTS 2 region and NACE division, 2014 (Eurostat SBS)",
            measure="persons employed",
            unit="persons",
            additive=True,
            nuts_version=2013,
            region_level=2,
            classification="NACE Rev. 2",
            periods=(2014,),
            files=("sbs_employment_nuts2_2014.csv",),
        ),
        _spec(
            _se_lan,
            name="se_lan_employment",
            title="Employment by Swedish län and NACE A*10 group, 2015–2017 (Eurostat)",
            measure="employment",
            unit="persons",
            additive=True,
            nuts_version=2016,
            region_level=3,
            classification="NACE Rev. 2",
            periods=(2015, 2016, 2017),
            files=("nama_10r_3empers_SE_2015_2017_datacommons.csv",),
        ),
        _spec(
            _world_trade,
            name="world_trade",
            title="World exports by country and SITC-4 product, 1998–2000 (economiccomplexity)",
            measure="exports",
            unit="USD (year 2000 prices)",
            additive=True,
            nuts_version=None,
            region_level=None,
            region_scheme="ISO3",
            classification="SITC Rev. 2",
            periods=(),
            files=("world_trade_avg_1998_to_2000.csv.gz",),
        ),
        _spec(
            _gdp,
            name="gdp_nuts2",
            title="GDP per inhabitant (EUR) by NUTS 2 region, 2000–2014 (Eurostat)",
            measure="GDP per inhabitant",
            unit="EUR per inhabitant",
            additive=False,
            nuts_version=2013,
            region_level=2,
            periods=tuple(range(2000, 2015)),
            files=("nama_10r_2gdp_EUR_HAB.tsv.gz",),
        ),
        _spec(
            _eurito_rd,
            name="rd_private_nuts2",
            title="Private-sector R&D expenditure per inhabitant by NUTS 2 region, 2014–2018",
            measure="R&D expenditure per inhabitant, private sector",
            unit="EUR per inhabitant",
            additive=False,
            nuts_version=2016,
            region_level=2,
            periods=(2014, 2015, 2016, 2017, 2018),
            files=("rd_private_eur_hab.nuts2.csv",),
        ),
        _spec(
            _eurito_rd,
            name="rd_government_nuts2",
            title="Government R&D expenditure per inhabitant by NUTS 2 region, 2014–2018",
            measure="R&D expenditure per inhabitant, government sector",
            unit="EUR per inhabitant",
            additive=False,
            nuts_version=2016,
            region_level=2,
            periods=(2014, 2015, 2016, 2017, 2018),
            files=("rd_government_eur_hab.nuts2.csv",),
        ),
        _spec(
            _arxiv,
            name="arxiv_nuts2",
            title="Participations in arXiv preprints by NUTS 2 region, 2016–2020 (EURITO)",
            measure="arXiv preprint participations",
            unit="count",
            additive=True,
            nuts_version=2016,
            region_level=2,
            periods=(2016, 2017, 2018, 2019, 2020),
            files=("arxiv_count.nuts2.csv",),
        ),
    )
}

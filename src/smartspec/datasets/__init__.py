"""Real data bundled with smartspec, each with a provenance card.

The files are read on first use (nothing at import) and the tables are cached.

=========================== ===========================================================
name                        content
=========================== ===========================================================
lfs_employment_nuts2        Eurostat LFS employment, NUTS 2 × NACE A*10, 2008–2015
sbs_employment_nuts2_2014   Eurostat SBS persons employed, NUTS 2 × NACE division, 2014
se_lan_employment           employment by Swedish län × NACE A*10 group, 2015–2017
world_trade                 exports, 226 countries × 785 SITC-4 products, 1998–2000
gdp_nuts2                   GDP per inhabitant (EUR), NUTS 2, 2000–2014
rd_private_nuts2            private R&D expenditure per inhabitant, NUTS 2, 2014–2018
rd_government_nuts2         government R&D expenditure per inhabitant, NUTS 2, 2014–2018
arxiv_nuts2                 participations in arXiv preprints, NUTS 2, 2016–2020
=========================== ===========================================================

>>> from smartspec import datasets
>>> [d.name for d in datasets.list_datasets()][:2]
['lfs_employment_nuts2', 'sbs_employment_nuts2_2014']
>>> datasets.card("gdp_nuts2").publisher
'Eurostat'
>>> t = datasets.load("se_lan_employment")
>>> t.meta.region_level, len(t.regions), t.periods
(3, 21, (2015, 2016, 2017))
"""

from __future__ import annotations

import difflib
import functools

from smartspec.datasets._cards import Card, read_card
from smartspec.datasets._registry import DATASETS, DatasetInfo
from smartspec.errors import UnknownCodeError
from smartspec.table import ActivityTable

__all__ = ["Card", "DatasetInfo", "card", "list_datasets", "load"]


def list_datasets() -> list[DatasetInfo]:
    """Every bundled dataset, described without loading it.

    Examples
    --------
    >>> info = {d.name: d for d in list_datasets()}["lfs_employment_nuts2"]
    >>> info.nuts_version, info.periods[0], info.periods[-1], info.unit
    (2013, 2008, 2015, 'thousand persons')
    """
    return [spec.info for spec in DATASETS.values()]


def _spec_name(name: str) -> str:
    key = str(name).strip().lower()
    if key not in DATASETS:
        close = difflib.get_close_matches(key, list(DATASETS), n=3, cutoff=0.4)
        if not close:
            close = [n for n in DATASETS if key and (key in n or n in key)][:3]
        raise UnknownCodeError(
            "dataset",
            str(name),
            close,
            context="(see smartspec.datasets.list_datasets())",
        )
    return key


def card(name: str) -> Card:
    """The provenance card of a dataset (publisher, URL, licence, retrieved, changes…).

    Raises
    ------
    UnknownCodeError
        If there is no dataset of that name; suggests the closest names.

    Examples
    --------
    >>> print(card("world_trade").to_markdown().splitlines()[0])
    # world_trade — World exports by country and SITC Rev. 2 4-digit product, average 1998-2000
    """
    key = _spec_name(name)
    return read_card(key, DATASETS[key].info.files)


def load(name: str) -> ActivityTable:
    """The dataset as an :class:`~smartspec.table.ActivityTable` (read once, then cached).

    The cached table is shared between callers: copy ``table.frame`` before changing it.

    Raises
    ------
    UnknownCodeError
        If there is no dataset of that name; suggests the closest names.

    Examples
    --------
    >>> t = load("gdp_nuts2")
    >>> t.meta.additive, t.meta.nuts_version, t.has_activity
    (False, 2013, False)
    """
    return _load(_spec_name(name))


@functools.cache
def _load(name: str) -> ActivityTable:
    spec = DATASETS[name]
    return spec.build(spec.info)

"""smartspec — the Smart Specialisation (S3) workbench.

Regions (NUTS 2010–2024 with Swedish län extras), tidy activity tables with
provenance, specialisation/relatedness/complexity metrics, and the registry of
regional S3 strategies.

The public API is the list in ``__all__``. Names are imported lazily on first use, so
``import smartspec`` is fast and pulls in no web, database or plotting library.

>>> import smartspec
>>> smartspec.lookup_region("Jönköping").code
'SE211'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from smartspec._version import __version__

# name -> module that defines it (imported on first access)
_LAZY: dict[str, str] = {
    "ActivityTable": "smartspec.table",
    "AmbiguousError": "smartspec.errors",
    "InputError": "smartspec.errors",
    "Region": "smartspec.geo",
    "SmartspecError": "smartspec.errors",
    "UnknownCodeError": "smartspec.errors",
    "compute_metrics": "smartspec.metrics",
    "get_region": "smartspec.geo",
    "lookup_region": "smartspec.geo",
    "read_eurostat_tsv": "smartspec.data.readers",
    "read_table": "smartspec.data.readers",
    "search_regions": "smartspec.geo",
}
# names that differ from the attribute in their module
_RENAMES: dict[str, str] = {
    "lookup_region": "lookup",
    "search_regions": "search",
}
# submodules offered as attributes
_SUBMODULES = ("datasets", "geo", "metrics", "registry", "taxonomy")

# The curated public API (sorted; a test checks it equals the names above).
__all__ = [
    "ActivityTable",
    "AmbiguousError",
    "InputError",
    "Region",
    "SmartspecError",
    "UnknownCodeError",
    "__version__",
    "compute_metrics",
    "datasets",
    "geo",
    "get_region",
    "lookup_region",
    "metrics",
    "read_eurostat_tsv",
    "read_table",
    "registry",
    "search_regions",
    "taxonomy",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from smartspec import datasets, geo, metrics, registry, taxonomy
    from smartspec.data.readers import read_eurostat_tsv, read_table
    from smartspec.errors import AmbiguousError, InputError, SmartspecError, UnknownCodeError
    from smartspec.geo import Region, get_region
    from smartspec.geo import lookup as lookup_region
    from smartspec.geo import search as search_regions
    from smartspec.metrics import compute_metrics
    from smartspec.table import ActivityTable


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f"smartspec.{name}")
        globals()[name] = module
        return module
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        value = getattr(module, _RENAMES.get(name, name))
        globals()[name] = value
        return value
    raise AttributeError(f"module 'smartspec' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

"""Fixtures of the evidence-store tests.

The Eurostat and SCB imports run against the real HTTP fixture server of the data
clients' tests (``tests/data/clients/conftest.py``), loaded here by path so that its
fixtures (``server``, ``eurostat_server``, ``eurostat_meta``, ``scb_tools``) serve these
tests too, unchanged.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from smartspec.table import ActivityTable

_CLIENTS = Path(__file__).resolve().parents[1] / "clients" / "conftest.py"
_spec = importlib.util.spec_from_file_location("smartspec_tests_clients_conftest", _CLIENTS)
assert _spec is not None
assert _spec.loader is not None
clients = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = clients  # dataclasses look their module up
_spec.loader.exec_module(clients)

server = clients.server
eurostat_server = clients.eurostat_server
eurostat_meta = clients.eurostat_meta
scb_tools = clients.scb_tools
_own_data_dir = clients._own_data_dir  # every test gets its own SMARTSPEC_DATA_DIR


def employment(scale: float = 1.0, *, unit: str = "persons") -> ActivityTable:
    """A small NUTS 2016 level-2 table with a flag and a missing value."""
    df = pd.DataFrame(
        {
            "region": ["SE11", "SE11", "SE12", "SE12", "SE21", "SE21"],
            "activity": ["C", "J", "C", "J", "C", "J"],
            "period": [2015, 2015, 2015, 2015, 2016, 2016],
            "value": [10.0 * scale, 5.0, 4.0, float("nan"), 7.5, 1.0],
            "flag": ["b", None, None, ":", "e", None],
        }
    )
    return ActivityTable.from_frame(
        df,
        measure="employment",
        unit=unit,
        additive=True,
        flag="flag",
        nuts_version=2016,
        classification="NACE",
        classification_version="Rev. 2",
        provenance={"source": "employment.csv", "publisher": "test", "notes": ["a", "b"]},
    )


@pytest.fixture
def emp() -> ActivityTable:
    return employment()


@pytest.fixture
def make_emp() -> object:
    """The table builder: ``make_emp(scale=1.0, unit="persons")``."""
    return employment

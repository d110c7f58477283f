"""The tidy activity table every smartspec analysis takes.

An :class:`ActivityTable` is a long table with one row per (region, activity, period):

========== ============================================================================
column     meaning
========== ============================================================================
region     region code (NUTS by default; ISO3 country codes etc. with ``region_scheme``)
activity   activity or product code (optional: region-level indicators have none)
period     year as an integer (optional)
value      float64; a missing value is NaN, never 0
flag       the publisher's flag (optional), e.g. Eurostat's ``b``, ``u`` or ``:``
========== ============================================================================

with :class:`TableMeta` (measure, unit, additivity, classification, NUTS version and
level, provenance) and a :class:`ValidationReport` of what was dropped and why.

Build one with :meth:`ActivityTable.from_frame` (or the readers in
:mod:`smartspec.data.readers`). It refuses input it cannot use with an
:class:`~smartspec.errors.InputError` that says what, where and what would be right:

* a value that is not a number, or is negative, names its row and column; empty cells,
  ``NaN``, ``NA`` and Eurostat's ``:`` are *missing* and kept as NaN with their flag;
* duplicate (region, activity, period) keys are listed, with the other columns that
  vary within them (an unselected dimension such as Eurostat's ``age``);
* region codes are checked against the table's NUTS version (declared or detected);
  aggregates (``EU28``, country totals in a NUTS 2 table, NUTS 1 rows in a NUTS 2
  table) and Extra-Regio codes are dropped and listed in ``table.report.dropped``;
* activity codes that nest (``C`` in ``B-E``, anything in ``TOTAL``) cannot be mixed.

The package, one concept per module:

* :mod:`~smartspec.table.meta`: :class:`TableMeta`, :class:`ValidationReport`,
  :class:`DroppedCode`, :data:`NUTS_VERSIONS`;
* :mod:`~smartspec.table.activity_table`: the :class:`ActivityTable` class;
* :mod:`~smartspec.table.build`: the pipeline behind :meth:`ActivityTable.from_frame`;
* :mod:`~smartspec.table.dtypes`: the column dtypes accepted (every usual representation
  of text, whole numbers and numbers: NumPy, nullable or Arrow);
* :mod:`~smartspec.table.validate`: the rules for columns, codes, periods, values,
  nesting and duplicates, and their error messages;
* :mod:`~smartspec.table.regions`: NUTS region codes (:class:`UnknownRegionCodesError`);
* :mod:`~smartspec.table.matrix`: region × activity matrices (:class:`LabelledMatrix`).

Core package: no I/O, no web, database or plotting imports.

>>> import pandas as pd
>>> df = pd.DataFrame({"region": ["SE11", "SE11", "SE12", "SE12"],
...                    "activity": ["C", "J", "C", "J"],
...                    "value": [10.0, 5.0, 4.0, 1.0]})
>>> t = ActivityTable.from_frame(df, measure="employment", unit="persons", additive=True,
...                              region_scheme="custom")
>>> t.regions, t.activities
(('SE11', 'SE12'), ('C', 'J'))
>>> t.to_matrix().values
array([[10.,  5.],
       [ 4.,  1.]])
"""

from __future__ import annotations

from smartspec.table.activity_table import ActivityTable
from smartspec.table.matrix import LabelledMatrix, MissingPolicy
from smartspec.table.meta import NUTS_VERSIONS, DroppedCode, TableMeta, ValidationReport
from smartspec.table.regions import UnknownRegionCodesError

__all__ = [
    "NUTS_VERSIONS",
    "ActivityTable",
    "DroppedCode",
    "LabelledMatrix",
    "MissingPolicy",
    "TableMeta",
    "UnknownRegionCodesError",
    "ValidationReport",
]

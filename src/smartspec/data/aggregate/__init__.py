"""From record-level data to an :class:`~smartspec.table.ActivityTable`, at any scale.

Records — one row per firm, person, patent or project, with a region identifier, an
activity code, a period and optionally a weight — are aggregated to one value per
(region, activity, period): the sum of the weights, the number of records, or the
number of distinct ids. The aggregation is written once with `Ibis
<https://ibis-project.org>`_, so the same expression runs

* on **DuckDB** (default): embedded, in-process, streaming over Parquet files without
  loading them into memory — hundreds of millions of records on a laptop;
* on **Apache Spark** through Ibis's PySpark backend, for data that outgrow one
  machine (``backend="pyspark"`` or your own ``SparkSession``).

On DuckDB, when the codes need no mapping and there are many possible cells, the same
aggregation runs as SQL grouping by the codes cast to ``ENUM`` types (small integers
in the hash table, categoricals out); ``meta.provenance["aggregation"]["sql"]`` shows
the query that ran.

Region identifiers are mapped to NUTS *in the backend*: NUTS codes as they are,
Swedish municipality codes (the first two digits are the county, which is a NUTS 3
region; see :func:`smartspec.geo.lan_by_scb_code`), or any identifier (postcodes…)
through a lookup table you give. NACE codes can be cut to a coarser level
(``activity_level=2`` gives divisions) or mapped through a table. Records that cannot
be placed are counted and listed with examples, and refused (default) or dropped.

Ibis, DuckDB and PySpark are imported only when :func:`aggregate` runs.

The package, one concept per module:

* :mod:`~smartspec.data.aggregate.core`: :func:`aggregate`, from the arguments to the
  table and its provenance;
* :mod:`~smartspec.data.aggregate._inputs`: the arguments checked, the records read as
  an Ibis table, the columns they must have;
* :mod:`~smartspec.data.aggregate._codes`: the Ibis expressions of the codes (NUTS,
  municipalities, NACE levels, periods), the filters and the lookup tables;
* :mod:`~smartspec.data.aggregate._duckdb_fast`: the DuckDB fast path (the clean-code
  check, the ``ENUM`` grouping);
* :mod:`~smartspec.data.aggregate.unmatched`: records that cannot be placed
  (:class:`Unmatched`, :class:`UnmatchedRecordsError`);
* :mod:`~smartspec.data.aggregate._sort`: the order of the output rows.

Examples
--------
>>> import pandas as pd
>>> records = pd.DataFrame({
...     "firm": [1, 2, 3, 4, 5],
...     "kommun": ["0180", "0184", "0680", "2580", "0180"],
...     "nace": ["62.01", "62.02", "10.11", "62.01", "10.12"],
...     "year": [2022, 2022, 2022, 2022, 2023],
...     "employees": [10.0, 5.0, 3.0, 2.0, 4.0],
... })
>>> table = aggregate(records, measure="employment", unit="persons", weight="employees",
...                   region="kommun", region_from="municipality",
...                   activity="nace", activity_level=2, period="year")
>>> table.to_pandas()
  region activity  period  value
0  SE110       10    2023    4.0
1  SE110       62    2022   15.0
2  SE211       10    2022    3.0
3  SE332       62    2022    2.0
>>> agg = table.meta.provenance["aggregation"]
>>> agg["backend"].split()[0], agg["records_in"], agg["records_used"]
('duckdb', 5, 5)
"""

from __future__ import annotations

from smartspec.data.aggregate._sort import _sorted as _sorted
from smartspec.data.aggregate.core import RegionFrom as RegionFrom
from smartspec.data.aggregate.core import UnmatchedPolicy as UnmatchedPolicy
from smartspec.data.aggregate.core import aggregate
from smartspec.data.aggregate.unmatched import Unmatched, UnmatchedRecordsError

__all__ = ["Unmatched", "UnmatchedRecordsError", "aggregate"]

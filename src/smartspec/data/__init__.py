"""Reading activity data: tidy CSV/Excel/Parquet tables and Eurostat bulk TSV files.

>>> from smartspec.data import read_table, read_eurostat_tsv
>>> callable(read_table), callable(read_eurostat_tsv)
(True, True)
"""

from __future__ import annotations

from smartspec.data.readers import read_eurostat_tsv, read_table

__all__ = ["read_eurostat_tsv", "read_table"]

r"""Dynamics: entry and exit of specialisations, growth, and shift-share.

Three questions about change between two periods *t* and *t + k*:

* **entry and exit** — which region × activity cells became (stopped being)
  specialised, :math:`M_{cp}` going from 0 to 1 (1 to 0), counted over the cells that
  could have changed: the *risk set* (Neffke, Henning & Boschma 2011; Hidalgo et al.
  2018). :func:`entries`, :func:`exits` on arrays; :func:`compute_entry_exit` on tables;
* **growth** — absolute change, relative change and compound annual growth rate, with
  cells that start at zero handled explicitly (:func:`growth`, :func:`cagr`,
  :func:`compute_growth`);
* **shift-share** — the change of each cell split into national share, industry mix
  and regional competitive effect (Dunn 1960), with the Esteban-Marquillas (1972)
  split of the competitive effect (:func:`shift_share`, :func:`compute_shift_share`).

The array functions take NumPy arrays (regions in rows, activities in columns); the
``compute_*`` functions take an :class:`~smartspec.table.ActivityTable` or a long
DataFrame (``region, activity, period, value``) and import pandas when called.

Each concept has its own module — :mod:`smartspec.metrics.entry_exit`,
:mod:`smartspec.metrics.growth`, :mod:`smartspec.metrics.shift_share` — and this module
gathers them under one name (``smartspec.metrics.dynamics.shift_share`` and the like
keep working).

>>> import numpy as np
>>> entries([[0, 1], [0, 0]], [[1, 1], [0, 1]]).tolist()
[[1.0, nan], [0.0, 1.0]]
>>> s = shift_share([[10.0, 0.0]], [[12.0, 5.0]], reference=([100.0, 50.0], [110.0, 60.0]))
>>> s.competitive.round(9).tolist()
[[1.0, 5.0]]
"""

from __future__ import annotations

from smartspec.metrics._panel import Missing as Missing
from smartspec.metrics.entry_exit import compute_entry_exit, entries, exits
from smartspec.metrics.growth import Growth, cagr, compute_growth, growth
from smartspec.metrics.shift_share import ShiftShare, compute_shift_share, shift_share

__all__ = [
    "Growth",
    "ShiftShare",
    "cagr",
    "compute_entry_exit",
    "compute_growth",
    "compute_shift_share",
    "entries",
    "exits",
    "growth",
    "shift_share",
]

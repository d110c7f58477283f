"""One process at a time: a lock per catalogue within this process (DuckDB's file lock
is per process), and the pid of the process that holds DuckDB's lock, from its message.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

_LOCK_PID = re.compile(r"PID (\d+)")

_PROCESS_LOCKS: dict[Path, threading.RLock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(path: Path) -> threading.RLock:
    """One lock per catalogue in this process (DuckDB's file lock is per process)."""
    with _PROCESS_LOCKS_GUARD:
        path = path.resolve()
        lock = _PROCESS_LOCKS.get(path)
        if lock is None:
            lock = _PROCESS_LOCKS[path] = threading.RLock()
        return lock

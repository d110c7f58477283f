"""The errors of the evidence store: a damaged or missing catalogue or file
(:class:`EvidenceStoreError`), a store another process has open (:class:`StoreBusyError`).
"""

from __future__ import annotations

from pathlib import Path

from smartspec.errors import SmartspecError

__all__ = ["EvidenceStoreError", "StoreBusyError"]


# --------------------------------------------------------------------------- errors
class EvidenceStoreError(SmartspecError):
    """The evidence store cannot be used: its catalogue or a file is damaged or missing."""


class StoreBusyError(EvidenceStoreError):
    """Another process has the evidence store open.

    ``pid`` is that process's id when DuckDB names it, else ``None``.
    """

    def __init__(self, path: Path, pid: int | None) -> None:
        self.path = path
        self.pid = pid
        who = f"pid {pid}" if pid is not None else "pid unknown"
        super().__init__(
            f"the evidence store is in use by another process ({who}): {path}; "
            "wait for it to finish, or stop it, and try again"
        )


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text

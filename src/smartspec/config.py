"""Where smartspec keeps its files: the data directory.

Resolution order (first wins):

1. an explicit path (the CLI's ``--data-dir`` passes it here);
2. the environment variable ``SMARTSPEC_DATA_DIR``;
3. the platform's user data directory (``platformdirs.user_data_dir("smartspec")``),
   e.g. ``~/.local/share/smartspec`` on Linux.

The directory holds ``registry.sqlite`` (the strategy registry; a shared PostgreSQL
registry can be named instead with ``SMARTSPEC_REGISTRY_URL``) and ``evidence.duckdb``
with Parquet files under ``evidence/`` (the evidence store). smartspec writes nothing
outside it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "SMARTSPEC_DATA_DIR"
#: A database URL (e.g. ``postgresql://user@host/s3``) for a shared registry; when set,
#: the CLI and the web app use it instead of the data directory's ``registry.sqlite``.
ENV_REGISTRY_URL = "SMARTSPEC_REGISTRY_URL"


@dataclass(frozen=True)
class DataDir:
    """The resolved data directory and the well-known files inside it."""

    path: Path

    @property
    def registry_db(self) -> Path:
        """SQLite file of the embedded strategy registry."""
        return self.path / "registry.sqlite"

    @property
    def registry_url(self) -> str:
        """Where the registry lives: ``SMARTSPEC_REGISTRY_URL`` if set, else :attr:`registry_db`."""
        return os.environ.get(ENV_REGISTRY_URL) or str(self.registry_db)

    @property
    def evidence_db(self) -> Path:
        """DuckDB catalogue of the evidence store."""
        return self.path / "evidence.duckdb"

    @property
    def evidence_files(self) -> Path:
        """Folder of the evidence store's Parquet files."""
        return self.path / "evidence"

    @property
    def cache(self) -> Path:
        """HTTP cache of the data clients."""
        return self.path / "cache"

    def ensure(self) -> DataDir:
        """Create the directory (and parents) if needed; return self."""
        self.path.mkdir(parents=True, exist_ok=True)
        return self


def data_dir(explicit: str | os.PathLike[str] | None = None) -> DataDir:
    """Resolve the data directory without creating it.

    >>> data_dir("some/where").path.name
    'where'
    """
    if explicit is not None and str(explicit) != "":
        return DataDir(Path(explicit).expanduser().resolve())
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return DataDir(Path(env).expanduser().resolve())
    import platformdirs

    return DataDir(Path(platformdirs.user_data_dir("smartspec", appauthor=False)))

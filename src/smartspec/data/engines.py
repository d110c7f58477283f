"""Connections to the engines that :func:`smartspec.data.aggregate.aggregate` runs on.

Two backends, both through `Ibis <https://ibis-project.org>`_:

* **DuckDB** (default): embedded, in-process, streams Parquet files without loading
  them into memory. :func:`connect` opens a private in-memory database with the thread
  count, memory limit and spill directory you give.
* **Apache Spark** through Ibis's PySpark backend, for data that outgrows one machine.
  Pass your own ``SparkSession`` (a cluster), or let :func:`spark_session` start a
  *local* one (``local[N]``, UI off, bound to 127.0.0.1, temporary files in a private
  temporary directory): no network is used.

Nothing here imports Ibis, DuckDB or PySpark at module level; ``import smartspec`` stays
light. Install the engines with ``pip install "smartspec[spark]"`` (Ibis + PySpark) —
DuckDB comes with Ibis's ``duckdb`` extra.

>>> spark_unavailable() is None or isinstance(spark_unavailable(), str)
True
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from smartspec.errors import InputError

__all__ = [
    "BACKENDS",
    "backend_label",
    "connect",
    "java_unavailable",
    "spark_session",
    "spark_unavailable",
]

BACKENDS: tuple[str, ...] = ("duckdb", "pyspark")
"""Backend names :func:`connect` accepts."""

_INSTALL_HINT = 'install the engines with: pip install "smartspec[spark]"'


def _tempdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def _require(module: str, what: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise InputError(f"{what} needs the Python package {module!r}", hint=_INSTALL_HINT)


# --------------------------------------------------------------------------- Java/Spark
@cache
def java_unavailable() -> str | None:
    """Why Spark's Java runtime cannot be used, or ``None`` if ``java`` (≥ 17) runs.

    Looks at ``$JAVA_HOME/bin/java`` first, then ``java`` on ``PATH``.
    """
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        where = f"JAVA_HOME={home} has no bin/java" if home else "`java` is not on PATH"
        return f"no Java runtime: {where} (Spark needs Java 17+)"
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:  # pragma: no cover - broken install
        return f"`{java} -version` failed: {exc}"
    text = (out.stderr or out.stdout).strip()
    major = _java_major(text)
    if major is None:
        return f"cannot read the Java version from `{java} -version`: {text[:200]!r}"
    if major < 17:
        return f"Java {major} found at {java}; Spark 4 needs Java 17 or later"
    return None


def _java_major(version_text: str) -> int | None:
    """The major version from ``java -version`` output.

    >>> _java_major('openjdk version "17.0.15" 2025-04-15'), _java_major('java version "1.8.0_1"')
    (17, 8)
    """
    import re

    found = re.search(r'version "(\d+)(?:\.(\d+))?', version_text)
    if not found:
        return None
    major = int(found.group(1))
    if major == 1 and found.group(2):  # "1.8" means Java 8
        major = int(found.group(2))
    return major


def spark_unavailable() -> str | None:
    """Why the PySpark backend cannot run here, or ``None`` if it can.

    Checks the Python packages (``ibis``, ``pyspark``) and the Java runtime.
    """
    for module in ("ibis", "pyspark"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module!r} is not installed ({_INSTALL_HINT})"
    return java_unavailable()


def spark_session(
    *,
    cores: int = 2,
    shuffle_partitions: int = 4,
    driver_memory: str = "1g",
    app_name: str = "smartspec",
    work_dir: str | os.PathLike[str] | None = None,
    log_level: str = "ERROR",
    java_options: str = "",
    conf: Mapping[str, str] | None = None,
) -> Any:
    """Start (or return the running) *local* SparkSession, configured for one machine.

    ``local[cores]`` master, UI and console progress bar off, driver bound to
    127.0.0.1 (no network), ``shuffle_partitions`` shuffle partitions (Spark's default
    of 200 is meant for clusters and makes small jobs slow), session time zone UTC, and
    the warehouse, spill and Java temporary directories under *work_dir* (default: a
    private temporary directory removed at exit).

    A JVM-level setting (cores, driver memory, directories) only takes effect when this
    call starts the JVM; if a session is already running it is returned as it is,
    with the SQL settings (shuffle partitions, time zone) applied.

    Parameters
    ----------
    cores:
        Worker threads (``local[cores]``).
    shuffle_partitions:
        ``spark.sql.shuffle.partitions``.
    driver_memory:
        ``spark.driver.memory``, e.g. ``"1g"``.
    app_name:
        Spark application name.
    work_dir:
        Directory for Spark's files.
    log_level:
        Log level of the Spark context (``"ERROR"``, ``"WARN"``, ``"INFO"``).
    java_options:
        More options for the driver JVM, e.g. ``"-XX:TieredStopAtLevel=1
        -XX:+UseSerialGC"``, which starts faster and suits small jobs such as tests.
    conf:
        More Spark settings; they win over the ones above.

    Returns
    -------
    pyspark.sql.SparkSession

    Raises
    ------
    InputError
        If PySpark or Java is missing (with what to install).
    """
    reason = spark_unavailable()
    if reason is not None:
        raise InputError(f"cannot start Spark: {reason}")
    from pyspark.sql import SparkSession

    base = Path(work_dir) if work_dir is not None else _tempdir("smartspec-spark-")
    for sub in ("warehouse", "local", "java-tmp"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    # The JVM reads these when PySpark launches it; without SPARK_LOCAL_IP Spark looks
    # up the host's network address.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    java_tmp = base / "java-tmp"
    settings: dict[str, str] = {
        "spark.master": f"local[{int(cores)}]",
        "spark.app.name": app_name,
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.memory": driver_memory,
        "spark.sql.shuffle.partitions": str(int(shuffle_partitions)),
        "spark.default.parallelism": str(int(cores)),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.warehouse.dir": str(base / "warehouse"),
        "spark.local.dir": str(base / "local"),
        "spark.driver.extraJavaOptions": (
            f"-Djava.io.tmpdir={java_tmp} -Dderby.system.home={java_tmp} {java_options}"
        ).strip(),
        "spark.sql.execution.arrow.pyspark.enabled": "true",
    }
    settings.update(conf or {})
    builder = SparkSession.builder
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel(log_level)
    for key in ("spark.sql.shuffle.partitions", "spark.sql.session.timeZone"):
        session.conf.set(key, settings[key])
    return session


# --------------------------------------------------------------------------- connect
def connect(
    backend: Any = "duckdb",
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
    temp_directory: str | os.PathLike[str] | None = None,
) -> tuple[Any, bool]:
    """An Ibis backend for *backend*, and whether this call created it.

    Parameters
    ----------
    backend:
        ``"duckdb"`` (a new in-memory DuckDB database), ``"pyspark"`` (the active
        SparkSession, or a local one from :func:`spark_session`), a ``SparkSession``,
        or an Ibis backend object (used as it is).
    threads, memory_limit, temp_directory:
        DuckDB settings for a database this call creates (e.g. ``threads=2``,
        ``memory_limit="3GB"``); the spill directory defaults to a private temporary
        directory.

    Returns
    -------
    (ibis backend, created)

    Examples
    --------
    >>> con, created = connect("duckdb", threads=1)
    >>> con.name, created
    ('duckdb', True)
    """
    duck_settings = {"threads": threads, "memory_limit": memory_limit}
    if isinstance(backend, str):
        name = backend.strip().lower()
        if name == "duckdb":
            _require("ibis", "the DuckDB backend")
            _require("duckdb", "the DuckDB backend")
            import ibis

            config: dict[str, Any] = {k: v for k, v in duck_settings.items() if v is not None}
            spill = Path(temp_directory) if temp_directory else _tempdir("smartspec-duckdb-")
            spill.mkdir(parents=True, exist_ok=True)
            config["temp_directory"] = str(spill)
            return ibis.duckdb.connect(**config), True
        if name in ("pyspark", "spark"):
            _check_no_duck_settings(duck_settings, "pyspark")
            reason = spark_unavailable()
            if reason is not None:
                raise InputError(f"cannot use the PySpark backend: {reason}")
            import ibis
            from pyspark.sql import SparkSession

            session = SparkSession.getActiveSession() or spark_session()
            return ibis.pyspark.connect(session), True
        raise InputError(
            f"unknown backend {backend!r}",
            hint="use 'duckdb', 'pyspark', a SparkSession or an Ibis backend object",
        )
    _check_no_duck_settings(duck_settings, type(backend).__name__)
    if hasattr(backend, "sparkContext") and hasattr(backend, "createDataFrame"):
        _require("ibis", "the PySpark backend")
        import ibis

        return ibis.pyspark.connect(backend), True
    if hasattr(backend, "execute") and hasattr(backend, "name"):
        return backend, False
    raise InputError(
        f"backend must be 'duckdb', 'pyspark', a SparkSession or an Ibis backend, "
        f"not {type(backend).__name__}"
    )


def _check_no_duck_settings(settings: Mapping[str, Any], backend: str) -> None:
    given = sorted(k for k, v in settings.items() if v is not None)
    if given:
        raise InputError(
            f"{', '.join(given)} configure a DuckDB database that smartspec opens; "
            f"they do not apply to the backend {backend}",
            hint="configure your own backend yourself, or use backend='duckdb'",
        )


def backend_label(con: Any) -> str:
    """``"duckdb 1.2.0"``, ``"pyspark 4.0.1"``…: the backend's name and version."""
    name = str(getattr(con, "name", type(con).__name__))
    try:
        version = str(con.version)
    except Exception:  # a version is nice to have, never required
        version = ""
    return f"{name} {version}".strip()

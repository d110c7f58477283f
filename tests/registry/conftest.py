"""Fixtures of the registry tests: a SQLite file and a real, throwaway PostgreSQL server.

PostgreSQL, in order of preference:

1. ``SMARTSPEC_TEST_PG_URL`` (e.g. ``postgresql://user:pw@host/db``): an existing server;
   each test gets a fresh database (or, without the right to create one, a fresh
   ``public`` schema in the given database);
2. a cluster started for the test session with ``initdb`` / ``pg_ctl`` from
   ``SMARTSPEC_PG_BIN`` or ``/usr/lib/postgresql/<newest>/bin``, in a temporary folder,
   listening on 127.0.0.1 at a free port and on a socket in that folder; when the tests
   run as root, the server runs as the ``postgres`` operating-system user. It is stopped
   and removed at the end.

Without either, the PostgreSQL tests are skipped (marked ``postgres``, so with
``SMARTSPEC_REQUIRE_ALL=1`` the skip is a failure).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from smartspec.registry import Registry, open_registry

PG_URL_ENV = "SMARTSPEC_TEST_PG_URL"
PG_BIN_ENV = "SMARTSPEC_PG_BIN"


class _UnavailableError(Exception):
    """PostgreSQL cannot be started here (the reason is the message)."""


def _pg_bin() -> Path:
    explicit = os.environ.get(PG_BIN_ENV)
    if explicit:
        candidates = [explicit]
    else:
        candidates = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"),
            key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
            reverse=True,
        )
    for folder in candidates:
        if all((Path(folder) / tool).is_file() for tool in ("initdb", "pg_ctl")):
            return Path(folder)
    where = f"in {PG_BIN_ENV}={explicit}" if explicit else "under /usr/lib/postgresql/*/bin"
    raise _UnavailableError(
        f"no initdb/pg_ctl found {where} (install the Debian package postgresql, or set "
        f"{PG_BIN_ENV} or {PG_URL_ENV})"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Cluster:
    """A throwaway PostgreSQL cluster in a temporary folder."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            try:
                self.pw = pwd.getpwnam("postgres")
            except KeyError:
                raise _UnavailableError(
                    "running as root, but there is no 'postgres' user to run the server"
                ) from None
        self.folder = Path(tempfile.mkdtemp(prefix="smartspec-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.started = False

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=120, cwd=self.folder, check=False
        )

    def start(self) -> str:
        if self.as_postgres:
            os.chown(self.folder, self.pw.pw_uid, self.pw.pw_gid)
        os.chmod(self.folder, 0o700)
        initdb = self.run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        if initdb.returncode != 0:
            raise _UnavailableError(
                f"initdb failed: {initdb.stderr.strip() or initdb.stdout.strip()}"
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        started = self.run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        if started.returncode != 0:
            log = (self.folder / "log").read_text(errors="replace")[-2000:]
            raise _UnavailableError(f"pg_ctl start failed: {started.stderr.strip()}\n{log}")
        self.started = True
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if self.started:
            self.run(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
            )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """URL of a PostgreSQL server's maintenance database (skips if there is none)."""
    given = os.environ.get(PG_URL_ENV)
    if given:
        yield given
        return
    try:
        cluster = _Cluster()
    except _UnavailableError as err:
        pytest.skip(f"PostgreSQL unavailable: {err}")
    try:
        try:
            url = cluster.start()
        except (_UnavailableError, OSError, subprocess.SubprocessError) as err:
            pytest.skip(f"PostgreSQL unavailable: {err}")
        yield url
    finally:
        cluster.stop()


@contextlib.contextmanager
def _fresh_pg_database(admin_url: str) -> Iterator[str]:
    url = sa.make_url(admin_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    name = f"smartspec_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        except sa.exc.ProgrammingError:  # no right to create databases: reuse the schema
            with admin.connect() as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            yield url.render_as_string(hide_password=False)
            return
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """URL of a new, empty PostgreSQL database, dropped after the test."""
    with _fresh_pg_database(pg_admin_url) as url:
        yield url


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty registry database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "registry.sqlite")
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def registry(db_url: str) -> Iterator[Registry]:
    """An empty registry on each backend."""
    reg = open_registry(db_url, user="tester")
    try:
        yield reg
    finally:
        reg.close()


@pytest.fixture
def bundled(registry: Registry) -> Registry:
    """A registry on each backend with the bundled Swedish map loaded."""
    registry.load_bundled()
    return registry


@pytest.fixture(scope="module", params=BACKENDS)
def shared_bundled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    """One loaded registry per backend, shared by a module's tests.

    Only for tests that leave it as they found it: reads, and writes that must fail.
    """
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = str(tmp_path_factory.mktemp("registry") / "registry.sqlite")
        else:
            admin = request.getfixturevalue("pg_admin_url")
            url = stack.enter_context(_fresh_pg_database(admin))
        reg = open_registry(url, user="tester")
        stack.callback(reg.close)
        reg.load_bundled()
        yield reg

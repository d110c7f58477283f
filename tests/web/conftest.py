"""Fixtures of the web tests: a real uvicorn server on a free local port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def unused_port() -> int:
    return free_port()


@dataclass
class LiveServer:
    url: str
    data_dir: Path


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app under uvicorn in a background thread, with a temporary data dir."""
    import uvicorn

    from smartspec.web import create_app

    data_dir = tmp_path_factory.mktemp("live-data")
    port = free_port()
    config = uvicorn.Config(
        create_app(data_dir), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", data_dir=data_dir)
    finally:
        server.should_exit = True
        thread.join(timeout=30)

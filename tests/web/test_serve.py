"""`make run`'s server: `python -m smartspec serve` as a real process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

import smartspec
from smartspec.web.bundle import vega_bundle

SRC = Path(smartspec.__file__).resolve().parent.parent


def test_serve_subprocess(tmp_path: Path, unused_port: int) -> None:
    data_dir = tmp_path / "data"
    # what `smartspec setup` leaves behind, so the server need not build the bundle again
    vega_bundle(data_dir / "cache")
    port = unused_port
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env.pop("SMARTSPEC_DATA_DIR", None)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "smartspec", "serve", "--port", str(port),
             "--data-dir", str(data_dir)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )  # fmt: skip
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 120
            response = None
            while time.monotonic() < deadline:
                assert proc.poll() is None, f"server exited: {log.read_text(errors='replace')}"
                try:
                    response = httpx.get(url, timeout=5)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            assert response is not None, f"server did not answer: {log.read_text(errors='replace')}"
            assert response.status_code == 200
            assert 'id="map-sweden"' in response.text
            assert 'data-vega-spec="map-sweden-spec"' in response.text
            bundle = httpx.get(url + "static/vega-bundle.js", timeout=30)
            assert bundle.status_code == 200
            api = httpx.get(url + "api/v1/regions/SE211", timeout=10).json()
            assert api["name"] == "Jönköpings län"
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:  # pragma: no cover
                proc.kill()
                proc.wait()
    assert "http://127.0.0.1:" in log.read_text(errors="replace")

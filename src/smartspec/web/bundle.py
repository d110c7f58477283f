"""The Vega JavaScript bundle (vega + vega-lite + vega-embed) served by the web app.

``vl_convert.javascript_bundle()`` returns one self-contained script (about 0.9 MB, no
imports, no network access) that sets ``window.vegaEmbed``, ``window.vega`` and
``window.vegaLite``. Building it takes a few seconds (the bundler runs in Rust), so it is
built once and kept

1. in memory, for the life of the process, and
2. on disk in the data directory (``<data dir>/cache/vega-bundle-<key>.js``), so a
   restarted server (and ``make run`` after ``smartspec setup``) starts at once.

The key names the vl-convert version and the Vega-Lite version, so upgrading
vl-convert-python builds a new file; the page links ``/static/vega-bundle.js?v=<key>``
and browsers may cache it for a year.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import tempfile
import threading
from functools import cache
from pathlib import Path

#: The bundle's own code: expose the three libraries as globals for static/maps.js.
SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"

_lock = threading.Lock()
_memory: dict[str, bytes] = {}


@cache
def bundle_key() -> str:
    """Cache key of the bundle: ``"<vl-convert version>-vl<Vega-Lite version>"``.

    >>> bundle_key().startswith(importlib.metadata.version("vl-convert-python"))
    True
    """
    import vl_convert

    version = importlib.metadata.version("vl-convert-python")
    vegalite = vl_convert.get_vegalite_versions()[-1]
    return re.sub(r"[^0-9A-Za-z.+-]", "_", f"{version}-vl{vegalite}")


def bundle_path(cache_dir: Path) -> Path:
    """Where the bundle is cached on disk inside ``cache_dir``."""
    return cache_dir / f"vega-bundle-{bundle_key()}.js"


def vega_bundle(cache_dir: Path | None = None) -> bytes:
    """The bundle's bytes (UTF-8), from memory, the disk cache or freshly built.

    Thread-safe; builds at most once per process. A cache directory that cannot be
    written is not an error (the bundle is then kept in memory only).
    """
    key = bundle_key()
    path = bundle_path(cache_dir) if cache_dir is not None else None
    cached = _memory.get(key)
    if cached is not None and (path is None or path.is_file()):
        return cached
    with _lock:
        data = _memory.get(key)
        if data is None and path is not None and path.is_file():
            data = path.read_bytes() or None
        if data is None:
            import vl_convert

            data = vl_convert.javascript_bundle(SNIPPET).encode("utf-8")
        if path is not None and not path.is_file():
            _write_atomic(path, data)
        _memory[key] = data
        return data


def _write_atomic(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vega-bundle-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only data directory only costs the rebuild next time

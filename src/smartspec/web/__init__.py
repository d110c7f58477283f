"""The web app: server-rendered pages, a JSON API and offline Vega-Lite maps.

``smartspec serve`` runs it with uvicorn; :func:`create_app` builds it for tests or for
another ASGI server (``uvicorn --factory smartspec.web:create_app``).

Layout: :mod:`~smartspec.web.app` (the application, error handling, the Vega bundle
route), :mod:`~smartspec.web.api` (JSON, ``/api/v1``), :mod:`~smartspec.web.pages`
(HTML), :mod:`~smartspec.web.services` (what both share), ``templates/`` and
``static/``.
"""

from __future__ import annotations

from smartspec.web.app import create_app

__all__ = ["create_app"]

"""The PxWeb endpoints of SCB: base URLs, request URLs and bodies, HTTP errors.

Everything that knows how API v1 and v2 differ on the wire: the default base URLs,
the output formats each version accepts, the metadata and data URLs, the body of a
data query (v2 ``selection``, v1 ``query``) and how SCB's HTTP errors are told to the
user (404 → unknown table, 403/413/400 "cells" → request too large).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from smartspec.data.http import HttpClient, HTTPStatusError, RequestTooLargeError, Response
from smartspec.errors import InputError, UnknownCodeError

DEFAULT_V2_URL = "https://statistikdatabasen.scb.se/api/v2"
"""SCB's PxWeb API v2."""
DEFAULT_V1_URL = "https://api.scb.se/OV0104/v1/doris"
"""SCB's PxWeb API v1 (tables below ``{lang}/ssd/``)."""

Api = Literal["v1", "v2"]


def _base(api: Api, base_url: str | None) -> str:
    base = base_url or (DEFAULT_V2_URL if api == "v2" else DEFAULT_V1_URL)
    return base.rstrip("/")


def _check_format(api: Api, format: str | None) -> str:
    allowed = ("json-stat2",) if api == "v2" else ("json-stat", "json")
    fmt = (format or allowed[0]).lower()
    if fmt not in allowed:
        raise InputError(
            f"format={format!r} is not supported for API {api}",
            hint="use " + " or ".join(repr(a) for a in allowed),
        )
    return fmt


def _metadata_url(api: Api, base: str, table: str, lang: str) -> str:
    if api == "v2":
        return f"{base}/tables/{table}/metadata"
    return f"{base}/{lang}/ssd/{table}"


def _post_data(
    http: HttpClient,
    api: Api,
    base: str,
    table: str,
    lang: str,
    fmt: str,
    chunk: Mapping[str, Sequence[str]] | None,
    refresh: bool,
) -> Response:
    what = f"SCB table {table}"
    try:
        if api == "v2":
            url = f"{base}/tables/{table}/data"
            params = {"lang": lang, "outputFormat": fmt}
            if chunk is None:
                return http.get(url, params=params, what=what, refresh=refresh)
            body: dict[str, Any] = {
                "selection": [
                    {"variableCode": name, "valueCodes": list(values)}
                    for name, values in chunk.items()
                ]
            }
            return http.post(url, params=params, json_body=body, what=what, refresh=refresh)
        assert chunk is not None
        url = f"{base}/{lang}/ssd/{table}"
        body = {
            "query": [
                {"code": name, "selection": {"filter": "item", "values": list(values)}}
                for name, values in chunk.items()
            ],
            "response": {"format": fmt},
        }
        return http.post(url, json_body=body, what=what, refresh=refresh)
    except HTTPStatusError as err:
        raise _table_error(err, table, api) from None


def _table_error(err: HTTPStatusError, table: str, api: Api) -> Exception:
    if err.status == 404:
        return UnknownCodeError(
            "SCB table",
            table,
            context=f"(SCB answered 404 Not Found for API {api}"
            + (f": {err.detail}" if err.detail else "")
            + f"; {err.url})",
        )
    if err.status in (403, 413) or (
        err.status == 400 and err.detail and "cell" in err.detail.lower()
    ):
        return RequestTooLargeError(
            err.what,
            err.url,
            err.status,
            err.detail,
            err.body,
            hint="the query asks for more cells than SCB allows in one call; pass "
            "limits=ScbLimits(...) with a lower max_cells, or select fewer values",
        )
    if err.status == 400:
        return HTTPStatusError(
            err.what,
            err.url,
            err.status,
            err.detail,
            err.body,
            hint="check the variable codes and value codes (see get_metadata(table)); "
            "variables that cannot be eliminated must be selected",
        )
    return err

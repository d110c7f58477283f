"""The description of an SCB table: its variables and their value codes.

:func:`get_metadata` reads it from v2 ``/tables/{table}/metadata`` (JSON-stat 2.0,
parsed by :mod:`smartspec.data.jsonstat`) or from a v1 GET on the table (PxWeb's
``variables`` list).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from smartspec.data.http import HttpClient, HTTPStatusError, Response
from smartspec.data.jsonstat import parse_jsonstat
from smartspec.data.scb.api import Api, _base, _metadata_url, _table_error
from smartspec.errors import InputError


@dataclass(frozen=True)
class Variable:
    """A variable of an SCB table: its code, label and values."""

    code: str
    label: str
    values: tuple[str, ...]
    value_texts: tuple[str, ...] = ()
    elimination: bool = False
    time: bool = False


@dataclass(frozen=True)
class TableMetadata:
    """What a table has: its title and variables."""

    table: str
    title: str
    variables: tuple[Variable, ...]

    def variable(self, code: str) -> Variable:
        """The variable with this code (case-insensitive)."""
        for v in self.variables:
            if v.code.lower() == code.lower():
                return v
        raise InputError(
            f"the table {self.table} has no variable {code!r}",
            hint=f"its variables are {', '.join(v.code for v in self.variables)}",
        )


def get_metadata(
    table: str,
    *,
    api: Api = "v2",
    base_url: str | None = None,
    lang: str = "sv",
    client: HttpClient | None = None,
    refresh: bool = False,
) -> TableMetadata:
    """The variables and values of a table (v2 ``/metadata``, v1 GET on the table)."""
    base = _base(api, base_url)
    own = client is None
    http = client or HttpClient("scb")
    try:
        url = _metadata_url(api, base, table, lang)
        params = {"lang": lang} if api == "v2" else None
        try:
            response = http.get(url, params=params, what=f"SCB table {table}", refresh=refresh)
        except HTTPStatusError as err:
            raise _table_error(err, table, api) from None
    finally:
        if own:
            http.close()
    return _parse_metadata(response, table, api)


def _parse_metadata(response: Response, table: str, api: Api) -> TableMetadata:
    try:
        doc = response.json()
    except ValueError:
        raise InputError("SCB's table description is not JSON", source=response.url) from None
    if api == "v2":
        ds = parse_jsonstat(doc, source=response.url, metadata_only=True)
        variables = tuple(
            Variable(
                code=d.id,
                label=d.label,
                values=d.codes,
                value_texts=tuple(d.label_of(c) for c in d.codes),
                elimination=bool(d.extension.get("elimination", False)),
                time=d.role == "time",
            )
            for d in ds.dimensions
        )
        return TableMetadata(table, ds.label or table, variables)
    raw_vars = doc.get("variables") if isinstance(doc, Mapping) else None
    if not isinstance(raw_vars, list):
        raise InputError("SCB's table description has no variables", source=response.url)
    variables = tuple(
        Variable(
            code=str(v["code"]),
            label=str(v.get("text", v["code"])),
            values=tuple(str(x) for x in v.get("values", [])),
            value_texts=tuple(str(x) for x in v.get("valueTexts", [])),
            elimination=bool(v.get("elimination", False)),
            time=bool(v.get("time", False)),
        )
        for v in raw_vars
    )
    return TableMetadata(table, str(doc.get("title", table)), variables)

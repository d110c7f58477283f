"""Column values to JSON and back, for the audit log and for export/import."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from smartspec.registry.models.base import UTCDateTime

__all__ = ["REDACTED", "decode", "encode", "is_redacted_column"]

#: What the audit log shows instead of personal data and secrets.
REDACTED = "<redacted>"


def encode(value: Any) -> Any:
    """A column value as a JSON value (dates and times in ISO 8601, enums by value).

    >>> encode(dt.date(2019, 10, 1)), encode(dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    ('2019-10-01', '2024-01-02T03:04:05+00:00')
    """
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    raise TypeError(f"cannot encode {type(value).__name__} value {value!r}")


def decode(column: sa.Column[Any], value: Any) -> Any:
    """The inverse of :func:`encode` for a value of ``column``."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, sa.Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    return value


def is_redacted_column(column: sa.Column[Any]) -> bool:
    """True for personal or secret columns, which the audit log does not record."""
    return bool(column.info.get("personal") or column.info.get("secret"))

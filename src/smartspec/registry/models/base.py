"""Declarative base, naming convention and column types shared by every registry table."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from smartspec.registry.dates import DatePrecision

__all__ = [
    "PERSONAL",
    "SECRET",
    "Base",
    "UTCDateTime",
    "enum_type",
    "utcnow",
]

#: Stable constraint names, so that later migrations can address every constraint
#: (SQLite's batch mode needs names) and PostgreSQL and SQLite agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: ``Column.info`` flag: personal data (kept out of the audit log, erasable).
PERSONAL = {"personal": True}
#: ``Column.info`` flag: a secret (kept out of the audit log and of exports' audit).
SECRET = {"secret": True}


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A point in time, stored as naive UTC, returned timezone-aware (UTC).

    Both SQLite and PostgreSQL keep microseconds, so values round-trip exactly.
    """

    impl = sa.DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a naive datetime cannot be stored in the registry: {value!r}")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # pragma: no cover - SQLite returns datetime already
            value = dt.datetime.fromisoformat(value)
        result: dt.datetime = value.replace(tzinfo=dt.UTC)
        return result


def enum_type(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enumeration: VARCHAR with a CHECK constraint, storing the ``.value``."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Base class of every registry table."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        dt.datetime: UTCDateTime(),
        DatePrecision: enum_type(DatePrecision, "date_precision"),
    }


class IdMixin:
    """An integer surrogate key ``id``."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-10)


class CreatedMixin:
    """When the row entered the registry."""

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

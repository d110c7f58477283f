"""AuditEntry: one row per written row: who, when, what, before and after."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import Base, IdMixin, enum_type

__all__ = ["AuditAction", "AuditEntry"]


class AuditAction(enum.StrEnum):
    """The kind of write."""

    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


class AuditEntry(IdMixin, Base):
    """A write to a registry table, recorded in the same transaction as the write.

    Attributes
    ----------
    actor:
        Who wrote (the account or OS user name).
    operation:
        The service operation, e.g. ``import_yaml``, ``rename_priority``.
    row_key:
        The primary key of the written row, as JSON (``{"id": 7}``).
    before, after:
        The row's columns before and after (``None`` for an insert / a delete).
        Personal and secret columns are replaced by ``"<redacted>"``.
    """

    __tablename__ = "audit_log"

    recorded_at: Mapped[dt.datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(sa.String(200))
    operation: Mapped[str] = mapped_column(sa.String(100))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    table_name: Mapped[str] = mapped_column(sa.String(100), index=True)
    row_key: Mapped[str] = mapped_column(sa.String(200))
    action: Mapped[AuditAction] = mapped_column(enum_type(AuditAction, "audit_action"))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

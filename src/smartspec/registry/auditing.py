"""The audit trail: every row written through a registry session is logged.

:class:`RegistrySession` is the ORM session the registry uses. After each flush it writes
one :class:`~smartspec.registry.models.audit.AuditEntry` per inserted, updated or deleted
row, in the same transaction (so a rolled-back write leaves no audit entry either), with
the row's columns before and after. Who and why come from ``session.info``:
``actor``, ``operation``, ``reason`` and ``now`` (the transaction's time).

Before each flush it refuses changes to revisions, which are immutable.
"""

from __future__ import annotations

import json
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from smartspec.registry.errors import ImmutableError
from smartspec.registry.models import AuditAction, AuditEntry, Base
from smartspec.registry.models.base import utcnow
from smartspec.registry.models.revision import RevisionPriority, StrategyRevision
from smartspec.registry.serial import REDACTED, encode, is_redacted_column

__all__ = ["RegistrySession", "row_key", "row_values"]

_IMMUTABLE = (StrategyRevision, RevisionPriority)
_AUDIT_TABLE = cast(sa.Table, AuditEntry.__table__)


class RegistrySession(Session):
    """A session whose writes are audited and whose revisions cannot change."""


def row_values(obj: Base, *, previous: bool = False) -> dict[str, Any]:
    """The row's column values as JSON (personal data and secrets redacted).

    With ``previous``, the values before the pending changes.
    """
    state = sa.inspect(obj)
    mapper = state.mapper
    values: dict[str, Any] = {}
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if not isinstance(column, sa.Column):  # pragma: no cover - no SQL expressions mapped
            continue
        attr = state.attrs[prop.key]
        if previous:
            history = attr.history
            value = history.deleted[0] if history.deleted else attr.loaded_value
        else:
            value = state.dict.get(prop.key)
        if value is sa.orm.base.NO_VALUE:
            value = None
        if is_redacted_column(column) and value is not None:
            value = REDACTED
        values[column.name] = encode(value)
    return values


def row_key(obj: Base) -> str:
    """The primary key of the row as compact JSON, e.g. ``{"id":7}``."""
    mapper = sa.inspect(obj).mapper
    identity = mapper.primary_key_from_instance(obj)
    key = {col.name: encode(v) for col, v in zip(mapper.primary_key, identity, strict=True)}
    return json.dumps(key, sort_keys=True, separators=(",", ":"))


@event.listens_for(RegistrySession, "before_flush")
def _before_flush(session: Session, _ctx: UOWTransaction, _objs: Any) -> None:
    """Refuse changes to revisions; remember the old values of changed and deleted rows.

    (The old values must be taken now: after the flush, the ORM has already reset the
    history of some columns, such as the strategy's version counter.)
    """
    pending: list[tuple[Base, AuditAction, dict[str, Any]]] = []
    for obj in session.deleted:
        if isinstance(obj, _IMMUTABLE):
            raise ImmutableError(f"revisions are immutable: cannot delete {obj!r}")
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            pending.append((obj, AuditAction.DELETE, row_values(obj, previous=True)))
    for obj in session.dirty:
        if not isinstance(obj, Base) or isinstance(obj, AuditEntry):
            continue
        if isinstance(obj, _IMMUTABLE) and session.is_modified(obj, include_collections=True):
            raise ImmutableError(
                f"revisions are immutable: cannot change {obj!r}; record a new revision instead"
            )
        if not session.is_modified(obj, include_collections=False):
            continue
        pending.append((obj, AuditAction.UPDATE, row_values(obj, previous=True)))
    session.info["_audit_pending"] = pending


@event.listens_for(RegistrySession, "after_flush")
def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    """Write one audit entry per inserted, updated and deleted row."""
    pending = session.info.pop("_audit_pending", [])
    if not session.info.get("audit", True):
        return
    now = session.info.get("now") or utcnow()
    common = {
        "recorded_at": now,
        "actor": session.info.get("actor") or "unknown",
        "operation": session.info.get("operation") or "session",
        "reason": session.info.get("reason"),
    }
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            rows.append(_entry(obj, AuditAction.INSERT, None, row_values(obj), common))
    for obj, action, before in pending:
        if action is AuditAction.DELETE:
            rows.append(_entry(obj, action, before, None, common))
            continue
        after = row_values(obj)
        if after != before:
            rows.append(_entry(obj, action, before, after, common))
    if rows:
        rows.sort(key=lambda r: (r["table_name"], r["action"].value, r["_order"]))
        for row in rows:
            del row["_order"]
        session.connection().execute(sa.insert(_AUDIT_TABLE), rows)


def _entry(
    obj: Base,
    action: AuditAction,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    common: dict[str, Any],
) -> dict[str, Any]:
    return {
        **common,
        "table_name": cast(sa.Table, sa.inspect(obj).mapper.local_table).name,
        "row_key": row_key(obj),
        "_order": tuple(sa.inspect(obj).mapper.primary_key_from_instance(obj)),
        "action": action,
        "before": before,
        "after": after,
    }

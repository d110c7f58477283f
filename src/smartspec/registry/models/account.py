"""Account and AccountRegion: who may edit which regions' strategies.

The permission table is recorded here; the web app enforces it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartspec.registry.models.base import PERSONAL, SECRET, Base, CreatedMixin, IdMixin

__all__ = ["Account", "AccountRegion"]


class Account(IdMixin, CreatedMixin, Base):
    """A user account of the registry (an editor, an analyst, an administrator)."""

    __tablename__ = "account"

    username: Mapped[str] = mapped_column(sa.String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(sa.String(300), info=PERSONAL)
    email: Mapped[str | None] = mapped_column(sa.String(300), info=PERSONAL)
    password_hash: Mapped[str | None] = mapped_column(sa.String(500), info=SECRET)
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class AccountRegion(Base):
    """Permission: the account may edit the strategies of the region."""

    __tablename__ = "account_region"

    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"), primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("region.id"), primary_key=True, index=True)
    granted_at: Mapped[dt.datetime]
    granted_by: Mapped[str] = mapped_column(sa.String(200))

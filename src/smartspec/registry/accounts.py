"""Accounts and the regions they may edit; erasing a person's personal data.

An account may edit the strategies of the regions it has been granted (an admin every
strategy; a joint strategy needs a grant for one of its regions). Erasing a person
blanks their personal fields on request and keeps the row and its participations. Each
write is one audited transaction. :class:`AccountAdmin` is part of
:class:`~smartspec.registry.service.Registry`.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry.models import Account, AccountRegion, Person, Region
from smartspec.registry.queries import find_region, find_strategy
from smartspec.registry.transactions import RegistryBase

__all__ = ["AccountAdmin"]


class AccountAdmin(RegistryBase):
    """The account and personal-data operations of
    :class:`~smartspec.registry.service.Registry`."""

    # ------------------------------------------------------------------ accounts

    def add_account(
        self,
        username: str,
        *,
        display_name: str | None = None,
        email: str | None = None,
        is_admin: bool = False,
        author: str | None = None,
    ) -> None:
        """Create an account (it may edit no region until :meth:`grant`)."""
        name = username.strip()
        if not name:
            raise InputError("the user name is empty")
        with self.session(author=author, operation="add_account") as s:
            if s.scalar(sa.select(Account).where(Account.username == name)) is not None:
                raise InputError(f"account {name!r} exists already")
            s.add(Account(username=name, display_name=display_name, email=email, is_admin=is_admin))

    def grant(self, username: str, regions: Iterable[str], *, author: str | None = None) -> None:
        """Let an account edit the strategies of these regions."""
        with self.session(author=author, operation="grant") as s:
            account = _account(s, username)
            have = set(
                s.scalars(
                    sa.select(AccountRegion.region_id).where(AccountRegion.account_id == account.id)
                )
            )
            for code in regions:
                region = find_region(s, code)
                if region.id not in have:
                    s.add(
                        AccountRegion(
                            account_id=account.id,
                            region_id=region.id,
                            granted_at=s.info["now"],
                            granted_by=author or self.user,
                        )
                    )
                    have.add(region.id)

    def revoke(self, username: str, regions: Iterable[str], *, author: str | None = None) -> None:
        """Withdraw an account's right to edit these regions."""
        with self.session(author=author, operation="revoke") as s:
            account = _account(s, username)
            for code in regions:
                region = find_region(s, code)
                row = s.get(AccountRegion, (account.id, region.id))
                if row is not None:
                    s.delete(row)

    def editable_regions(self, username: str) -> list[str]:
        """The codes of the regions the account may edit."""
        with self._reading() as s:
            account = _account(s, username)
            return list(
                s.scalars(
                    sa.select(Region.code)
                    .join(AccountRegion, AccountRegion.region_id == Region.id)
                    .where(AccountRegion.account_id == account.id)
                    .order_by(Region.code)
                )
            )

    def can_edit(self, username: str, strategy: str) -> bool:
        """True if the account may edit the strategy (admins may edit every strategy;
        a joint strategy needs a permission for one of its regions)."""
        with self._reading() as s:
            account = _account(s, username)
            if not account.active:
                return False
            if account.is_admin:
                return True
            found = find_strategy(s, strategy)
            allowed = set(
                s.scalars(
                    sa.select(AccountRegion.region_id).where(AccountRegion.account_id == account.id)
                )
            )
            return any(r.id in allowed for r in found.regions)

    # ------------------------------------------------------------------ persons

    def erase_person(
        self, person_id: int, *, author: str | None = None, reason: str | None = None
    ) -> None:
        """Erase a person's personal data; the row and its participations stay.

        The audit log never held the personal fields, so it needs no change.
        """
        with self.session(
            author=author, operation="erase_person", reason=reason or "erasure request"
        ) as s:
            person = s.get(Person, person_id)
            if person is None:
                raise UnknownCodeError("person", str(person_id))
            person.name = None
            person.email = None
            person.consent = False
            person.erased_at = s.info["now"]


def _account(s: Session, username: str) -> Account:
    account = s.scalar(sa.select(Account).where(Account.username == username.strip()))
    if account is None:
        raise UnknownCodeError("account", username)
    return account

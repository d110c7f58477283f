"""Accounts and the regions each may edit (enforced later by the web app)."""

from __future__ import annotations

import pytest

from smartspec.errors import InputError, UnknownCodeError
from smartspec.registry import Registry


def test_permissions(bundled: Registry) -> None:
    bundled.add_account("anna", display_name="Anna", email="anna@example.org")
    bundled.add_account("admin", is_admin=True)
    assert bundled.editable_regions("anna") == []
    bundled.grant("anna", ["SE211", "Örebro"])
    bundled.grant("anna", ["SE211"])  # granting twice is harmless
    assert bundled.editable_regions("anna") == ["SE124", "SE211"]
    assert bundled.can_edit("anna", "SE211")
    assert not bundled.can_edit("anna", "SE110")
    assert bundled.can_edit("anna", "SE121+SE122+SE123+SE124+SE125")  # via SE124
    assert bundled.can_edit("admin", "SE110")
    bundled.revoke("anna", ["SE211"])
    assert bundled.editable_regions("anna") == ["SE124"]
    entries = bundled.audit_log(table="account_region")
    assert [e.action for e in entries] == ["insert", "insert", "delete"]
    account = bundled.audit_log(table="account")[0]
    assert account.after is not None
    assert account.after["email"] == "<redacted>"


def test_account_errors(bundled: Registry) -> None:
    bundled.add_account("anna")
    with pytest.raises(InputError, match="exists already"):
        bundled.add_account("anna")
    with pytest.raises(UnknownCodeError, match="unknown account 'bertil'"):
        bundled.grant("bertil", ["SE211"])
    with pytest.raises(UnknownCodeError, match="unknown region 'SE999'"):
        bundled.grant("anna", ["SE999"])
    assert bundled.editable_regions("anna") == []

"""The Swedish län."""

from __future__ import annotations

import pytest

from smartspec import geo
from smartspec.errors import InputError, UnknownCodeError

LAN = geo.lan()
FORMS = [(item.code, form) for item in LAN for form in item.forms]


def test_twenty_one_lan_in_code_order() -> None:
    assert len(LAN) == 21
    assert [item.code for item in LAN] == sorted(item.code for item in LAN)
    assert {item.code for item in LAN} == {
        r.code for r in geo.regions(2024, level=3, country="SE") if not r.extra_regio
    }
    assert len({item.scb_code for item in LAN}) == 21
    assert len({item.iso for item in LAN}) == 21


def test_jonkoping() -> None:
    item = geo.lan_by_scb_code("06")
    assert item == geo.Lan(
        code="SE211",
        nuts2="SE21",
        name="Jönköpings län",
        short_name="Jönköping",
        scb_code="06",
        iso="SE-F",
        forms=item.forms,
    )
    assert {"Jönköpings län", "Jönköping", "Region Jönköpings län", "Jonkoping"} <= set(item.forms)


def test_consistent_with_nuts() -> None:
    for item in LAN:
        region = geo.get_region(item.code)
        assert region.name == item.name
        assert region.parent == item.nuts2
        assert item.iso.startswith("SE-")
        assert len(item.scb_code) == 2
        assert item.scb_code.isdigit()


@pytest.mark.parametrize(("code", "form"), FORMS, ids=[f"{c}-{f}" for c, f in FORMS])
def test_every_form_resolves(code: str, form: str) -> None:
    assert geo.lookup(form, level=3).code == code
    assert geo.lookup(form.upper(), country="SE", level=3).code == code
    assert geo.lookup(form, version=2013, level=3).code == code
    if form == "Stockholm":
        # the one exception: "Stockholm" is the official name of the NUTS 2 region SE11
        assert geo.lookup(form).code == "SE11"
    else:
        assert geo.lookup(form).code == code


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ("Jonkoping", "SE211"),
        ("Orebro lan", "SE124"),
        ("Region Orebro lan", "SE124"),
        ("Sörmland", "SE122"),
        ("Region Jämtland Härjedalen", "SE322"),
        ("Vasterbotten", "SE331"),
        ("Gavleborgs lan", "SE313"),
    ],
)
def test_ascii_and_extra_forms(form: str, code: str) -> None:
    assert geo.lookup(form).code == code


@pytest.mark.parametrize("value", ["06", "6", 6, " 06 "])
def test_lan_by_scb_code_forms(value: str | int) -> None:
    assert geo.lan_by_scb_code(value).code == "SE211"


def test_lan_by_scb_code_unknown() -> None:
    with pytest.raises(UnknownCodeError, match="SCB county code '02'"):
        geo.lan_by_scb_code("02")  # not in use
    with pytest.raises(UnknownCodeError):
        geo.lan_by_scb_code("99")
    with pytest.raises(InputError):
        geo.lan_by_scb_code(None)  # type: ignore[arg-type]


def test_lan_returns_a_new_list() -> None:
    first = geo.lan()
    first.clear()
    assert len(geo.lan()) == 21

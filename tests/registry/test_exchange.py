"""JSON backup and restore: lossless, across backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartspec.errors import InputError
from smartspec.registry import Registry, open_registry
from smartspec.registry.models import Actor, FollowUp, Helix, Person


def _enrich(reg: Registry) -> None:
    """Edits, accounts and other tables, so the export covers more than the import."""
    reg.add_priority("SE211", "Rymdteknik", expected_version=3, author="alice", reason="test")
    reg.rename_priority("SE211", "Rymdteknik", "Rymd- och satellitteknik", expected_version=4)
    reg.update_strategy(
        "SE124",
        expected_version=2,
        vision="Hållbar tillväxt",
        status="adopted",
        period_start=2017,
        period_end=2024,
    )
    reg.add_account("alice", display_name="Alice A", email="alice@example.org")
    reg.grant("alice", ["SE211", "SE124"])
    with reg.session(reason="dialogue") as s:
        actor = Actor(name="Jönköping University", helix=Helix.ACADEMIA)
        s.add(actor)
        s.flush()
        s.add(Person(name="Anna Andersson", consent=True, actor_id=actor.id))
        strategy_id = s.execute(
            __import__("sqlalchemy").text("SELECT id FROM strategy WHERE code = 'SE211'")
        ).scalar_one()
        s.add(
            FollowUp(
                strategy_id=strategy_id,
                noted_on=__import__("datetime").date(2024, 3, 1),
                author="alice",
                text="Uppföljning: bra fart i e-handel.",
            )
        )


def test_export_import_round_trips_exactly(bundled: Registry, tmp_path: Path) -> None:
    _enrich(bundled)
    path = tmp_path / "backup.json"
    exported = bundled.export_json(path)
    assert json.loads(path.read_text("utf-8")) == exported
    assert exported["schema"] == bundled.schema_revision()
    assert len(exported["tables"]["audit_log"]) > 300
    with open_registry(tmp_path / "restored.sqlite", user="restorer") as restored:
        count = restored.import_json(path)
        assert count == sum(len(rows) for rows in exported["tables"].values())
        assert restored.export_json() == exported
        assert restored.show("SE211").to_dict() == bundled.show("SE211").to_dict()
        assert restored.history("SE124") == bundled.history("SE124")
        # the restored registry keeps working: ids continue after the restored ones
        restored.add_priority("SE211", "Efter återställning", expected_version=5)
        assert restored.version("SE211") == 6


@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back(tmp_path: Path, pg_url: str) -> None:
    with open_registry(tmp_path / "source.sqlite", user="alice") as lite:
        lite.load_bundled()
        _enrich(lite)
        exported = lite.export_json()
        history = lite.history("SE211")
        shown = lite.show("SE124", at="2024-01-01")
    with open_registry(pg_url, user="bob") as pg:
        pg.import_json(exported)
        assert pg.export_json() == exported
        assert pg.history("SE211") == history
        assert pg.show("SE124", at="2024-01-01") == shown
        # sequences continue after the restored ids on PostgreSQL
        pg.add_priority("SE211", "Ny i PostgreSQL", expected_version=5)
        pg.add_account("bob")
        back = pg.export_json()
    with open_registry(tmp_path / "back.sqlite") as lite2:
        lite2.import_json(back)
        assert lite2.export_json() == back
        assert lite2.show("SE211").labels()[-1] == "Ny i PostgreSQL"


def test_restore_refuses_a_non_empty_registry(bundled: Registry) -> None:
    exported = bundled.export_json()
    with pytest.raises(InputError, match="the registry is not empty"):
        bundled.import_json(exported)


def test_restore_refuses_bad_exports(registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a smartspec registry export"):
        registry.import_json({"format": "other"})
    good = registry.export_json()
    with pytest.raises(InputError, match="schema '0000'"):
        registry.import_json({**good, "schema": "0000"})
    with pytest.raises(InputError, match="unknown table 'nope'"):
        registry.import_json({**good, "tables": {"nope": []}})
    bad = {**good, "tables": {"region": [{"id": 1, "code": "SE110", "name": "S", "x": 1}]}}
    with pytest.raises(InputError, match="table region, row 1: unknown column 'x'"):
        registry.import_json(bad)
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        registry.import_json(path)
    assert registry.export_json() == good

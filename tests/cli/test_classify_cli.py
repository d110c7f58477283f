"""`smartspec classify`: NACE divisions and themes for a priority text."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from smartspec.cli import app

runner = CliRunner()


def test_food_processing_puts_nace_10_first() -> None:
    result = runner.invoke(app, ["classify", "Livsmedel och livsmedelsförädling", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["nace"][0]["code"] == "10"
    assert payload["themes"][0]["code"] == "food"
    assert all(0.0 <= s["score"] <= 1.0 for s in payload["nace"] + payload["themes"])
    assert payload["nace"][0]["evidence"], "every suggestion says why"


def test_table_output_and_top() -> None:
    result = runner.invoke(app, ["classify", "Skogsnäring och träförädling", "--top", "2"])
    assert result.exit_code == 0, result.output
    assert "NACE Rev. 2 divisions" in result.output
    assert "Themes" in result.output


def test_top_limits_the_lists() -> None:
    result = runner.invoke(app, ["classify", "Life science", "--top", "1", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert len(payload["nace"]) <= 1
    assert len(payload["themes"]) <= 1


def test_empty_text_is_a_clear_error() -> None:
    result = runner.invoke(app, ["classify", "   "])
    assert result.exit_code == 1
    assert "error" in result.output.lower()
    assert "Traceback" not in result.output


def test_unknown_method_is_a_usage_error() -> None:
    result = runner.invoke(app, ["classify", "Livsmedel", "--method", "magic"])
    assert result.exit_code == 2
    assert "lexical" in result.output

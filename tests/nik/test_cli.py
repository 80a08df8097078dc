from __future__ import annotations

import json

from typer.testing import CliRunner

from jaga.cli import app

runner = CliRunner()


def test_a_valid_consistent_nik_exits_zero_with_its_fields() -> None:
    result = runner.invoke(
        app, ["nik", "check", "3374015508900001", "--birth-date", "1990-08-15", "--sex", "F"]
    )
    assert result.exit_code == 0, result.output
    assert "Kota Semarang" in result.output
    assert "1990-08-15" in result.output


def test_an_invalid_nik_exits_three_naming_every_problem() -> None:
    result = runner.invoke(app, ["nik", "check", "9974017513900000"])
    assert result.exit_code == 3
    assert "province code 99 does not exist" in result.output
    assert "month field 13" in result.output
    assert "serial 0000" in result.output


def test_a_nik_that_disagrees_with_the_given_sex_exits_three() -> None:
    result = runner.invoke(app, ["nik", "check", "3374015508900001", "--sex", "M"])
    assert result.exit_code == 3
    assert "inconsistent" in result.output


def test_json_output() -> None:
    result = runner.invoke(app, ["nik", "check", "3374011508900002", "--json"])
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["decoded"]["sex"] == "M"
    assert body["valid"] and body["consistent"]


def test_a_malformed_birth_date_is_a_usage_error() -> None:
    result = runner.invoke(app, ["nik", "check", "3374011508900002", "--birth-date", "15/08/1990"])
    assert result.exit_code == 2

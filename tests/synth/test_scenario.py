from __future__ import annotations

from pathlib import Path

import pytest

from jaga.errors import InvalidInput
from jaga.synth.scenario import Scenario, load_scenario


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_is_the_default_scenario() -> None:
    assert load_scenario(None) == Scenario()


def test_a_scenario_overrides_only_what_it_names(tmp_path: Path) -> None:
    scenario = load_scenario(
        write(
            tmp_path,
            """
name = "two rings in Bali"
province = "51"
[schemes.clinic_ring]
count = 2
babies = [5, 9]
hidden = 0.8
[noise]
typo = 0.2
""",
        )
    )
    assert scenario.province == "51" and scenario.schemes.clinic_ring.count == 2
    assert scenario.schemes.clinic_ring.babies == (5, 9) and scenario.noise.typo == 0.2
    assert scenario.schemes.fake_institution == Scenario().schemes.fake_institution


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'blue'", "colour: Extra inputs are not permitted"),
        ("[noise]\ntypo = 1.5", "noise.typo: Input should be less than or equal to 1"),
        ("[schemes.clinic_ring]\nbabies = [9, 2]", "babies must be \\[low, high\\]"),
        ("province = '99'", "not a two-digit province code"),
        ("[window]\nend = 2030-01-01", "no births in the future"),
        ("[population]\nregistered_within_60_days = 0.8\nregistered_late = 0.5", "must not exceed 1"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_bad_scenarios_are_refused_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        load_scenario(write(tmp_path, text))


def test_a_missing_scenario_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        load_scenario(tmp_path / "nope.toml")

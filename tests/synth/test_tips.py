"""`jaga synth` writes tips as the public sends them: the form's fields only, their truth apart, a few
schemes reported and many tips about nothing planted, the registry files untouched by them, and the same
files from the same seed in any process."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jaga.cli import app
from jaga.demo.tips import read_tips
from jaga.errors import InvalidInput
from jaga.synth.generator import synthesise
from jaga.synth.output import FILES
from jaga.synth.scenario import Scenario, load_scenario
from jaga.tips import TipIn
from tests.synth.conftest import read
from tests.synth.test_generator import TELLTALE, digest

MANY_RINGS = """
name = "many rings"
[schemes.clinic_ring]
count = 20
babies = [3, 5]
[schemes.fake_institution]
count = 6
[tips]
vague_per_10k_births = 20
"""


@pytest.fixture(scope="module")
def many_rings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`jaga synth` on the command line with twenty rings and six fake foundations."""
    folder = tmp_path_factory.mktemp("tips")
    (folder / "scenario.toml").write_text(MANY_RINGS, encoding="utf-8")
    out = folder / "synth"
    result = CliRunner().invoke(
        app,
        [
            "synth",
            "--births",
            "3000",
            "--seed",
            "21",
            "--out",
            str(out),
            "--scenario",
            str(folder / "scenario.toml"),
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_tips_hold_the_form_fields_only_and_every_row_is_a_valid_tip(many_rings: Path) -> None:
    with (many_rings / "tips.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == list(TipIn.model_fields)  # nothing the public form does not take: no truth
    tips = read_tips(many_rings / "tips.csv")
    manifest = json.loads((many_rings / "manifest.json").read_text())
    assert manifest["tips"] == {"file": "tips.csv", "rows": len(tips)}
    assert "tips.csv" not in {entry["file"] for entry in manifest["imports"]}  # not an agency's import
    truth = read(many_rings / "truth" / "tip_subjects.csv")
    assert [int(row["row"]) for row in truth] == list(range(1, len(tips) + 1))
    assert {row["about"] for row in truth} <= {"scheme", "innocent", "lookalike", "vague"}
    assert any(t.phone for t in tips) and any(t.handle for t in tips) and any(t.url for t in tips)


def test_only_some_schemes_are_reported(many_rings: Path) -> None:
    truth = read(many_rings / "truth" / "tip_subjects.csv")
    schemes = {row["scheme_id"]: row["type"] for row in read(many_rings / "truth" / "schemes.csv")}
    reported = {row["scheme_id"] for row in truth if row["about"] == "scheme"}
    rings = [s for s, kind in schemes.items() if kind == "clinic_ring"]
    assert 1 <= len(reported & set(rings)) <= len(rings) // 2  # 30 % of 20 rings on average: not most
    assert {schemes[s] for s in reported} <= {"clinic_ring", "fake_institution"}  # what a citizen can see


def test_by_default_most_tips_are_about_nothing_planted(tmp_path: Path) -> None:
    synthesise(births=20_000, seed=5, out=tmp_path, scenario=Scenario())
    about = Counter(row["about"] for row in read(tmp_path / "truth" / "tip_subjects.csv"))
    assert about["vague"] > 0 and about["innocent"] + about["lookalike"] > 0
    assert about["innocent"] + about["lookalike"] + about["vague"] > 2 * about["scheme"]


def test_each_tip_names_only_what_its_truth_says(many_rings: Path) -> None:
    members: dict[str, set[str]] = defaultdict(set)
    for row in read(many_rings / "truth" / "scheme_members.csv"):
        members[row["scheme_id"]].add(row["ref"])
    planted = set().union(*members.values())
    names = {
        row["ref"]: row.get("name") or row["full_name"]
        for file in ("facilities.csv", "institutions.csv", "attendants.csv")
        for row in read(many_rings / file)
    }
    tips = read(many_rings / "tips.csv")
    for row in read(many_rings / "truth" / "tip_subjects.csv"):
        tip, named = tips[int(row["row"]) - 1], row["named_ref"]
        if row["about"] == "scheme":
            assert not named or named in members[row["scheme_id"]]
        elif row["about"] == "vague":
            assert not named and row["named_as"] == "none"
        else:
            assert named and named not in planted
        if row["named_as"] == "full":
            assert names[named].lower() in tip["description"].lower()
        if row["named_as"] == "account":
            assert tip["handle"].startswith("@") and tip["handle"][1:] in names[named].lower().replace(
                " ", ""
            )


def test_tips_leave_every_other_file_as_it_was(tmp_path: Path) -> None:
    quiet = {
        "ring_tipped": 0,
        "institution_tipped": 0,
        "innocent_per_10k_births": 0,
        "vague_per_10k_births": 0,
    }
    loud = {
        "ring_tipped": 1,
        "institution_tipped": 1,
        "innocent_per_10k_births": 50,
        "vague_per_10k_births": 50,
    }
    for name, tips in (("quiet", quiet), ("loud", loud)):
        scenario = Scenario.model_validate({"province": "33", "tips": tips})
        synthesise(births=1500, seed=8, out=tmp_path / name, scenario=scenario)
    without, with_tips = digest(tmp_path / "quiet"), digest(tmp_path / "loud")
    assert len(read(tmp_path / "quiet" / "tips.csv")) == 0 < len(read(tmp_path / "loud" / "tips.csv"))
    registry = [f.name for f in FILES] + [
        "truth/identities.csv",
        "truth/scheme_members.csv",
        "truth/noise.json",
    ]
    assert {name: without[name] for name in registry} == {name: with_tips[name] for name in registry}


def test_nothing_in_the_tips_names_a_scheme(many_rings: Path) -> None:
    text = (many_rings / "tips.csv").read_text(encoding="utf-8").lower()
    assert not TELLTALE.findall(text)


@pytest.mark.slow  # synthesises the same province in fresh Python processes
def test_the_same_seed_gives_the_same_files_in_any_process(tmp_path: Path) -> None:
    """Each process hashes strings differently (PYTHONHASHSEED): nothing may depend on a set's order."""
    for hash_seed in ("1", "2"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jaga",
                "synth",
                "--births",
                "1500",
                "--seed",
                "3",
                "--out",
                str(tmp_path / hash_seed),
            ],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            check=True,
            capture_output=True,
        )
    assert digest(tmp_path / "1") == digest(tmp_path / "2")


def test_impossible_tip_settings_are_refused_with_their_path(tmp_path: Path) -> None:
    rate, sizes = tmp_path / "rate.toml", tmp_path / "sizes.toml"
    rate.write_text("[tips]\nring_tipped = 2\n", encoding="utf-8")
    sizes.write_text("[tips]\nper_tipped_scheme = [3, 1]\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"tips\.per_tipped_scheme must be \[low, high\]"):
        load_scenario(sizes)
    result = CliRunner().invoke(app, ["synth", "--out", str(tmp_path / "out"), "--scenario", str(rate)])
    assert result.exit_code == 3 and "tips.ring_tipped" in result.output


def test_a_bad_tip_row_is_refused_by_row_and_field_without_its_content(tmp_path: Path) -> None:
    path = tmp_path / "tips.csv"
    path.write_text(
        "platform,url,handle,phone,place,province,price_rupiah,description\n"
        "facebook,,Bunda Sari,0812-1111-2222,Semarang,33,15 juta,Ada yang jual bayi.\n"
        "facebook,,,nomor rahasia 555,,,,\n"
        "pager,,,,,,,Ada yang jual bayi.\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match=r"2 invalid tips \(row 2: phone; row 3: platform\)") as refused:
        read_tips(path)
    assert "rahasia" not in str(refused.value)

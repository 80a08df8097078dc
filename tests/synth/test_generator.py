"""The generated files: deterministic, complete in their truth, planted as the scenario says, noisy as
the scenario says, and telling nothing of the truth through refs, names or row order."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from jaga.errors import InvalidInput
from jaga.synth.generator import SynthSummary, synthesise
from jaga.synth.output import FILES
from jaga.synth.scenario import Scenario, load_scenario
from tests.synth.conftest import BIRTHS, read


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_same_seed_gives_the_same_files(synth_run: tuple[Path, SynthSummary], tmp_path: Path) -> None:
    out, _ = synth_run
    again = tmp_path / "again"
    synthesise(births=BIRTHS, seed=11, out=again, scenario=Scenario())
    assert digest(again) == digest(out)
    other = tmp_path / "other"
    synthesise(births=BIRTHS, seed=12, out=other, scenario=Scenario())
    assert digest(other)["people-facility.csv"] != digest(out)["people-facility.csv"]


def test_an_output_folder_in_use_is_refused(synth_run: tuple[Path, SynthSummary]) -> None:
    with pytest.raises(InvalidInput, match="not empty"):
        synthesise(births=BIRTHS, seed=1, out=synth_run[0], scenario=Scenario())


def test_the_manifest_is_the_import_plan(synth_run: tuple[Path, SynthSummary]) -> None:
    out, summary = synth_run
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["file"] for e in manifest["imports"]] == [f.name for f in FILES]
    for entry in manifest["imports"]:
        assert len(read(out / entry["file"])) == entry["rows"] == summary.files[entry["file"]]
    assert "scenario" not in manifest  # the scenario (what was planted) lives in truth/


def test_every_person_record_has_exactly_one_true_identity(synth_run: tuple[Path, SynthSummary]) -> None:
    out, _ = synth_run
    identities = read(out / "truth" / "identities.csv")
    by_ref = Counter(i["ref"] for i in identities)
    assert by_ref and max(by_ref.values()) == 1
    records = {r["ref"] for f in FILES if f.kind == "people" for r in read(out / f.name)}
    records |= {r["child_ref"] for f in FILES if f.kind == "births" for r in read(out / f.name)}
    assert records == set(by_ref)


def test_the_same_person_appears_in_several_sources_with_noise(synth_run: tuple[Path, SynthSummary]) -> None:
    out, _ = synth_run
    true_id = {i["ref"]: i["true_id"] for i in read(out / "truth" / "identities.csv")}
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for f in FILES:
        if f.kind == "people":
            for r in read(out / f.name):
                names[true_id[r["ref"]]][r["source_kind"]] = r["full_name"]
    both = [n for n in names.values() if "facility" in n and "civil_registry" in n]
    assert len(both) > 500
    differ = sum(1 for n in both if n["facility"] != n["civil_registry"])
    assert 0.05 < differ / len(both) < 0.5  # noisy, not unrecognisable
    several = sum(1 for n in names.values() if len(n) >= 3)
    assert several > 0  # some people are known to three or more agencies


def test_planted_counts_match_the_default_scenario(synth_run: tuple[Path, SynthSummary]) -> None:
    out, summary = synth_run
    schemes = read(out / "truth" / "schemes.csv")
    members = read(out / "truth" / "scheme_members.csv")
    config = Scenario().schemes
    types = Counter(s["type"] for s in schemes)
    assert types == {
        "clinic_ring": config.clinic_ring.count,
        "falsified_certificates": config.falsified_certificates.count,
        "fake_institution": config.fake_institution.count,
        "intercountry_skip": config.intercountry_skip.count,
        "missing_reappears": config.missing_reappears.count,
        "corrupt_registrar": config.corrupt_registrar.count,
    }
    roles = Counter(m["role"] for m in members)
    low, high = config.clinic_ring.babies
    assert low <= roles["ring_birth"] <= high
    low, high = config.falsified_certificates.certificates
    assert low <= summary.planted["falsified"] <= high
    assert roles["falsified_birth"] >= summary.planted["falsified"]  # ring babies can be falsified too
    low, high = config.fake_institution.children
    assert low <= roles["fake_institution_relinquishment"] <= high
    low, high = config.intercountry_skip.children
    assert low <= roles["skipping_case"] <= high
    assert roles["missing_report"] == config.missing_reappears.count
    low, high = config.corrupt_registrar.registrations
    assert low <= roles["suspicious_registration"] <= high
    lookalikes = Counter(row["type"] for row in read(out / "truth" / "lookalikes.csv"))
    assert lookalikes["referral_hospital"] == 1 and lookalikes["late_registration_region"] >= 1


def test_a_scenario_file_sets_the_planted_counts(tmp_path: Path) -> None:
    scenario_file = tmp_path / "s.toml"
    scenario_file.write_text(
        """
province = "35"
[schemes.clinic_ring]
count = 2
babies = [6, 6]
[schemes.fake_institution]
count = 0
[schemes.falsified_certificates]
count = 0
[schemes.intercountry_skip]
count = 0
[schemes.missing_reappears]
count = 1
[schemes.corrupt_registrar]
count = 2
registrations = [4, 4]
[lookalikes]
referral_hospitals = 0
""",
        encoding="utf-8",
    )
    out = tmp_path / "run"
    synthesise(births=2000, seed=5, out=out, scenario=load_scenario(scenario_file))
    members = read(out / "truth" / "scheme_members.csv")
    rings = Counter(m["scheme_id"] for m in members if m["role"] == "ring_birth")
    assert sorted(rings.values()) == [6, 6]
    assert Counter(m["role"] for m in members)["suspicious_registration"] == 8
    assert not [m for m in members if m["role"].startswith("fake_institution")]
    assert not [row for row in read(out / "truth" / "lookalikes.csv") if row["type"] == "referral_hospital"]
    facilities = {f["ref"]: f for f in read(out / "facilities.csv")}
    ring_facilities = {m["ref"] for m in members if m["role"] == "ring_facility"}
    assert all(facilities[r]["kind"] in ("clinic", "midwife_practice") for r in ring_facilities)
    assert all(facilities[r]["region_code"].startswith("35") for r in ring_facilities)


def _binomial_ok(applied: int, offered: int, rate: float) -> bool:
    if offered < 200:
        return True  # too few to say
    spread = 4 * math.sqrt(rate * (1 - rate) / offered) + 0.002
    return abs(applied / offered - rate) <= spread


def test_noise_rates_match_the_scenario(synth_run: tuple[Path, SynthSummary]) -> None:
    out, _ = synth_run
    noise = json.loads((out / "truth" / "noise.json").read_text())
    config = Scenario().noise
    checked = 0
    for key, counts in noise.items():
        kind, source = key.split(":")
        base = getattr(config, kind, None)
        if kind == "missing_nik":
            base = getattr(config, f"missing_nik_{source}", 0.0)
        if base is None:
            continue
        scaled = base * (
            0.3
            if source == "civil_registry"
            and kind in {"typo", "old_spelling", "swap_day_month", "missing_birth_date", "different_address"}
            else 0.6
            if source == "social_service"
            and kind in {"typo", "old_spelling", "swap_day_month", "missing_birth_date", "different_address"}
            else 1.0
        )
        assert _binomial_ok(counts["applied"], counts["offered"], scaled), (key, counts, scaled)
        checked += counts["offered"] >= 200
    assert checked >= 8


TELLTALE = re.compile(r"\b(ring|fake|scheme|planted|truth|buyer|falsif\w*|corrupt\w*|look-?alike)\b")


def test_nothing_outside_truth_names_a_scheme(synth_run: tuple[Path, SynthSummary]) -> None:
    out, _ = synth_run
    for name in [f.name for f in FILES] + ["tips.csv"]:
        text = (out / name).read_text(encoding="utf-8").lower()
        assert not TELLTALE.findall(text), (name, TELLTALE.findall(text)[:5])


def test_refs_are_opaque_and_unrelated_across_sources(synth_run: tuple[Path, SynthSummary]) -> None:
    out, _ = synth_run
    identities = read(out / "truth" / "identities.csv")
    refs = [i["ref"] for i in identities]
    assert all(len(r) == 16 and r[1] == "-" for r in refs)
    by_person: dict[str, list[str]] = defaultdict(list)
    for i in identities:
        by_person[i["true_id"]].append(i["ref"])
    shared_suffixes = sum(1 for rs in by_person.values() if len({r[-4:] for r in rs}) < len(rs))
    assert shared_suffixes < 0.01 * len(by_person)

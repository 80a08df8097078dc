"""`jaga altgen people`: an independent generator of agencies' person records, with the truth kept apart.

These tests may read the truth (the Dataset and truth.csv); the linkage they run reads records.csv only.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from jaga.altgen import INDONESIAN_KINDS, Dataset, generate, write
from jaga.altgen.agencies import RECORD_COLUMNS, TRUTH_COLUMNS, Record
from jaga.altgen.family import REFERENCE_DAY
from jaga.cli import app
from jaga.nik import Sex, check_nik
from jaga.regions import load_directory


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(3000, seed=11)


def test_the_same_seed_writes_the_same_files_and_another_seed_other_files(tmp_path: Path) -> None:
    first = write(generate(300, seed=5), tmp_path / "a")
    again = write(generate(300, seed=5), tmp_path / "b")
    other = write(generate(300, seed=6), tmp_path / "c")
    for one, two in zip(first, again, strict=True):
        assert one.read_bytes() == two.read_bytes()
    assert first[0].read_bytes() != other[0].read_bytes()


def test_records_file_holds_no_truth_and_truth_file_covers_every_record(tmp_path: Path) -> None:
    dataset = generate(400, seed=3)
    records_csv, truth_csv = write(dataset, tmp_path)
    records, truth = _read(records_csv), _read(truth_csv)
    assert tuple(records[0]) == RECORD_COLUMNS  # no entity id, no noise, no role column
    assert tuple(truth[0]) == TRUTH_COLUMNS
    text = records_csv.read_text(encoding="utf-8")
    entity_ids = {p.entity_id for p in dataset.persons}
    assert not any(entity_id in text for entity_id in entity_ids)
    assert [r["record_id"] for r in records] == [t["record_id"] for t in truth]
    assert {t["entity_id"] for t in truth} == entity_ids  # every person has a record
    assert len({r["record_id"] for r in records}) == len(records)
    assert {r["source"] for r in records} == {"clinic", "dukcapil", "lksa"}
    for row in truth:  # the flag says whether any noise applied is Indonesian-specific
        kinds = {kind.removeprefix("mother:") for kind in row["noise"].split(";") if kind}
        assert row["indonesian_noise"] == str(int(bool(kinds & INDONESIAN_KINDS)))
    # Record ids are given after shuffling: the records of one person are not next to each other.
    owners = [t["entity_id"] for t in truth]
    assert sum(a == b for a, b in pairwise(owners)) < len(owners) * 0.05


def _share(records: list[Record], test: Callable[[Record], bool]) -> float:
    return sum(test(r) for r in records) / len(records)


def _name_matches(pattern: str) -> Callable[[Record], bool]:
    compiled = re.compile(pattern)
    return lambda r: bool(compiled.search(r.full_name))


# Each phenomenon, as a reader of the records sees it, with the share of records it should appear in:
# often enough to measure, rarely enough to be noise rather than the rule.
PHENOMENA: dict[str, tuple[str, float, float]] = {
    "Muhammad spelled otherwise or abbreviated": (
        r"(?i)^(Muhamad|Mohamm?ad|Mochamm?ad|Moehammad|Mukhamad|M\.?|Moh\.|Moch\.|Mhd\.|Muh\.|Mohd\.) ",
        0.003,
        0.1,
    ),
    "Chinese-Indonesian Chinese name": (
        r"(?i)^(Lim|Liem|Tan|Oei|Go|Kwee|Ong|The|Wong) [A-Z][a-z]+ ",
        0.005,
        0.1,
    ),
    "titles and honorifics": (
        r"(?i)(^(Hj\.?|H\.|Haji|Hajjah|Ny\.|Ibu|Bu|Nyonya|Ir\.|Dr\.|Dra\.|An\.) |, S\.)",
        0.03,
        0.3,
    ),
    "bin/binti": (r"(?i) (bin|binti|bt\.|b\.) ", 0.005, 0.1),
    "unnamed newborn placeholder": (r"(?i)^(By\.? Ny\.?|Bayi Ny\.|Bayi dari) ", 0.1, 0.45),
    "Balinese birth-order name": (
        r"(?i)\b(Wayan|Putu|Gede|Made|Kadek|Nengah|Nyoman|Komang|Ketut)\b",
        0.01,
        0.15,
    ),
    "Batak clan": (
        r"(?i)\b(Siregar|Nasution|Harahap|Lubis|Simanjuntak|Sinaga|Hutapea|Panjaitan)\b",
        0.01,
        0.15,
    ),
    "clan written first (name order)": (r"^[A-Za-z]+, ", 0.001, 0.05),
    "Arabic-derived spelling variant": (
        r"\b(Aisah|Aishah|Hadijah|Khodijah|Patimah|Rizky|Rizqi|Yusup|Saiful)\b",
        0.002,
        0.1,
    ),
}


@pytest.mark.parametrize("phenomenon", sorted(PHENOMENA))
def test_each_name_phenomenon_appears_at_a_plausible_rate(dataset: Dataset, phenomenon: str) -> None:
    pattern, low, high = PHENOMENA[phenomenon]
    share = _share(dataset.records, _name_matches(pattern))
    assert low <= share <= high, f"{phenomenon}: {share:.4f} of records, expected {low}-{high}"


def test_single_javanese_names_nicknames_and_nik_only_dates_are_there(dataset: Dataset) -> None:
    persons = dataset.persons
    mononyms = sum(p.name.mononym and p.name.tradition == "javanese" for p in persons) / len(persons)
    assert 0.03 <= mononyms <= 0.25
    by_id = {p.entity_id: p for p in persons}
    nicknamed = [
        r
        for r, t in zip(dataset.records, dataset.truth, strict=True)
        if r.full_name.split()[0] == by_id[t.entity_id].name.nickname
        and by_id[t.entity_id].name.nickname not in by_id[t.entity_id].name.full.split()
    ]
    assert 0.002 <= len(nicknamed) / len(dataset.records) <= 0.05
    nik_only = _share(dataset.records, lambda r: not r.birth_date and len(r.nik) == 16)
    assert 0.03 <= nik_only <= 0.25
    kinds = {kind.removeprefix("mother:") for t in dataset.truth for kind in t.noise}
    assert kinds >= INDONESIAN_KINDS  # every Indonesian-specific kind occurs
    assert {"typo", "ocr", "nik_typo", "missing_dob", "date_swapped", "moved"} <= kinds


def test_niks_are_16_digits_and_those_left_intact_decode_to_the_person(dataset: Dataset) -> None:
    directory = load_directory()
    by_id = {p.entity_id: p for p in dataset.persons}
    intact = mistyped = 0
    for record, truth in zip(dataset.records, dataset.truth, strict=True):
        person = by_id[truth.entity_id]
        if not record.nik:
            continue
        if "nik_typo" in truth.noise:
            assert record.nik != person.nik
            mistyped += 1
            continue
        assert re.fullmatch(r"\d{16}", record.nik)
        if "kk_as_nik" in truth.noise:
            assert record.nik == person.kk
            continue
        check = check_nik(
            record.nik,
            directory=directory,
            today=REFERENCE_DAY,
            birth_date=person.birth_date,
            sex=Sex(person.sex),
        )
        assert check.consistent, (check.problems, check.inconsistencies)
        intact += 1
    assert intact > len(dataset.persons) and mistyped > 10
    assert len({p.nik for p in dataset.persons}) == len(dataset.persons)


def test_the_command_writes_both_files_and_jaga_link_csv_reads_them(tmp_path: Path) -> None:
    out = tmp_path / "altgen"
    made = _run("altgen", "people", "--entities", "80", "--seed", "4", "--out", str(out))
    assert made.exit_code == 0, made.output
    assert "80 persons" in made.output
    records, truth = out / "records.csv", out / "truth.csv"
    assert records.is_file() and truth.is_file()

    linked = _run(
        "link", "csv", str(records), "--id", "record_id",
        "--map", "full_name=full_name", "--map", "date_of_birth=birth_date", "--map", "sex=sex",
        "--map", "national_id=nik", "--map", "mother_name=mother_name", "--map", "address=address",
        "--map", "region=region_code",
        "--out", str(tmp_path / "pairs.csv"), "--clusters", str(tmp_path / "clusters.csv"),
    )  # fmt: skip
    assert linked.exit_code == 0, linked.output
    assert _read(tmp_path / "pairs.csv")  # it found pairs

    scored = _run(
        "altgen", "score", str(truth), "--pairs", str(tmp_path / "pairs.csv"),
        "--clusters", str(tmp_path / "clusters.csv"), "--by-kind",
    )  # fmt: skip
    assert scored.exit_code == 0, scored.output
    assert "indonesian" in scored.output and "precision" in scored.output
    assert "by noise kind" in scored.output


def test_an_out_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("x", encoding="utf-8")
    result = _run("altgen", "people", "--entities", "5", "--out", str(taken))
    assert result.exit_code == 3
    assert "is a file" in result.output
    assert taken.read_text(encoding="utf-8") == "x"


def test_score_without_pairs_or_clusters_is_refused(tmp_path: Path) -> None:
    result = _run("altgen", "score", str(tmp_path / "truth.csv"))
    assert result.exit_code == 3
    assert "--pairs" in result.output


def test_the_generator_loads_neither_jaga_synth_nor_names_nor_linkage() -> None:
    code = (
        "import sys, jaga.altgen, jaga.altgen.cli, jaga.altgen.evaluate; "
        "print(sorted(m for m in sys.modules if m.split('.')[:2] in "
        "(['jaga', 'synth'], ['jaga', 'names'], ['jaga', 'linkage'])))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"

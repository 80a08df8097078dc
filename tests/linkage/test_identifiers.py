"""Generic identifiers, KK numbers and ordinary address columns in `jaga link csv`, on a register built
from `jaga synth` people whose identifiers are miscopied the ways clerks miscopy them (the truth is read
only to build the files and to judge)."""

from __future__ import annotations

import csv
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from jaga.bench.linkage_data import synth_identities
from jaga.cli import app
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario

HEADER = ["id", "nama", "tgl", "nik", "paspor", "no_rm", "kk", "kodepos", "kelurahan", "alamat"]


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, ["link", "csv", *args])


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


STREETS = (
    "Melati",
    "Mawar",
    "Kenanga",
    "Anggrek",
    "Sudirman",
    "Merdeka",
    "Pahlawan",
    "Diponegoro",
    "Ahmad Yani",
    "Kartini",
)


def _number(seed: str, digits: int) -> str:
    return str(zlib.crc32(seed.encode()) % 10**digits).zfill(digits)


def _typo(value: str) -> str:
    return value[:-1] + str((int(value[-1]) + 1) % 10)


def _swap(value: str) -> str:
    return value[:2] + value[3] + value[2] + value[4:] if value[2] != value[3] else _typo(value)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A hospital's register: people's names and birth dates (no NIK, only foreign-style identifiers: a
    passport and a patient number), a KK, postcode, village and street; a person's second record has the
    passport miscopied (one typo, or two digits swapped) and no patient number."""
    folder = tmp_path_factory.mktemp("identifiers")
    synth = folder / "synth"
    synthesise(births=500, seed=13, out=synth, scenario=Scenario(name="ids", province="33"))
    truth = synth_identities(synth)
    people = [*_read(synth / "people-facility.csv"), *_read(synth / "people-civil-registry.csv")]
    seen: dict[str, int] = {}
    rows = []
    for p in people:
        person = truth[p["ref"]]
        seen[person] = seen.get(person, 0) + 1
        passport = "A" + _number(person, 7)
        if seen[person] > 1:  # copied again: right, with a typo, or with two digits swapped
            passport = (passport, _typo(passport), _swap(passport))[int(_number(p["ref"], 1)) % 3]
        region = p["address_region_code"] or "3300000000"
        home = person if int(_number("h" + p["ref"], 1)) < 8 else p["ref"]  # one in five has moved
        family = person if int(_number("f" + p["ref"], 1)) < 7 else p["ref"]  # a new KK after marriage
        rows.append(
            [
                p["ref"],
                p["full_name"],
                p["birth_date"],
                "",
                passport if int(_number("p" + p["ref"], 1)) < 8 else "",
                "RM" + _number("rm" + person, 6) if int(_number("r" + p["ref"], 1)) < 5 else "",
                _number("kk" + family, 16) if int(_number("k" + p["ref"], 1)) < 6 else "",
                "5" + region[2:5] + _number("pos" + home, 1),  # postcode and village: the region's
                "Desa " + region[4:6] + _number("desa" + home, 1),
                f"Jl. {STREETS[int(_number('st' + home, 1))]} No. {_number('no' + home, 2)} RT 01",
            ]
        )
    path = folder / "rs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path, truth


ALL_ROLES = [
    "--map", "full_name=nama", "--map", "date_of_birth=tgl", "--map", "identifier=paspor,no_rm",
    "--map", "family_id=kk", "--map", "postcode=kodepos", "--map", "locality=kelurahan",
    "--map", "address=alamat",
]  # fmt: skip


def test_several_identifier_columns_are_compared_exactly_with_a_typo_or_a_swap(
    register: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, truth = register
    out = tmp_path / "pairs.csv"
    result = _run(str(path), *ALL_ROLES, "--out", str(out))
    assert result.exit_code == 0, result.output
    pairs = _read(out)
    explanations = " | ".join(p["explanation"] for p in pairs)
    assert "same identifier 1" in explanations and "same identifier 2" in explanations
    assert "identifier 1 differs by one typo" in explanations
    assert "identifier 1 has two characters swapped" in explanations
    assert "same postcode" in explanations and "same locality" in explanations
    correct = sum(truth[p["left_id"]] == truth[p["right_id"]] for p in pairs)
    assert len(pairs) > 50 and correct / len(pairs) > 0.95, (correct, len(pairs))


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_a_shared_kk_alone_does_not_make_two_people_one(
    register: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, _ = register
    rows = [list(r.values()) for r in _read(path)]
    # A mother's record, and a child of hers recorded with nothing but the family's KK number and home.
    mother = next(r for r in rows if r[6])
    child = ["ANAK-1", "", "", "", "", "", *mother[6:]]
    combined = _write(tmp_path / "rs-kk.csv", [*rows, child])
    out, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    result = _run(str(combined), *ALL_ROLES, "--out", str(out), "--clusters", str(clusters))
    assert result.exit_code == 0, result.output
    assert not [p for p in _read(out) if "ANAK-1" in (p["left_id"], p["right_id"])]
    cluster_of = {m["id"]: m["cluster_id"] for m in _read(clusters)}
    assert [i for i, c in cluster_of.items() if c == cluster_of["ANAK-1"]] == ["ANAK-1"]


def test_a_national_id_that_is_not_a_nik_is_kept_as_an_identifier(
    register: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, _ = register
    out = tmp_path / "pairs.csv"
    # The passports in the national_id column: once thrown away as "not a NIK", now an identifier.
    result = _run(
        str(path), "--map", "full_name=nama", "--map", "date_of_birth=tgl", "--map", "national_id=paspor",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    explanations = " | ".join(p["explanation"] for p in _read(out))
    assert "same national id (not a NIK)" in explanations or "national id (not a NIK) differs" in explanations


def test_postcode_locality_and_address_weigh_in_a_pair(
    register: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, _ = register
    rows = [list(r.values()) for r in _read(path)]
    twin = [
        "X-1",
        "Rina Kusumawati",
        "1990-04-02",
        "",
        "",
        "",
        "",
        "51234",
        "Desa Mulya",
        "Jl. Kenanga No. 7",
    ]
    same_place = ["X-2", *twin[1:]]
    elsewhere = ["X-3", *twin[1:7], "59876", "Desa Jaya", "Jl. Anggrek No. 90"]
    combined = _write(tmp_path / "rs-place.csv", [*rows, twin, same_place, elsewhere])
    out = tmp_path / "pairs.csv"
    result = _run(str(combined), *ALL_ROLES, "--out", str(out), "--threshold", "0.000000001")
    assert result.exit_code == 0, result.output
    by_pair = {frozenset((p["left_id"], p["right_id"])): p for p in _read(out)}
    near, far = by_pair[frozenset(("X-1", "X-2"))], by_pair[frozenset(("X-1", "X-3"))]
    # The writer guards a leading "-" against spreadsheet formulas with a quote.
    assert float(near["match_weight"]) > float(far["match_weight"].lstrip("'"))
    for level in ("same postcode", "same locality", "same address"):
        assert level in near["explanation"]
    assert "different postcodes" in far["explanation"] and "different addresses" in far["explanation"]

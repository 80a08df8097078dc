"""`jaga link csv`: an agency's spreadsheets linked or deduplicated from the command line, judged against the
synthetic identity truth (this test may read the truth; the linkage runs without it)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from jaga.bench.linkage_data import synth_identities
from jaga.cli import app
from jaga.linkage import csvmode, csvread
from jaga.linkage.csvmode import Mapping, parse_mapping
from jaga.linkage.features import FeatureReport, feature_row, feature_table
from jaga.linkage.roles import Role
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, ["link", "csv", *args])


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _dmy(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else ""


HEADER = ["NO", "DEPAN", "BELAKANG", "TGL_LAHIR", "NIK", "JK", "WILAYAH"]
MAPPING = [
    "--id", "NO",
    "--map", "full_name=DEPAN,BELAKANG",  # a role over two columns, joined in order
    "--map", "date_of_birth=TGL_LAHIR",
    "--map", "national_id=NIK",
    "--map", "sex=JK",
    "--map", "region=WILAYAH",
]  # fmt: skip


@pytest.fixture(scope="module")
def agency_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """A clinic's register and the civil registry's from the same synthetic province, each written its own
    way (the clinic: whole names, day/month/year dates; the registry: names split in two, ISO dates, sex as
    L/P); and the truth (record id -> person)."""
    folder = tmp_path_factory.mktemp("csv-link")
    synth = folder / "synth"
    synthesise(births=900, seed=11, out=synth, scenario=Scenario(name="csv-link", province="33"))
    left = _write(
        folder / "klinik.csv",
        HEADER,
        [
            [
                p["ref"],
                p["full_name"],
                "",
                _dmy(p["birth_date"]),
                p["nik"],
                p["sex"],
                p["address_region_code"],
            ]
            for p in _read(synth / "people-facility.csv")
        ],
    )
    right = _write(
        folder / "dukcapil.csv",
        HEADER,
        [
            [
                p["ref"],
                *([*p["full_name"].split(" ", 1), ""])[:2],
                p["birth_date"],
                p["nik"],
                "P" if p["sex"] == "F" else "L",
                p["address_region_code"],
            ]
            for p in _read(synth / "people-civil-registry.csv")
        ],
    )
    return left, right, synth_identities(synth)


def test_two_spreadsheets_are_linked(agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    left, right, truth = agency_files
    out, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    result = _run(str(left), str(right), *MAPPING, "--out", str(out), "--clusters", str(clusters))
    assert result.exit_code == 0, result.output
    pairs = _read(out)
    assert pairs and list(pairs[0])[:3] == ["left_id", "right_id", "match_probability"]
    left_ids = {r["NO"] for r in _read(left)}
    right_ids = {r["NO"] for r in _read(right)}
    assert all(p["left_id"] in left_ids and p["right_id"] in right_ids for p in pairs)
    assert all(float(p["match_probability"]) >= 0.9 for p in pairs)
    correct = sum(truth[p["left_id"]] == truth[p["right_id"]] for p in pairs)
    right_people = {truth[i] for i in right_ids}
    linkable = sum(truth[i] in right_people for i in left_ids)
    assert linkable > 100
    assert correct / len(pairs) > 0.95, (correct, len(pairs))
    assert correct / linkable > 0.8, (correct, linkable)
    assert pairs[0]["explanation"]  # the reasons, strongest first

    members = _read(clusters)
    assert {m["file"] for m in members} == {"left", "right"}
    assert len(members) == len(left_ids) + len(right_ids)
    cluster_of = {(m["file"], m["id"]): m["cluster_id"] for m in members}
    first = pairs[0]
    assert cluster_of[("left", first["left_id"])] == cluster_of[("right", first["right_id"])]


def test_a_column_missing_from_the_second_file_is_named(
    agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    left, _right, _ = agency_files
    other = _write(tmp_path / "polisi.csv", ["NO", "NAMA"], [["X1", "Siti Aminah"]])
    result = _run(str(left), str(other), *MAPPING, "--out", str(tmp_path / "pairs.csv"))
    assert result.exit_code == 3, result.output
    assert "polisi.csv has no column" in result.output and "'TGL_LAHIR'" in result.output


def test_one_spreadsheet_is_deduplicated(
    agency_files: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    left, right, truth = agency_files
    # One combined register with both agencies' records: the duplicates are the same people.
    combined = tmp_path / "gabungan.csv"
    rows = [
        [r["NO"], f"{r['DEPAN']} {r['BELAKANG']}".strip(), r["TGL_LAHIR"], r["NIK"]]
        for r in [*_read(left), *_read(right)]
    ]
    _write(combined, ["id", "nama", "tgl", "nik"], rows)
    out = tmp_path / "dupes.csv"
    result = _run(
        str(combined), "--map", "full_name=nama", "--map", "date_of_birth=tgl", "--map", "national_id=nik",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pairs = _read(out)
    assert len(pairs) > 50
    assert all(p["left_id"] != p["right_id"] for p in pairs)
    correct = sum(truth[p["left_id"]] == truth[p["right_id"]] for p in pairs)
    assert correct / len(pairs) > 0.95, (correct, len(pairs))


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("id,nama\n1,Siti\n", ["--map", "umur=nama"], "unknown role 'umur'"),
        ("id,nama\n1,Siti\n", ["--map", "full_name=NAMA_LENGKAP"], "has no column 'NAMA_LENGKAP'"),
        ("id,nama\n1,Siti\n", ["--map", "full_name"], "expected ROLE=COLUMN"),
        ("id,nama\n1,Siti\n", ["--map", "sex=nama"], "nothing to link on"),
        ("", ["--map", "full_name=nama"], "is empty"),
        ("id,nama\n", ["--map", "full_name=nama"], "has a header but no records"),
        ("id,nama\n1,Siti\n1,Ani\n", ["--map", "full_name=nama"], "id '1' appears twice"),
        ("id,nama\n,Siti\n", ["--map", "full_name=nama"], "the id column 'id' is empty"),
        ("id,nama\n1,Siti\n", ["--map", "full_name=nama", "--threshold", "1.5"], "between 0 and 1"),
        ("id,nama\n1,\n2,\n3,\n", ["--map", "full_name=nama"], "no mapped column holds values"),
    ],
)
def test_unusable_input_is_refused_with_a_clear_message(
    tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    path = tmp_path / "data.csv"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "pairs.csv"
    result = _run(str(path), *args, "--out", str(out))
    assert result.exit_code == 3, result.output
    assert message in result.output
    assert not out.exists()  # nothing half-written


@pytest.mark.parametrize(
    ("content", "args"),
    [
        # three records, no pair shares both names: every training block is empty
        ("id,nama\n1,Budi Santoso\n2,Budi Santosa\n3,Siti Aminah\n", ["--map", "given_name=nama"]),
        # sixty records, no near-certain pair: the prior cannot be estimated
        (
            "id,nama,lahir\n"
            + "".join(
                f"{n},{name},199{n % 10}-0{n % 9 + 1}-1{n % 7}\n"
                for n, name in enumerate(["Budi Santoso", "Siti Aminah", "Agus Salim", "Dewi Lestari"] * 15)
            ),
            ["--map", "full_name=nama", "--map", "date_of_birth=lahir"],
        ),
    ],
)
def test_a_small_file_links_with_its_notes_instead_of_failing(
    tmp_path: Path, content: str, args: list[str]
) -> None:
    """Too few pairs to train on is the data's nature, not a bug: the run ends and says what it skipped."""
    path = tmp_path / "data.csv"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "pairs.csv"
    result = _run(str(path), *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "pairs written" in result.output and out.exists()
    assert "internal error" not in result.output


def test_a_missing_file_and_a_latin1_file_are_refused(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "nope.csv"), "--map", "full_name=nama")
    assert result.exit_code == 3 and "does not exist" in result.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,nama\n1,Andr\xe9\n".encode("latin-1"))
    result = _run(str(latin), "--map", "full_name=nama")
    assert result.exit_code == 3 and "is not UTF-8" in result.output


def _features_the_old_way(path: Path, mapping: Mapping) -> list[dict[str, object]]:
    """What `jaga link csv` computed before it streamed: csv.DictReader and one feature row per record."""
    report = FeatureReport()
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            values = {
                role: " ".join((record.get(c) or "").strip() for c in cs if (record.get(c) or "").strip())
                or None
                for role, cs in mapping.roles.items()
                if role != Role.IDENTIFIER
            }
            identifiers = [record.get(c) for c in mapping.roles.get(Role.IDENTIFIER, ())]
            rows.append(
                feature_row(
                    (record.get(mapping.id_column) or "").strip(),
                    "left",
                    values,
                    today=date(2026, 12, 1),
                    report=report,
                    identifiers=identifiers,
                )
            )
    return feature_table(rows).to_pylist()


def test_streamed_features_equal_those_read_row_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB reading the file in batches of 3 gives the very feature rows Python's csv module gave: a
    byte-order mark, quoted commas and line breaks, short and long rows, a repeated column name (the last
    one counts), padded ids, an empty cell."""
    path = tmp_path / "quirks.csv"
    path.write_bytes(
        "\ufeffid,nama,tgl,nik,paspor,nama\n"
        ' 1 ,"Siti, Aminah",12/03/2001,3201014503010001,A 123-45,Siti Aminah\n'
        '2,Budi,2001-03-12,,"B9\n9",Budi Santoso\n'
        "3,Ani\n"
        "4,Dewi,20010312,12,,Dewi Lestari,extra\n"
        "5,Eko,,,,\n"
        "6,Fajar,31/02/2001,3201011203010002,C1,Fajar\n"
        "7,Gita,01/01/1990,,,Gita Sari\n".encode()
    )
    mapping = parse_mapping(
        "id",
        ["full_name=nama", "date_of_birth=tgl", "national_id=nik", "identifier=paspor,nik"],
    )
    monkeypatch.setattr(csvread, "BATCH", 3)
    streamed = csvmode.read_file(
        path, mapping, source="left", report=FeatureReport(), today=date(2026, 12, 1)
    )
    assert streamed.to_pylist() == _features_the_old_way(path, mapping)
    assert streamed.num_rows == 7 and streamed.column("unique_id").to_pylist()[0] == "1"


def test_a_memory_limit_is_a_size(tmp_path: Path) -> None:
    assert csvmode.memory_bytes("4GiB") == csvmode.memory_bytes("4GB") == 4 * 2**30
    assert csvmode.memory_bytes("512MB") == 512 * 2**20
    path = tmp_path / "data.csv"
    path.write_text("id,nama\n1,Siti\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    result = _run(str(path), "--map", "full_name=nama", "--memory-limit", "lots", "--out", str(out))
    assert result.exit_code == 3 and "expected a size" in result.output
    assert not out.exists()

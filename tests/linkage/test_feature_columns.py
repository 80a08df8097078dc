"""The columnar feature maker (`feature_columns`, used by `jaga link csv`) gives exactly what the per-record
`feature_row` gives, value for value, and counts the same unreadable values."""

from __future__ import annotations

import random
from datetime import date

import pyarrow as pa
import pytest

from jaga.altgen.people import generate
from jaga.linkage.featurecolumns import feature_columns, role_values
from jaga.linkage.features import FeatureReport, feature_row, feature_table, names_ablated
from jaga.linkage.roles import Role

TODAY = date(2026, 11, 23)

# Column -> role, as `jaga link csv --map` gives them; address and given name take two columns each.
MAPPING: dict[Role, tuple[str, ...]] = {
    Role.FULL_NAME: ("full_name",),
    Role.GIVEN_NAME: ("given", "given_2"),
    Role.SURNAME: ("surname",),
    Role.DATE_OF_BIRTH: ("birth_date",),
    Role.SEX: ("sex",),
    Role.NATIONAL_ID: ("nik",),
    Role.FAMILY_ID: ("kk",),
    Role.MOTHER_NAME: ("mother_name",),
    Role.MOTHER_ID: ("mother_nik",),
    Role.ADDRESS: ("number", "address"),
    Role.LOCALITY: ("village",),
    Role.STATE: ("state",),
    Role.REGION: ("region_code",),
    Role.POSTCODE: ("postcode",),
    Role.PHONE: ("phone",),
}
IDENTIFIERS = ("patient_no", "passport")
COLUMNS = ("id", *dict.fromkeys(c for cs in MAPPING.values() for c in cs), *IDENTIFIERS)

# Values that exercise the edges: empty, blank, odd spaces, unicode digits, words for months, placeholders.
EDGES = ["", " ", "\t", "\u00a0", "\u3000x\u3000", "-", "٣٣٧٤", "Ⅻ", None]
DATES = [
    "5 Mei 2019", "5 Agt 2019", "05 august 2019", "31 Februari 2020", "5 Mei, 2019", "12/3/1990",
    "1990-03-12", "19900312", "0999-01-01", "12.03.1990", "1990-13-01", "kemarin", "2019-02-29",
]  # fmt: skip
NAMES = [
    "By. Ny. Yuli Astuti", "Bayi Ny. Siti", "By Ny", "Hj. Siti Aminah binti Abdullah, S.Pd.", "Djoko Soesilo",
    "Moch. Rizky", "MUHAMMAD  rizki", "Sitorus Tigor", "Ni Luh Putu Ayu", "Enok", "I Gede", "Ma'ruf Amin",
    "Dr. H. Abdul Rahman, M.Kes", "Nyoman", "Ahmad bin Ali",
]  # fmt: skip


def _records(count: int, seed: int) -> list[dict[str, str | None]]:
    rng = random.Random(seed)
    agency = [r.row() for r in generate(max(1, count // 2), seed).records]
    records: list[dict[str, str | None]] = []
    for n in range(count):
        rid, _source, full, born, sex, nik, mother, address, region = agency[n % len(agency)]

        def noisy(value: str | None, *extra: str | None) -> str | None:
            roll = rng.random()
            if roll < 0.08:
                return rng.choice(EDGES)
            if roll < 0.12 and extra:
                return rng.choice(extra)
            return value

        def number(digits: int) -> str:
            return "".join(rng.choice("0123456789") for _ in range(digits))

        mismatched_nik = f"3374{number(2)}{rng.randint(1, 71):02d}{rng.randint(1, 12):02d}{number(6)}"
        records.append(
            {
                "id": f" {rid}-{n} " if n % 7 == 0 else f"{rid}-{n}",
                "full_name": noisy(full, *NAMES) if n % 5 else None,
                "given": noisy(full.split()[0] if full else None, "Siti", "Moh."),
                "given_2": noisy(None, "Nur", " "),
                "surname": noisy(full.split()[-1] if full else None, "Sitorus"),
                "birth_date": noisy(born, *DATES),
                "sex": noisy(sex, "L", "Perempuan", "laki-laki", "x", "2"),
                "nik": noisy(nik, mismatched_nik, f"{nik[:4]}-{nik[4:]}" if nik else None, "33740155089000"),
                "kk": noisy(number(16) if n % 3 else None, "KK 3374-01"),
                "mother_name": noisy(mother, "Ny. Yuli", "Hj. Aminah"),
                "mother_nik": noisy(number(16) if n % 4 == 0 else None, "3374 0155 0890 0001"),
                "number": noisy(str(rng.randint(1, 200)), "No. 5"),
                "address": noisy(address, "Jl. Mawar Gg. 3 RT 02/RW 05", "JALAN   merdeka"),
                "village": noisy(rng.choice(["Kebon Jeruk", "Sukamaju", "Tegal Rejo"]), "Ngadirejo"),
                "state": noisy(rng.choice(["Jawa Tengah", "DKI Jakarta"]), "jateng"),
                "region_code": noisy(region, "3", "33.74", "33.74.01.2001"),
                "postcode": noisy(f"{rng.randint(10000, 99999)}", "50-241"),
                "phone": noisy(f"+62 812-{number(4)}-{number(4)}", "0812", "62812345678"),
                "patient_no": noisy(f"RM-{number(6)}", "a 123-45/6"),
                "passport": noisy(None, "X1234567"),
            }
        )
    return records


def _by_rows(records: list[dict[str, str | None]], report: FeatureReport) -> pa.Table:
    """The reference: one `feature_row` per record, with the role values `jaga link csv` has always made."""
    rows = []
    for record in records:
        values: dict[Role, str | None] = {
            role: " ".join((record[c] or "").strip() for c in columns if (record[c] or "").strip()) or None
            for role, columns in MAPPING.items()
        }
        rows.append(
            feature_row(
                (record["id"] or "").strip(),
                "left",
                values,
                today=TODAY,
                report=report,
                identifiers=[record[c] for c in IDENTIFIERS],
            )
        )
    return feature_table(rows)


def _by_columns(records: list[dict[str, str | None]], report: FeatureReport, *, batch: int) -> pa.Table:
    tables = []
    for start in range(0, len(records), batch):
        part = records[start : start + batch]
        column = {name: pa.array([r[name] for r in part], pa.string()) for name in COLUMNS}
        tables.append(
            feature_columns(
                column["id"],
                "left",
                {role: role_values([column[c] for c in columns]) for role, columns in MAPPING.items()},
                today=TODAY,
                report=report,
                identifiers=[column[c] for c in IDENTIFIERS],
            )
        )
    return pa.concat_tables(tables)


@pytest.mark.parametrize("seed", [3, 11])
def test_columns_equal_the_per_record_features(seed: int) -> None:
    records = _records(3000, seed)
    expected_report, report = FeatureReport(), FeatureReport()
    expected = _by_rows(records, expected_report)
    found = _by_columns(records, report, batch=1000)
    assert found.schema == expected.schema
    for name in expected.column_names:
        assert found.column(name).to_pylist() == expected.column(name).to_pylist(), name
    assert (report.records, report.placeholders) == (expected_report.records, expected_report.placeholders)
    assert report.unreadable == expected_report.unreadable
    # The generated records reach every branch the comparison is meant to cover.
    assert expected_report.placeholders > 0
    assert set(expected_report.unreadable) == {
        "date_of_birth",
        "sex",
        "region",
        "national_id (a family's number, not the person's NIK)",
    }
    assert expected.column("dob").null_count < len(records) // 2
    assert 0 < expected.column("nik").null_count < len(records)


def test_columns_equal_the_per_record_features_with_name_steps_off() -> None:
    records = _records(500, 5)
    with names_ablated(["phonetic", "token_order"]):
        expected = _by_rows(records, FeatureReport())
        found = _by_columns(records, FeatureReport(), batch=500)
    assert found.to_pylist() == expected.to_pylist()
    assert found.column("name_phonetic").null_count == len(records)


def test_a_batch_without_any_role_but_the_name() -> None:
    ids = pa.array(["a", "b", "c"])
    names = role_values([pa.array(["Siti Aminah", None, "  "])])
    table = feature_columns(ids, "left", {Role.FULL_NAME: names}, today=TODAY, report=FeatureReport())
    assert table.column("name_canon").to_pylist() == ["siti aminah", None, None]
    assert table.column("dob").null_count == 3 and table.num_rows == 3

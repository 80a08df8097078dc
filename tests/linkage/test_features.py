"""Feature columns from records as agencies keep them."""

from __future__ import annotations

from datetime import date

import pytest

from jaga.linkage.features import (
    FeatureReport,
    feature_row,
    feature_table,
    names_ablated,
    present_columns,
    read_date,
    read_phone,
    read_sex,
)
from jaga.linkage.roles import Role

TODAY = date(2026, 11, 23)


def _row(**values: str | None) -> tuple[dict[str, object], FeatureReport]:
    report = FeatureReport()
    row = feature_row("1", "clinic", {Role(k): v for k, v in values.items()}, today=TODAY, report=report)
    return row, report


def test_names_are_canonical_ordered_and_phonetic() -> None:
    row, _ = _row(full_name="Hj. Siti Aminah binti Abdullah, S.Pd.")
    assert row["name_canon"] == "siti aminah"
    assert row["name_sorted"] == "aminah siti"
    assert row["name_tokens"] == ["aminah"]  # "siti" identifies little
    assert row["name_first"] == row["name_last"] == "aminah"
    old, _ = _row(full_name="Djoko Soesilo")
    new, _ = _row(full_name="Joko Susilo")
    assert old["name_canon"] == new["name_canon"] and old["name_phonetic"] == new["name_phonetic"]


def test_given_name_and_surname_columns_make_the_full_name() -> None:
    row, _ = _row(given_name="Wahyu", surname="Kinasih")
    assert row["name_canon"] == "wahyu kinasih"


def test_an_unnamed_newborn_has_no_name_but_its_mother() -> None:
    row, report = _row(full_name="By. Ny. Yuli Astuti", date_of_birth="2024-10-13", sex="L")
    assert row["name_canon"] is None and row["name_tokens"] is None
    assert row["mother_canon"] == "yuli astuti"
    assert row["sex"] == "M"
    assert report.placeholders == 1
    explicit, _ = _row(full_name="Putri Ayu", mother_name="Yuli Astuti")
    assert explicit["mother_canon"] == "yuli astuti"


def test_the_nik_lends_its_birth_date_and_sex_when_the_record_lacks_them() -> None:
    row, _ = _row(full_name="Rina", national_id="3374-0155-0890-0001")
    assert (row["nik"], row["dob"], row["dob_year"], row["sex"]) == (
        "3374015508900001",
        "1990-08-15",
        "1990",
        "F",
    )
    assert row["nik_regency"] == "3374"  # where the NIK was first issued, wherever she lives now
    given, _ = _row(full_name="Rina", national_id="3374015508900001", date_of_birth="1990-08-16", sex="M")
    assert (given["dob"], given["sex"]) == ("1990-08-16", "M")  # the record's own facts win


def test_regions_are_cut_into_the_hierarchy() -> None:
    row, _ = _row(full_name="A", region="33.74.01.1001")
    assert (row["region_district"], row["region_regency"], row["region_province"]) == ("337401", "3374", "33")
    short, _ = _row(full_name="A", region="33")
    assert (short["region_district"], short["region_regency"], short["region_province"]) == (None, None, "33")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-08-15", date(1990, 8, 15)),
        ("15/08/1990", date(1990, 8, 15)),
        ("15-8-1990", date(1990, 8, 15)),
        ("19900815", date(1990, 8, 15)),
        ("1990-02-30", None),
        ("kemarin", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_the_forms_agencies_write_them(text: str | None, expected: date | None) -> None:
    assert read_date(text) == expected


def test_sexes_phones_and_unreadable_values() -> None:
    assert [read_sex(v) for v in ("L", "Laki-laki", "perempuan", "P", "F", "2", "x", None)] == [
        "M",
        "M",
        "F",
        "F",
        "F",
        "F",
        None,
        None,
    ]
    assert read_phone("+62 812-3456-7890") == "081234567890"
    assert read_phone("12") is None
    row, report = _row(full_name="A", date_of_birth="31/02/1990", national_id="123", sex="?", region="x")
    assert (row["dob"], row["nik"], row["sex"]) == (None, None, None)
    assert row["id_national"] == "123"  # not a NIK, still an identifier
    assert report.unreadable == {"date_of_birth": 1, "sex": 1, "region": 1}


def test_identifiers_postcodes_and_addresses_are_normalised() -> None:
    row, _ = _row(
        full_name="Budi",
        national_id="3201-0101-9001-0001",
        family_id="3201 0101 0000 0001",
        postcode="sw1a 1aa",
        state="Jawa Barat",
        address="Jl. Melati No. 6, RT 01",
    )
    assert (row["nik"], row["id_national"]) == ("3201010190010001", None)
    assert (row["family_id"], row["postcode"], row["state"]) == ("3201010100000001", "SW1A1AA", "jawa barat")
    assert row["address_tokens"] == ["01", "6", "melati"]
    report = FeatureReport()
    rows = [
        feature_row(
            str(i), "x", {Role.FULL_NAME: "Budi"}, today=TODAY, report=report, identifiers=["p-1", None]
        )
        for i in range(2)
    ]
    table = feature_table(rows)
    assert table.column("id_1").to_pylist() == ["P1", "P1"] and "id_2" not in present_columns(table)


def test_only_columns_with_values_are_compared() -> None:
    report = FeatureReport()
    rows = [
        feature_row(str(i), "x", {Role.FULL_NAME: "Budi", Role.SEX: "L"}, today=TODAY, report=report)
        for i in range(3)
    ]
    table = feature_table(rows)
    present = present_columns(table)
    assert {"name_canon", "sex"} <= present
    assert not {"dob", "nik", "phone", "mother_canon"} & present


def test_feature_keys_follow_the_name_steps_switched_off() -> None:
    def row() -> dict[str, object]:
        return feature_row(
            "1", "f", {Role.FULL_NAME: "Hj. Soekarti Aminah"}, today=date(2026, 1, 1), report=FeatureReport()
        )

    assert row()["name_canon"] == "sukarti aminah"
    with names_ablated(["titles", "old_spelling", "phonetic", "token_order"]):
        ablated = row()
    assert ablated["name_canon"] == "hj soekarti aminah"
    assert ablated["name_phonetic"] is None and ablated["name_sorted"] is None
    assert row()["name_canon"] == "sukarti aminah" and row()["name_phonetic"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 Mei 2019", date(2019, 5, 5)),
        ("17 Agustus 1945", date(1945, 8, 17)),
        ("1 Agt. 2020", date(2020, 8, 1)),
        ("30 Nopember 2001", date(2001, 11, 30)),
        ("09 December 1999", date(1999, 12, 9)),
        ("31 Februari 2019", None),
        ("5 Mai 2019", None),
    ],
)
def test_dates_with_the_month_in_words_are_read(text: str, expected: date | None) -> None:
    assert read_date(text) == expected


def test_a_family_card_number_typed_as_the_nik_is_family_evidence_not_the_persons_nik() -> None:
    def row(number: str) -> dict[str, object]:
        values = {Role.FULL_NAME: "Ani", Role.DATE_OF_BIRTH: "2019-05-05", Role.NATIONAL_ID: number}
        return feature_row("1", "f", values, today=date(2026, 1, 1), report=FeatureReport())

    kk = row("3374011203150004")  # a card issued 12 March 2015: not a date of birth of 5 May 2019
    assert kk["nik"] is None and kk["family_id"] == "3374011203150004" and kk["dob"] == "2019-05-05"
    own = row("3374014505190001")  # her NIK (day + 40)
    assert own["nik"] == "3374014505190001" and own["family_id"] is None
    typo = row("3374014505910001")  # the year's digits swapped: still her NIK
    assert typo["nik"] == "3374014505910001"


def test_a_newborn_without_a_nik_comes_from_where_its_mothers_nik_was_issued() -> None:
    values = {Role.DATE_OF_BIRTH: "2025-05-06", Role.MOTHER_ID: "7106025103980001", Role.REGION: "11.08.26"}
    row = feature_row("1", "facility", values, today=date(2026, 1, 1), report=FeatureReport())
    assert row["nik_regency"] == "7106" and row["region_regency"] == "1108" and row["mother_id"]

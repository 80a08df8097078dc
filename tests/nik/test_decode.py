from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaga.errors import InvalidNik
from jaga.nik import Sex, check_nik, decode_nik
from jaga.regions import load_directory

TODAY = date(2026, 6, 1)
DIRECTORY = load_directory()
DISTRICTS = [r.code for r in DIRECTORY.all() if r.level == 3]


def decode(nik: str, **kwargs: object) -> object:
    return decode_nik(nik, directory=DIRECTORY, today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_a_womans_nik_has_forty_added_to_the_day() -> None:
    decoded = decode_nik("3374015508900001", directory=DIRECTORY, today=TODAY)
    assert decoded.sex == Sex.FEMALE
    assert decoded.birth_date == date(1990, 8, 15)
    assert (decoded.province, decoded.regency, decoded.district) == (
        "Jawa Tengah",
        "Kota Semarang",
        "Semarang Tengah",
    )
    assert decoded.serial == "0001"


def test_a_mans_nik_keeps_the_day() -> None:
    decoded = decode_nik("3374011508900002", directory=DIRECTORY, today=TODAY)
    assert decoded.sex == Sex.MALE
    assert decoded.birth_date == date(1990, 8, 15)


def test_the_century_is_the_latest_that_is_not_in_the_future() -> None:
    assert decode_nik("3374010101250001", directory=DIRECTORY, today=TODAY).birth_date == date(2025, 1, 1)
    assert decode_nik("3374010101300001", directory=DIRECTORY, today=TODAY).birth_date == date(1930, 1, 1)


def test_a_claimed_birth_year_settles_the_century() -> None:
    decoded = decode_nik(
        "3374010101250001", directory=DIRECTORY, today=TODAY, birth_date_hint=date(1925, 1, 1)
    )
    assert decoded.birth_date == date(1925, 1, 1)


def test_an_old_papuan_nik_validates_against_its_new_province() -> None:
    # Issued in Merauke (91.01) before it moved to Papua Selatan (93.01).
    decoded = decode_nik("9101011508900001", directory=DIRECTORY, today=TODAY)
    assert decoded.former_code
    assert decoded.district_code == "930101"
    assert decoded.regency == "Kab. Merauke"


@pytest.mark.parametrize(
    ("nik", "problem"),
    [
        ("337401550890001", "has 15 digits, expected 16"),
        ("33740155089000011", "has 17 digits"),
        ("3374O15508900001", "digits only"),
        ("9974015508900001", "province code 99 does not exist"),
        ("3399015508900001", "regency/city code 33.99 does not exist"),
        ("3374995508900001", "district code 33.74.99 does not exist"),
        ("3374013508900001", "day field 35 is neither"),
        ("3374011513900001", "month field 13 is not 01-12"),
        ("3374013102900001", "does not exist"),  # 31 February
        ("3374011508900000", "serial 0000"),
    ],
)
def test_each_structural_problem_is_named(nik: str, problem: str) -> None:
    with pytest.raises(InvalidNik, match=problem):
        decode_nik(nik, directory=DIRECTORY, today=TODAY)


def test_a_birth_date_in_the_future_is_refused() -> None:
    # Without a claimed date the century is chosen so that the date is not in the future; with one, a
    # NIK whose date lies after today is impossible.
    with pytest.raises(InvalidNik, match="in the future"):
        decode_nik("3374010206260001", directory=DIRECTORY, today=TODAY, birth_date_hint=date(2026, 6, 2))


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InvalidNik) as raised:
        decode_nik("9974017513900000", directory=DIRECTORY, today=TODAY)
    assert len(raised.value.problems) == 4  # province, day, month, serial


def test_problem_messages_do_not_repeat_the_nik() -> None:
    with pytest.raises(InvalidNik) as raised:
        decode_nik("9974015508900001", directory=DIRECTORY, today=TODAY)
    assert "9974015508900001" not in raised.value.message


def test_disagreement_with_the_record_is_an_inconsistency_not_invalidity() -> None:
    result = check_nik(
        "3374015508900001", directory=DIRECTORY, today=TODAY, birth_date=date(1990, 8, 15), sex=Sex.MALE
    )
    assert result.valid and not result.consistent
    assert result.inconsistencies == ["the NIK marks sex F (day + 40) but the given sex is M"]


def test_swapped_day_and_month_are_pointed_out() -> None:
    result = check_nik("3374015508900001", directory=DIRECTORY, today=TODAY, birth_date=date(1990, 8, 15))
    assert result.consistent
    swapped = check_nik("3374010508900001", directory=DIRECTORY, today=TODAY, birth_date=date(1990, 8, 5))
    assert swapped.consistent
    result = check_nik("3374010812900001", directory=DIRECTORY, today=TODAY, birth_date=date(1990, 8, 12))
    assert result.inconsistencies == [
        "the NIK's date of birth differs from the given birth date (day and month swapped)"
    ]


@given(
    district=st.sampled_from(DISTRICTS),
    birth=st.dates(min_value=date(1930, 1, 1), max_value=TODAY),
    sex=st.sampled_from(list(Sex)),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_whatever_is_encoded_decodes_back(district: str, birth: date, sex: Sex, serial: int) -> None:
    day = birth.day + (40 if sex == Sex.FEMALE else 0)
    nik = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
    decoded = decode_nik(nik, directory=DIRECTORY, today=TODAY, birth_date_hint=birth)
    assert (decoded.district_code, decoded.birth_date, decoded.sex, int(decoded.serial)) == (
        district,
        birth,
        sex,
        serial,
    )


@given(st.text(max_size=20))
def test_arbitrary_text_never_escapes_as_another_error(text: str) -> None:
    try:
        decode_nik(text, directory=DIRECTORY, today=TODAY)
    except InvalidNik as exc:
        assert exc.problems


def test_birth_facts_are_read_leniently_for_linkage() -> None:
    from jaga.nik import nik_birth_facts

    assert nik_birth_facts("3374015508900001", today=TODAY) == (date(1990, 8, 15), Sex.FEMALE)
    assert nik_birth_facts("3374011508900001", today=TODAY) == (date(1990, 8, 15), Sex.MALE)
    assert nik_birth_facts("3374013208900001", today=TODAY) == (None, None)  # day 32: not a date field
    assert nik_birth_facts("3374011513900001", today=TODAY) == (None, Sex.MALE)  # month 13
    assert nik_birth_facts("9999013102900001", today=TODAY) == (None, Sex.MALE)  # 31 February
    for unreadable in (None, "", "12345", "33740155089000x1"):
        assert nik_birth_facts(unreadable, today=TODAY) == (None, None)

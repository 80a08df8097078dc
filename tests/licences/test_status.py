"""The licence check's rules: effective status on the boundaries of a licence's dates, Indonesia's "today",
and adoption eligibility per kind and status."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from jaga.licences import (
    Eligibility,
    LicenceState,
    RecordKind,
    adoption_eligibility,
    attendant_status,
    facility_status,
    indonesian_today,
    institution_status,
)

FROM, UNTIL = date(2020, 1, 1), date(2024, 12, 31)


def status(stored: str, today: date, *, number: str | None = "33/LKSA/1", until: date | None = UNTIL) -> str:
    return institution_status(stored, licence_number=number, valid_from=FROM, valid_until=until, today=today)


def test_a_licence_is_valid_on_its_last_day_and_expired_the_day_after() -> None:
    assert status("active", UNTIL) == LicenceState.VALID
    assert status("active", UNTIL + timedelta(days=1)) == LicenceState.EXPIRED


def test_a_licence_is_valid_from_its_first_day_and_not_the_day_before() -> None:
    assert status("active", FROM) == LicenceState.VALID
    assert status("active", FROM - timedelta(days=1)) == LicenceState.NOT_YET_VALID


def test_a_licence_without_an_end_date_stays_valid() -> None:
    assert status("active", date(2099, 1, 1), until=None) == LicenceState.VALID


@pytest.mark.parametrize("stored", ["active", "suspended", "expired"])
def test_past_its_last_day_a_licence_is_expired_whatever_the_row_says(stored: str) -> None:
    assert status(stored, UNTIL + timedelta(days=1)) == LicenceState.EXPIRED


def test_a_revocation_outlasts_the_dates() -> None:
    assert status("revoked", UNTIL) == LicenceState.REVOKED
    assert status("revoked", UNTIL + timedelta(days=400)) == LicenceState.REVOKED


def test_within_its_dates_the_issuers_word_holds() -> None:
    assert status("suspended", UNTIL) == LicenceState.SUSPENDED
    assert status("expired", FROM) == LicenceState.EXPIRED  # expired early by the issuer
    assert status("something-else", FROM) == LicenceState.UNKNOWN


def test_no_licence_number_or_status_none_is_unlicensed() -> None:
    assert status("none", UNTIL, number=None, until=None) == LicenceState.UNLICENSED
    assert status("active", UNTIL, number=None) == LicenceState.UNLICENSED


def test_facilities_and_attendants_have_a_number_on_record_or_none() -> None:
    assert facility_status("3374/CLI/1") == LicenceState.UNKNOWN
    assert facility_status(None) == LicenceState.UNLICENSED
    assert attendant_status("STR-0000001") == LicenceState.UNKNOWN
    assert attendant_status(None) == LicenceState.UNLICENSED


def test_today_is_the_date_in_wit_the_easternmost_zone() -> None:
    # 23:59:59 WIT on 31 December is 14:59:59 UTC; one second later it is 1 January in Jayapura,
    # while Jakarta (WIB) still has two hours of 31 December left.
    assert indonesian_today(datetime(2024, 12, 31, 14, 59, 59, tzinfo=UTC)) == date(2024, 12, 31)
    assert indonesian_today(datetime(2024, 12, 31, 15, 0, 0, tzinfo=UTC)) == date(2025, 1, 1)
    wib = timezone(timedelta(hours=7))
    assert indonesian_today(datetime(2024, 12, 31, 22, 0, tzinfo=wib)) == date(2025, 1, 1)
    assert indonesian_today(datetime(2024, 12, 31, 15, 0)) == date(2025, 1, 1)  # naive is UTC


def test_the_last_valid_day_ends_at_midnight_wit() -> None:
    last_second = indonesian_today(datetime(2024, 12, 31, 14, 59, 59, tzinfo=UTC))
    next_second = indonesian_today(datetime(2024, 12, 31, 15, 0, 0, tzinfo=UTC))
    assert status("active", last_second) == LicenceState.VALID
    assert status("active", next_second) == LicenceState.EXPIRED


@pytest.mark.parametrize("subtype", ["lksa", "adoption_foundation"])
def test_only_a_licensed_lksa_or_adoption_foundation_may_place_children(subtype: str) -> None:
    kind = RecordKind.INSTITUTION
    assert adoption_eligibility(kind, subtype, LicenceState.VALID) == Eligibility.MAY_PLACE
    for state in (LicenceState.EXPIRED, LicenceState.SUSPENDED, LicenceState.REVOKED, LicenceState.UNKNOWN):
        assert adoption_eligibility(kind, subtype, state) == Eligibility.LICENCE_NOT_VALID
    assert adoption_eligibility(kind, subtype, LicenceState.NOT_YET_VALID) == Eligibility.LICENCE_NOT_VALID
    assert adoption_eligibility(kind, subtype, LicenceState.UNLICENSED) == Eligibility.NO_LICENCE


@pytest.mark.parametrize("state", list(LicenceState))
def test_shelters_clinics_and_midwives_never_place_children(state: LicenceState) -> None:
    for subtype in ("shelter", "foster_agency"):
        assert (
            adoption_eligibility(RecordKind.INSTITUTION, subtype, state) == Eligibility.NOT_AN_ADOPTION_BODY
        )
    for subtype in ("hospital", "puskesmas", "clinic", "midwife_practice"):
        assert adoption_eligibility(RecordKind.FACILITY, subtype, state) == Eligibility.HEALTH_FACILITY
    for subtype in ("midwife", "doctor", "nurse", "traditional"):
        assert adoption_eligibility(RecordKind.ATTENDANT, subtype, state) == Eligibility.BIRTH_ATTENDANT

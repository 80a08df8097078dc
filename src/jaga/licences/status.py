"""The rules of the public licence check: a licence's effective status, and whether its holder may take part
in adoption placements. Pure: dates in, values out.

The registry stores what the issuer last said (`active`, `suspended`, ...). The public sees what holds
today: a licence past its last valid day is expired whatever the row says, because nobody may have
updated the row when it lapsed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

__all__ = [
    "INDONESIA_LATEST_OFFSET",
    "Eligibility",
    "LicenceState",
    "RecordKind",
    "adoption_eligibility",
    "attendant_status",
    "facility_status",
    "indonesian_today",
    "institution_status",
]

# Indonesia spans UTC+7 (WIB) to UTC+9 (WIT). "Today" is taken in the easternmost zone, WIT: a licence's
# last valid day ends first there, so no one anywhere in Indonesia is shown a licence as valid after its
# last day has ended where they are (in Jakarta it turns expired at 22:00 on that day, two hours early,
# which errs on the family's side). The registry reads "today" the same way for refusing future dates.
INDONESIA_LATEST_OFFSET = timedelta(hours=9)


def indonesian_today(now: datetime) -> date:
    """The date in WIT (UTC+9) at the instant `now` (an aware datetime; naive is taken as UTC)."""
    instant = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    return (instant.astimezone(UTC) + INDONESIA_LATEST_OFFSET).date()


class RecordKind(StrEnum):
    """What a licence-check result is: the three registries of licence holders."""

    INSTITUTION = "institution"  # LKSA, adoption foundation, shelter, foster agency (Dinas Sosial licence)
    FACILITY = "facility"  # hospital, puskesmas, clinic, midwife practice (with its licence number)
    ATTENDANT = "attendant"  # midwife, doctor, nurse (registration, STR), traditional attendant


class LicenceState(StrEnum):
    """The effective status of a licence or registration today, as the public page shows it."""

    VALID = "valid"
    EXPIRED = "expired"  # past its last valid day, whatever the row says
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    NOT_YET_VALID = "not_yet_valid"  # its first valid day is still to come
    UNLICENSED = "unlicensed"  # no licence (foundation papers are not a licence) or no registration
    UNKNOWN = "unknown"  # a number is on record but not its validity, or the row's status is unreadable


class Eligibility(StrEnum):
    """Whether the holder may take part in adoption placements (PP 54/2007), and why not."""

    MAY_PLACE = "may_place"  # a licensed LKSA or adoption foundation, through the legal path only
    LICENCE_NOT_VALID = "licence_not_valid"  # an LKSA or adoption foundation whose licence does not hold
    NO_LICENCE = "no_licence"  # an institution with no licence at all (foundation papers are not one)
    NOT_AN_ADOPTION_BODY = "not_an_adoption_body"  # a shelter or foster agency: its licence is for care
    HEALTH_FACILITY = "health_facility"  # hospitals, puskesmas, clinics: never
    BIRTH_ATTENDANT = "birth_attendant"  # midwives, doctors, nurses, traditional attendants: never


# Institution kinds that may place children for adoption when licensed (PP 54/2007 art 1: a foundation
# licensed by the Minister; LKSA with their Dinas Sosial licence). Shelters and foster agencies care for
# children but are not adoption bodies.
_ADOPTION_BODIES = frozenset({"lksa", "adoption_foundation"})


def institution_status(
    stored: str,
    *,
    licence_number: str | None,
    valid_from: date | None,
    valid_until: date | None,
    today: date,
) -> LicenceState:
    """An institution's licence today. `valid_until` is the last valid day (valid through that day).

    A revoked licence stays revoked (revocation says more than expiry, and is never undone by a date);
    any other licence past `valid_until` is expired, whether the row says active, suspended or expired.
    """
    if licence_number is None or stored == "none":
        return LicenceState.UNLICENSED
    if stored == "revoked":
        return LicenceState.REVOKED
    if valid_until is not None and today > valid_until:
        return LicenceState.EXPIRED
    if stored == "suspended":
        return LicenceState.SUSPENDED
    if stored == "expired":
        return LicenceState.EXPIRED
    if stored == "active":
        if valid_from is not None and today < valid_from:
            return LicenceState.NOT_YET_VALID
        return LicenceState.VALID
    return LicenceState.UNKNOWN


def facility_status(licence_number: str | None) -> LicenceState:
    """A health facility's licence: the registry keeps its number, not its validity or status."""
    return LicenceState.UNKNOWN if licence_number else LicenceState.UNLICENSED


def attendant_status(registration_number: str | None) -> LicenceState:
    """A birth attendant's registration (STR): on record or not; its validity is not kept."""
    return LicenceState.UNKNOWN if registration_number else LicenceState.UNLICENSED


def adoption_eligibility(kind: RecordKind, subtype: str, status: LicenceState) -> Eligibility:
    """Whether a licence holder may take part in adoption placements.

    Only a licensed LKSA or adoption foundation may, and only through the social service's process and
    a court ruling; clinics, hospitals and birth attendants never may (one that offers a baby is a
    warning sign).
    """
    if kind == RecordKind.FACILITY:
        return Eligibility.HEALTH_FACILITY
    if kind == RecordKind.ATTENDANT:
        return Eligibility.BIRTH_ATTENDANT
    if subtype not in _ADOPTION_BODIES:
        return Eligibility.NOT_AN_ADOPTION_BODY
    if status == LicenceState.VALID:
        return Eligibility.MAY_PLACE
    if status == LicenceState.UNLICENSED:
        return Eligibility.NO_LICENCE
    return Eligibility.LICENCE_NOT_VALID

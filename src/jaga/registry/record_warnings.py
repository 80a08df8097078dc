"""Warnings: what a record accepted by the registry lacks, or contradicts, that the law or the field
expects. Pure functions of the record's own fields, so that the writer (the API's answer, the import
report) and every later reader (derived on read, never stored) see the same list.

The registry records such records on purpose: a relinquishment without consent or counselling is
exactly what a ring leaves behind, and refusing it would keep the evidence out. The flags rank them;
docs/registry.md gives the decisions and their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FEMALE_DAY_OFFSET = 40  # a woman's NIK carries her day of birth plus 40 (DOMAIN.md section 1)

# A relinquishment within the first week of the birth: the mother has barely recovered, and "day-old
# newborns" and babies "booked before birth" are what the documented rings handed over (DOMAIN.md §6).
EARLY_RELINQUISHMENT_DAYS = 7
WITNESSES_EXPECTED = 2


@dataclass(frozen=True)
class RecordWarning:
    """One warning: a stable code, the field it concerns, and a message without personal data."""

    code: str
    field: str | None
    message: str


def relinquishment_warnings(
    *,
    occurred_on: date,
    child_born_on: date | None,
    consent_document: str | None,
    counselled_on: date | None,
    counselling_record: str | None,
    witness_count: int,
) -> list[RecordWarning]:
    """The safeguards a relinquishment lacks (in a fixed order)."""
    found = []
    if consent_document is None:
        found.append(
            RecordWarning(
                "no_consent_document",
                "consent_document",
                "no consent document: the parents' written consent is required before the child can be "
                "adopted (PP 54/2007 art. 13)",
            )
        )
    if counselled_on is None and counselling_record is None:
        found.append(
            RecordWarning(
                "no_counselling",
                "counselled_on",
                "no counselling recorded: a social worker is expected to counsel the mother before she "
                "gives up her child (the social worker's report, PP 54/2007 art. 13)",
            )
        )
    if witness_count < WITNESSES_EXPECTED:
        found.append(
            RecordWarning(
                "witnesses_missing",
                "witness_1_name" if witness_count == 0 else "witness_2_name",
                f"{witness_count} of {WITNESSES_EXPECTED} witnesses named",
            )
        )
    if child_born_on is not None:
        days = (occurred_on - child_born_on).days
        if days < 0:
            # Two records disagree (the child's, often another agency's, and this one): a clerical slip
            # or a falsified date, for review rather than refusal.
            found.append(
                RecordWarning(
                    "before_birth",
                    "occurred_on",
                    f"dated {_days(-days)} before the birth date on the child's record",
                )
            )
        elif days < EARLY_RELINQUISHMENT_DAYS:
            found.append(
                RecordWarning(
                    "soon_after_birth",
                    "occurred_on",
                    f"given up {_days(days)} after the child's birth (within the "
                    f"first {EARLY_RELINQUISHMENT_DAYS} days)",
                )
            )
    return found


def nik_warnings(
    field: str, nik: str | None, *, sex: str | None, birth_date: date | None, date_field: str
) -> list[RecordWarning]:
    """Where a (structurally valid) NIK disagrees with the sex or the birth date on its own record.

    Accepted, not refused: a NIK is lifelong and never reissued to correct a date, and a female NIK on a
    male record is what a forged family card shows, so it "should raise a flag. It should not reject the
    record" (DOMAIN.md section 1). The flag is `nik_mismatch`. Only DDMMYY is compared (the century is
    not in the NIK).
    """
    if not nik or len(nik) != 16 or not nik.isdigit():
        return []
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    nik_sex = "F" if day > FEMALE_DAY_OFFSET else "M"
    day -= FEMALE_DAY_OFFSET if nik_sex == "F" else 0
    found = []
    if sex is not None and sex != nik_sex:
        encoded = "female (day + 40)" if nik_sex == "F" else "male (day as is)"
        said = "female" if sex == "F" else "male"
        found.append(
            RecordWarning("nik_sex_differs", field, f"the NIK encodes {encoded}, the record says {said}")
        )
    if birth_date is not None and (day, month, yy) != (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ):
        swapped = (day, month) == (birth_date.month, birth_date.day)
        found.append(
            RecordWarning(
                "nik_date_differs",
                field,
                f"the NIK's date of birth differs from the record's {date_field}"
                + (" (day and month swapped)" if swapped else ""),
            )
        )
    return found


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"

"""What a column of someone's spreadsheet means to the linkage: its role.

A role may be given several columns, joined in order (given names spread over two columns, an address
over three). Every role is optional except that there must be something to compare.

`identifier` is the exception: each of its columns is a separate identifier (a social security number
and a passport number are two things to compare, not one text), compared exactly, with one typo or with
two characters swapped. `national_id` is the NIK; a value that is not a 16-digit NIK is kept as one more
identifier. `family_id` (the KK number) names a family, not a person: agreeing on it is evidence, never
an identity on its own. `mother_national_id` is the mother's NIK written on her child's record: with the
birth date and sex it joins a newborn's records whatever the child was (or was not) called.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    GIVEN_NAME = "given_name"
    SURNAME = "surname"
    FULL_NAME = "full_name"
    DATE_OF_BIRTH = "date_of_birth"
    SEX = "sex"
    NATIONAL_ID = "national_id"
    IDENTIFIER = "identifier"
    FAMILY_ID = "family_id"
    ADDRESS = "address"
    LOCALITY = "locality"
    POSTCODE = "postcode"
    REGION = "region"
    STATE = "state"
    PHONE = "phone"
    MOTHER_NAME = "mother_name"
    MOTHER_ID = "mother_national_id"  # the mother's NIK (or other number) on her child's record


NAME_ROLES = (Role.FULL_NAME, Role.GIVEN_NAME, Role.SURNAME)
IDENTITY_ROLES = (Role.NATIONAL_ID, Role.IDENTIFIER)
"""Roles that can be the only thing compared: a name or an identifier of the person."""

"""What a column of someone's spreadsheet means to the linkage: its role.

A role may be given several columns, joined in order (given names spread over two columns, an address
over three). Every role is optional except that there must be something to compare.
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
    ADDRESS = "address"
    LOCALITY = "locality"
    POSTCODE = "postcode"
    REGION = "region"
    PHONE = "phone"
    MOTHER_NAME = "mother_name"


NAME_ROLES = (Role.FULL_NAME, Role.GIVEN_NAME, Role.SURNAME)

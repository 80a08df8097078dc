"""Columnar feature making: `features.feature_row` for a whole batch of records at once (`jaga link csv`).

The value readers and the name caches are `features`' own, shared here so that both ways give the same
values (`tests/linkage/test_feature_columns.py` compares them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from jaga.linkage.features import (
    _ADDRESS_WORDS,
    IDENTIFIER_PREFIX,
    SCHEMA,
    FeatureReport,
    _digits,
    _mother_keys,
    _mother_keys_of,
    _name,
    _nik_fits_date,
    read_date,
    read_identifier,
    read_phone,
    read_sex,
)
from jaga.linkage.roles import Role
from jaga.names import basic_form
from jaga.nik import Sex, nik_birth_facts

# Columnar feature making: what `feature_row` does to one record, done to a batch of records at once. Every
# normalisation that is Python (names, dates, addresses, identifiers) runs once per DISTINCT value of its
# column and is joined back by index (names, dates, places and streets repeat heavily: 1M records hold a
# few hundred thousand distinct names and tens of thousands of distinct dates); the per-record glue is Arrow
# compute, and only records with a NIK go through a small Python step (the NIK's date checked against the
# written date). The values are exactly `feature_row`'s: the same functions make them, and a test compares
# the two on generated records.


def _mapped(array: pa.Array, function: Callable[[Any], Any], types: Sequence[pa.DataType]) -> list[pa.Array]:
    """`function` applied to each distinct value of `array` (and to None once, for its nulls), as one
    array per element of the tuples it returns, in `array`'s order."""
    encoded = pc.dictionary_encode(array)
    distinct = encoded.dictionary.to_pylist()
    results = [function(value) for value in distinct]
    results.append(function(None))
    indices = pc.fill_null(encoded.indices, len(distinct))
    columns = list(zip(*results, strict=True)) if results else [() for _ in types]
    return [pa.array(column, type=t).take(indices) for column, t in zip(columns, types, strict=True)]


def _one(array: pa.Array, function: Callable[[str | None], Any], type_: pa.DataType) -> pa.Array:
    return _mapped(array, lambda v: (function(v),), [type_])[0]


def _stripped(text: str | None) -> str | None:
    return (text or "").strip() or None


def role_values(columns: Sequence[pa.Array]) -> pa.Array:
    """A role's value from its columns: each stripped, the non-empty ones joined by a space, None if none
    (as `jaga link csv` joins `--map address=NUMBER,STREET`)."""
    return _spaced([_one(column, _stripped, pa.string()) for column in columns])


def _spaced(parts: Sequence[pa.Array]) -> pa.Array:
    """The non-null values of each row joined by a space; null where all are null."""
    # Not `binary_join_element_wise(null_handling="skip")`: pyarrow 26 drops the rows where all are null.
    joined = parts[0]
    for part in parts[1:]:
        joined = pc.coalesce(pc.binary_join_element_wise(joined, part, " "), joined, part)
    return joined


def _name_columns(full: str | None) -> tuple[object, ...]:
    name = _name(full or "")
    mother = _mother_keys_of(name.mother)
    return (
        name.canon,
        name.sorted,
        name.phonetic,
        name.first,
        name.last,
        list(name.tokens) if name.tokens is not None else None,
        name.mother is not None,
        mother[0] if mother is not None else None,
        mother[1] if mother is not None else None,
    )


def _mother_columns(text: str | None) -> tuple[str | None, str | None]:
    keys = _mother_keys(text) if text else None
    return (keys[0], keys[1]) if keys is not None else (None, None)


def _date_columns(text: str | None) -> tuple[date | None, bool]:
    dob = read_date(text)
    return dob, bool(text and text.strip() and dob is None)


def _national_columns(text: str | None) -> tuple[str | None, str | None]:
    raw_nik = _digits(text)
    nik = raw_nik if len(raw_nik) == 16 and raw_nik == read_identifier(text) else None
    return nik, None if nik else read_identifier(text)


def _sex_columns(text: str | None) -> tuple[str | None, bool]:
    sex = read_sex(text)
    return sex, bool(text and text.strip() and sex is None)


def _mother_id_columns(text: str | None) -> tuple[str | None, str | None]:
    digits = _digits(text)
    return (digits[:4] if len(digits) == 16 else None), read_identifier(text)


def _region_columns(text: str | None) -> tuple[str | None, str | None, str | None, bool]:
    region = _digits(text)
    return (
        region[:6] if len(region) >= 6 else None,
        region[:4] if len(region) >= 4 else None,
        region[:2] if len(region) >= 2 else None,
        bool(text and len(region) < 2),
    )


def _place_column(text: str | None) -> str | None:
    # Not the cached `_basic`: each distinct value comes here once per batch anyway.
    return basic_form(text or "") or None


def _address_columns(text: str | None) -> tuple[str | None, list[str] | None]:
    """`_basic` and `address_tokens` of an address, normalising it once."""
    basic = basic_form(text or "")
    return basic or None, sorted({t for t in basic.split() if t not in _ADDRESS_WORDS}) or None


def _count(flags: pa.Array) -> int:
    return int(pc.sum(pc.cast(flags, pa.int64())).as_py() or 0)


def feature_columns(
    unique_ids: pa.Array,
    source: str,
    values: Mapping[Role, pa.Array],
    *,
    today: date,
    report: FeatureReport,
    identifiers: Sequence[pa.Array] = (),
) -> pa.Table:
    """`feature_table` of `feature_row` for each record of a batch, made column by column.

    `unique_ids` holds the raw ids (stripped here); `values` each role's value per record as
    `role_values` makes it (stripped, None where empty); `identifiers` the raw `identifier` columns.
    """
    count = len(unique_ids)
    absent = pa.nulls(count, pa.string())

    def of(role: Role) -> pa.Array:
        return values.get(role, absent)

    report.records += count
    given_surname = _spaced([of(Role.GIVEN_NAME), of(Role.SURNAME)])
    full = pc.coalesce(of(Role.FULL_NAME), given_surname)
    (canon, sorted_, phonetic, first, last, tokens, placeholder, name_mother, name_mother_first) = _mapped(
        full,
        _name_columns,
        [pa.string()] * 5 + [pa.list_(pa.string()), pa.bool_(), pa.string(), pa.string()],
    )
    report.placeholders += _count(placeholder)
    mother_text = of(Role.MOTHER_NAME)
    text_mother, text_mother_first = _mapped(mother_text, _mother_columns, [pa.string(), pa.string()])
    has_text = pc.is_valid(mother_text)
    mother_canon = pc.if_else(has_text, text_mother, name_mother)
    mother_first = pc.if_else(has_text, text_mother_first, name_mother_first)

    dob, bad_date = _mapped(of(Role.DATE_OF_BIRTH), _date_columns, [pa.date32(), pa.bool_()])
    if bad := _count(bad_date):
        report.unreadable[Role.DATE_OF_BIRTH.value] += bad
    nik, national_other = _mapped(of(Role.NATIONAL_ID), _national_columns, [pa.string(), pa.string()])
    family = _one(of(Role.FAMILY_ID), read_identifier, pa.string())
    sex, bad_sex = _mapped(of(Role.SEX), _sex_columns, [pa.string(), pa.bool_()])
    if nik.null_count < count:
        nik, family, dob, sex = _with_nik(nik, family, dob, sex, today=today, report=report)
    if bad := _count(bad_sex):
        report.unreadable[Role.SEX.value] += bad
    mother_nik_regency, mother_id = _mapped(
        of(Role.MOTHER_ID), _mother_id_columns, [pa.string(), pa.string()]
    )
    district, regency, province, bad_region = _mapped(
        of(Role.REGION), _region_columns, [pa.string(), pa.string(), pa.string(), pa.bool_()]
    )
    if bad := _count(bad_region):
        report.unreadable[Role.REGION.value] += bad
    nik_regency = pc.coalesce(pc.utf8_slice_codeunits(nik, 0, 4), mother_nik_regency)
    dob_text, dob_year = _dates_as_text(dob)
    address, address_tokens_ = _mapped(
        of(Role.ADDRESS), _address_columns, [pa.string(), pa.list_(pa.string())]
    )

    columns: dict[str, pa.Array] = {
        "unique_id": _one(unique_ids, lambda v: (v or "").strip(), pa.string()),
        "source": pa.array([source] * count, pa.string()),
        "name_canon": canon,
        "name_sorted": sorted_,
        "name_phonetic": phonetic,
        "name_first": first,
        "name_last": last,
        "name_tokens": tokens,
        "mother_canon": mother_canon,
        "mother_first": mother_first,
        "dob": dob_text,
        "dob_year": dob_year,
        "sex": sex,
        "nik": nik,
        "id_national": national_other,
        "family_id": family,
        "region_district": district,
        "region_regency": regency,
        "region_province": province,
        "nik_regency": nik_regency,
        "locality": _one(of(Role.LOCALITY), _place_column, pa.string()),
        "state": _one(of(Role.STATE), _place_column, pa.string()),
        "address": address,
        "address_tokens": address_tokens_,
        "postcode": _one(of(Role.POSTCODE), read_identifier, pa.string()),
        "phone": _one(of(Role.PHONE), read_phone, pa.string()),
        "mother_id": mother_id,
    }
    schema = SCHEMA
    for number, column in enumerate(identifiers, start=1):
        name = f"{IDENTIFIER_PREFIX}{number}"
        schema = schema.append(pa.field(name, pa.string()))
        columns[name] = _one(column, read_identifier, pa.string())
    return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)


def _dates_as_text(dob: pa.Array) -> tuple[pa.Array, pa.Array]:
    """ISO text and year of each date, as `date.isoformat` and `str(year)` write them (years below 1000
    included), once per distinct date."""
    text, year = _mapped(
        dob,
        lambda d: (d.isoformat(), str(d.year)) if d is not None else (None, None),
        [pa.string(), pa.string()],
    )
    return text, year


def _with_nik(
    nik: pa.Array, family: pa.Array, dob: pa.Array, sex: pa.Array, *, today: date, report: FeatureReport
) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array]:
    """`feature_row`'s NIK step for the records that have one: a NIK whose date is not the record's is
    the family's number; otherwise the NIK lends its date of birth and sex where the record lacks them."""
    niks, families, dobs, sexes = nik.to_pylist(), family.to_pylist(), dob.to_pylist(), sex.to_pylist()
    for i in pc.indices_nonzero(pc.is_valid(nik)).to_pylist():
        number, born = niks[i], dobs[i]
        if born and not _nik_fits_date(number, born):
            report.unreadable["national_id (a family's number, not the person's NIK)"] += 1
            families[i], niks[i] = families[i] or number, None
            continue  # no NIK: nothing to lend
        nik_dob, nik_sex = nik_birth_facts(number, today=today, birth_date_hint=born)
        dobs[i] = born or nik_dob
        if sexes[i] is None and nik_sex is not None:
            sexes[i] = "F" if nik_sex == Sex.FEMALE else "M"
    return (
        pa.array(niks, pa.string()),
        pa.array(families, pa.string()),
        pa.array(dobs, pa.date32()),
        pa.array(sexes, pa.string()),
    )

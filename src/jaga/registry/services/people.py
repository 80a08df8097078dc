"""Recording people."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from jaga.access import Action
from jaga.db import EventKind
from jaga.names import basic_form
from jaga.registry.models import Person
from jaga.registry.record_warnings import nik_warnings
from jaga.registry.schemas.people import PersonIn
from jaga.registry.services.batch import (
    Batch,
    BatchOutcome,
    RowProblem,
    UniqueGuard,
    duplicate_nik,
    insert_rows,
    new_ref,
    one_of,
)


def record_people(batch: Batch, rows: Sequence[tuple[int, PersonIn]]) -> BatchOutcome:
    """Insert people; a NIK may appear once per recording source (source_kind, source_ref)."""
    batch.actor.require(Action.PEOPLE_WRITE)
    outcome = BatchOutcome()
    refs = UniqueGuard(batch.session, Person.ref, (d.ref for _, d in rows), "ref")
    keys: set[tuple[str, str, str | None]] = {
        (d.source_kind.value, d.source_ref or "", d.nik) for _, d in rows if d.nik
    }
    taken = _taken_nik_keys(batch, keys)
    values = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        region = batch.jurisdiction(data.region_code, row, problems, "a person record")
        if data.nik:
            key = (data.source_kind.value, data.source_ref or "", data.nik)
            if key in taken:
                problems.append(duplicate_nik(row, "nik"))
            taken.add(key)
        if problems or region is None:
            outcome.problems.extend(problems)
            continue
        ref = data.ref or new_ref("P")
        values.append(person_values(batch, data, ref=ref, region=region))
        outcome.refs.append(ref)
        outcome.warnings.extend(
            RowProblem(row, w.field, w.message, "warning")
            for w in nik_warnings(
                "nik",
                data.nik,
                sex=data.sex.value if data.sex else None,
                birth_date=data.birth_date,
                date_field="birth_date",
            )
        )
    outcome.ids = insert_rows(batch, Person, values, EventKind.PERSON_RECORDED)
    return outcome


def person_values(batch: Batch, data: PersonIn, *, ref: str, region: str) -> dict[str, object]:
    return {
        "ref": ref,
        "region_code": region,
        "created_at": batch.now,
        "source_kind": data.source_kind.value,
        "source_ref": data.source_ref or "",
        "full_name": data.full_name or "",
        "name_normalised": basic_form(data.full_name or ""),
        "nik": data.nik,
        "kk_number": data.kk_number,
        "sex": data.sex.value if data.sex else None,
        "birth_date": data.birth_date,
        "religion": data.religion.value if data.religion else None,
        "nationality": data.nationality,
        "address": data.address,
        "address_region_code": data.address_region_code,
        "phone": data.phone,
        "mother_name": data.mother_name,
        "mother_nik": data.mother_nik,
    }


def _taken_nik_keys(batch: Batch, keys: set[tuple[str, str, str | None]]) -> set[tuple[str, str, str | None]]:
    """Which (source_kind, source_ref, nik) keys are stored already.

    Looked up by the indexed NIK alone and matched here: a row-value IN over three columns makes
    PostgreSQL scan, which made people imports there three times slower.
    """
    niks = sorted({k[2] for k in keys if k[2]})
    taken: set[tuple[str, str, str | None]] = set()
    for start in range(0, len(niks), 5000):
        query = select(Person.source_kind, Person.source_ref, Person.nik).where(
            one_of(batch.session, Person.nik, niks[start : start + 5000])
        )
        taken.update((r[0], r[1], r[2]) for r in batch.session.execute(query) if (r[0], r[1], r[2]) in keys)
    return taken

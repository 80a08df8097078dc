"""Filing missing-child reports and changing their status."""

from __future__ import annotations

from collections.abc import Sequence

from jaga.access import Action
from jaga.db import EventKind
from jaga.errors import InvalidInput
from jaga.registry.models import MissingReport, Person
from jaga.registry.schemas.missing import MissingReportIn, MissingStatusIn
from jaga.registry.services.batch import (
    Batch,
    BatchOutcome,
    RowProblem,
    UniqueGuard,
    insert_rows,
    lookup,
    missing_ref,
    new_ref,
    owned,
)


def file_missing_reports(batch: Batch, rows: Sequence[tuple[int, MissingReportIn]]) -> BatchOutcome:
    batch.actor.require(Action.MISSING_WRITE)
    session = batch.session
    outcome = BatchOutcome()
    datas = [d for _, d in rows]
    refs = UniqueGuard(session, MissingReport.ref, (d.ref for d in datas), "ref")
    numbers = UniqueGuard(
        session, MissingReport.report_number, (d.report_number for d in datas), "report number"
    )
    people = lookup(
        session, Person, [r for d in datas for r in (d.child_ref, d.reporter_ref)], Person.birth_date
    )
    values = []
    for row, data in rows:
        problems: list[RowProblem] = []
        refs.claim(data.ref, row, "ref", problems)
        numbers.claim(data.report_number, row, "report_number", problems)
        child = people.get(data.child_ref)
        if child is None:
            problems.append(missing_ref(row, "child_ref", "person", data.child_ref))
        elif child.birth_date is not None and data.last_seen_on < child.birth_date:
            # The report contradicts its own child record: the police fix one or the other.
            problems.append(RowProblem(row, "last_seen_on", "is before the child's birth"))
        reporter = people.get(data.reporter_ref) if data.reporter_ref else None
        if data.reporter_ref and reporter is None:
            problems.append(missing_ref(row, "reporter_ref", "person", data.reporter_ref))
        region = batch.jurisdiction(
            data.region_code or data.last_seen_region_code, row, problems, "a missing-child report"
        )
        if problems or region is None or child is None:
            outcome.problems.extend(problems)
            continue
        ref = data.ref or new_ref("M")
        values.append(
            {
                "ref": ref,
                "region_code": region,
                "created_at": batch.now,
                "child_id": child.id,
                "reporter_id": reporter.id if reporter else None,
                "report_number": data.report_number,
                "police_unit": data.police_unit,
                "last_seen_on": data.last_seen_on,
                "last_seen_region_code": data.last_seen_region_code,
                "last_seen_place": data.last_seen_place,
                "description": data.description,
                "status": data.status.value,
                "status_changed_on": None,
            }
        )
        outcome.refs.append(ref)
    outcome.ids = insert_rows(batch, MissingReport, values, EventKind.MISSING_REPORT_FILED)
    return outcome


def change_missing_status(batch: Batch, ref: str, data: MissingStatusIn) -> MissingReport:
    report = owned(batch, MissingReport, ref, "missing-child report", Action.MISSING_WRITE)
    if data.changed_on < report.last_seen_on:
        raise InvalidInput(f"missing-child report {ref}: changed_on is before the child was last seen")
    report.status = data.status.value
    report.status_changed_on = data.changed_on
    batch.uow.record(EventKind.MISSING_REPORT_STATUS_CHANGED, report, actor_id=batch.actor.principal_id)
    batch.uow.commit()
    return report

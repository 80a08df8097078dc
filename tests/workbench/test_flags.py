"""The flags screens: a filtered list in the officer's region, one flag with its chart, the timeline of
its records' events, evidence and records, and a decision that is kept in the registry (with its history
and its event)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Connection, select

from jaga.db import EventRecord, create_engine_for
from jaga.flags.models import Flag, FlagStatusChange
from jaga.registry import AdoptionCase, Birth, MissingReport, Person, Placement, Relinquishment
from tests.conftest import FixedClock
from tests.workbench.conftest import ORIGIN, WorkbenchRegistry, csrf_of, log_in

Workbench = Callable[[], TestClient]


def _start(client: TestClient, username: str = "police") -> None:
    log_in(client, username)
    csrf = csrf_of(client.get("/kerja").text)
    client.post(
        "/kerja/tujuan", data={"csrf": csrf, "purpose": "evaluasi bulanan"}, headers={"Origin": ORIGIN}
    )


def _ids(html: str) -> list[int]:
    return [int(part.split('"')[0]) for part in html.split('data-flag-id="')[1:]]


def test_the_flag_list_is_filtered_and_sorted_by_score(workbench: Workbench) -> None:
    client = workbench()
    _start(client)
    everything = client.get("/kerja/flags?status=")
    assert everything.status_code == 200
    ids = _ids(everything.text)
    assert ids, "the synthetic registry's flag run found flags"
    scores = [float(p.split("<td>")[1].split("<")[0]) for p in everything.text.split("data-flag-id=")[1:]]
    assert scores == sorted(scores, reverse=True)
    high = client.get("/kerja/flags?status=&min_score=0.9")
    high_scores = [float(p.split("<td>")[1].split("<")[0]) for p in high.text.split("data-flag-id=")[1:]]
    assert all(s >= 0.9 for s in high_scores) and len(high_scores) <= len(scores)
    kind = everything.text.split('data-flag-id="')[1].split("</a>")[0].split(">")[-1]
    of_kind = client.get(f"/kerja/flags?status=&kind={kind}")
    assert of_kind.text.count("data-flag-id=") >= 1 and all(
        f">{kind}</a>" in row for row in of_kind.text.split("data-flag-id=")[1:]
    )
    assert client.get("/kerja/flags?status=nonsense").status_code == 422


def test_an_officer_sees_only_the_flags_of_their_region(workbench: Workbench) -> None:
    client = workbench()
    _start(client, "police-bali")  # scope 51 (Bali); the synthetic province is 33, its rings reach Bali
    rows = client.get("/kerja/flags?status=").text.split("data-flag-id=")[1:]
    regions = [row.split("</td><td>")[3] for row in rows]
    assert all(region.startswith("51") for region in regions), regions
    national = workbench()
    _start(national, "police")
    assert len(_ids(national.get("/kerja/flags?status=").text)) > len(rows)


def test_a_flag_page_shows_its_evidence_chart_and_records_and_a_decision_is_kept(
    workbench: Workbench, with_passwords: WorkbenchRegistry
) -> None:
    client = workbench()
    _start(client)
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        flag_id = connection.execute(
            select(Flag.id)
            .where(Flag.status == "open", Flag.kind.like("%rate%") | Flag.evidence.like('%"rate"%'))
            .order_by(Flag.score.desc())
            .limit(1)
        ).scalar()
        if flag_id is None:
            flag_id = connection.execute(select(Flag.id).where(Flag.status == "open").limit(1)).scalar_one()
    page = client.get(f"/kerja/flags/{flag_id}")
    assert page.status_code == 200
    assert "data-evidence" in page.text and "data-explanation" in page.text
    assert '<svg class="chart" role="img"' in page.text
    refused = client.post(
        f"/kerja/flags/{flag_id}",
        data={"csrf": csrf_of(page.text), "status": "dismissed"},
        headers={"Origin": ORIGIN},
    )
    assert refused.status_code == 422 and 'data-error="decision"' in refused.text  # a reason is required
    decided = client.post(
        f"/kerja/flags/{flag_id}",
        data={"csrf": csrf_of(page.text), "status": "escalated", "reason": "diteruskan ke Unit PPA Polda"},
        headers={"Origin": ORIGIN},
    )
    assert decided.status_code == 303
    after = client.get(f"/kerja/flags/{flag_id}")
    assert "data-status-value>escalated<" in after.text and "diteruskan ke Unit PPA Polda" in after.text
    with engine.connect() as connection:
        status = connection.execute(select(Flag.status).where(Flag.id == flag_id)).scalar_one()
        change = connection.execute(
            select(FlagStatusChange.id).where(
                FlagStatusChange.flag_id == flag_id, FlagStatusChange.to_status == "escalated"
            )
        ).scalar_one()
        event = connection.execute(
            select(EventRecord.kind).where(
                EventRecord.aggregate == "flag_status_changes", EventRecord.aggregate_id == change
            )
        ).scalar_one()
    engine.dispose()
    assert status == "escalated" and event == "flag.status_changed"


def test_roles_without_flags_get_a_403_page(workbench: Workbench) -> None:
    client = workbench()
    _start(client, "registrar")
    answer = client.get("/kerja/flags")
    assert answer.status_code == 403 and 'data-status="403"' in answer.text


def _record_dates(connection: Connection, refs: list[str]) -> set[date]:
    """Every date the registry holds for the records `refs` names, read straight from their tables."""
    columns = [
        (Person.ref, Person.birth_date),
        (Birth.ref, Birth.born_on),
        (Birth.ref, Birth.registered_on),
        (Relinquishment.ref, Relinquishment.occurred_on),
        (Placement.ref, Placement.from_date),
        (Placement.ref, Placement.to_date),
        (MissingReport.ref, MissingReport.last_seen_on),
        (AdoptionCase.ref, AdoptionCase.opened_on),
    ]
    found: set[date] = set()
    for ref, day in columns:
        found.update(d for d in connection.execute(select(day).where(ref.in_(refs))).scalars() if d)
    return found


def test_a_flag_page_draws_its_records_dated_events_and_its_decisions_on_a_timeline(
    workbench: Workbench, with_passwords: WorkbenchRegistry, wb_clock: FixedClock
) -> None:
    client = workbench()
    _start(client)
    engine = create_engine_for(with_passwords.url)
    with engine.connect() as connection:
        flags = connection.execute(
            select(Flag.id, Flag.subject_ref, Flag.records, Flag.first_seen_at)
            .where(Flag.present.is_(True), Flag.status == "open")
            .order_by(Flag.id)
        ).all()
        chosen = None
        for flag_id, subject, records, first_seen in flags:
            expected = _record_dates(connection, [subject, *json.loads(records)])
            if len(expected) >= 2:
                chosen = flag_id, expected, first_seen.date()
                break
    engine.dispose()
    assert chosen is not None, "a flag of the synthetic registry names records with dates"
    flag_id, expected, found_on = chosen

    page = client.get(f"/kerja/flags/{flag_id}")
    assert page.status_code == 200
    svg = page.text.split('data-chart="timeline"')[1].split("</svg>")[0]
    assert page.text.count('data-chart="timeline"') == 1 and '<svg class="chart" role="img"' in page.text
    assert '<title id="timeline-title">' in svg and '<desc id="timeline-desc">' in svg
    dates = {
        date.fromisoformat(d) for d in re.findall(r'data-timeline-event data-date="([0-9-]+)"', page.text)
    }
    assert expected | {found_on} <= dates
    assert min(dates).isoformat() in svg and max(dates).isoformat() in svg
    assert svg.count("<circle") == page.text.count("data-timeline-event ")

    wb_clock.now += timedelta(days=3)  # the decision is dated by the workbench's clock
    client = workbench()
    _start(client)
    decided = client.post(
        f"/kerja/flags/{flag_id}",
        data={"csrf": csrf_of(client.get(f"/kerja/flags/{flag_id}").text), "status": "under_review"},
        headers={"Origin": ORIGIN},
    )
    assert decided.status_code == 303
    after = client.get(f"/kerja/flags/{flag_id}")
    decision = wb_clock.now.date().isoformat()
    assert (
        f'data-date="{decision}"><td><time datetime="{decision}">{decision}</time></td><td>Keputusan'
        in after.text
    )

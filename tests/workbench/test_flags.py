"""The flags screens: a filtered list in the officer's region, one flag with its chart, evidence and
records, and a decision that is kept in the registry (with its history and its event)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from jaga.db import EventRecord, create_engine_for
from jaga.flags.models import Flag, FlagStatusChange
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

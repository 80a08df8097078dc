"""`GET /api/v1/people/{ref}/timeline`: the child timeline as JSON, on a registry filled by `jaga synth`
after the whole pipeline (linkage, flags, the log), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jaga.access.models import AuditEntry
from jaga.db import create_engine_for
from jaga.registry import Person
from jaga.synth.scenario import Scenario
from tests.conftest import DIALECTS, PreparedDatabase, _require
from tests.served_registry import ServedRegistry, served_registry, synthesised

SCENARIO = Scenario(name="timeline-api", province="33")
REASON = "perkara 7/PID/2026"
CHANNEL = "api GET /api/v1/people/{ref}/timeline"


class Registry(ServedRegistry):
    def audited(self) -> dict[str, int]:
        """Audit entries with this module's reason, by table, from the API's channel."""
        engine = create_engine_for(self.url)
        with engine.connect() as connection:
            rows = connection.execute(
                select(AuditEntry.resource, func.count())
                .where(AuditEntry.reason == REASON, AuditEntry.channel == CHANNEL)
                .group_by(AuditEntry.resource)
            ).all()
        engine.dispose()
        return {row[0]: row[1] for row in rows}


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesised(tmp_path_factory, SCENARIO, seed=21)


@pytest.fixture(scope="module", params=DIALECTS)
def registry(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    synthetic_folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Registry]:
    database = _require(_databases, request.param)
    with served_registry(database, synthetic_folder, SCENARIO, tmp_path_factory) as served:
        yield Registry(served.url, served.tokens, served.app, served.keys, served.child)


def test_the_timeline_joins_the_agencies_in_order_and_is_audited(registry: Registry) -> None:
    answer = registry.client("police").get(
        f"/api/v1/people/{registry.child}/timeline", params={"reason": REASON}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["person_ref"] == registry.child and body["records"][0] == registry.child
    entries = body["entries"]
    assert {"person", "relinquishment", "placement"} <= {e["kind"] for e in entries}
    assert len({e["agency"] for e in entries}) >= 3
    dates = [e["on"] for e in entries if e["on"] is not None]
    assert dates == sorted(dates)
    assert body["log_size"] > 0 and any(e["in_log"] for e in entries)  # the fixture integrated the log
    given_up = next(e for e in entries if e["kind"] == "relinquishment")
    assert given_up["in_scope"] and "consent_document" in given_up["facts"]
    assert {"people", "relinquishments", "placements"} <= set(registry.audited())


def test_a_person_of_another_region_is_refused_and_nothing_is_read(registry: Registry) -> None:
    before = registry.audited()
    answer = registry.client("police-bali").get(  # scope 51; the synthetic province is 33
        f"/api/v1/people/{registry.child}/timeline", params={"reason": REASON}
    )
    assert answer.status_code == 403 and answer.headers["content-type"] == "application/problem+json"
    assert "outside your scope" in answer.json()["detail"] and "entries" not in answer.json()
    # the refusal does not tell an officer of another region where the child's record lies
    assert "33" not in answer.json()["detail"].replace(registry.child, "")
    assert registry.audited() == before


def test_the_reason_is_required(registry: Registry) -> None:
    police = registry.client("police")
    missing = police.get(f"/api/v1/people/{registry.child}/timeline")
    assert missing.status_code == 422 and [e["field"] for e in missing.json()["errors"]] == ["reason"]
    blank = police.get(f"/api/v1/people/{registry.child}/timeline", params={"reason": "   x  "})
    assert blank.status_code == 422


def test_an_unknown_person_is_404_and_a_role_without_child_reads_403(registry: Registry) -> None:
    unknown = registry.client("police").get("/api/v1/people/P-TIDAKADA00/timeline", params={"reason": REASON})
    assert unknown.status_code == 404
    admin = registry.client("admin").get(
        f"/api/v1/people/{registry.child}/timeline", params={"reason": REASON}
    )
    assert admin.status_code == 403


def test_a_birth_names_its_facility_and_attendant(registry: Registry) -> None:
    from jaga.registry import Attendant, Birth, Facility

    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        child, facility, attendant = connection.execute(
            select(Person.ref, Facility.name, Attendant.full_name)
            .join(Birth, Birth.child_id == Person.id)
            .join(Facility, Facility.id == Birth.facility_id)
            .join(Attendant, Attendant.id == Birth.attendant_id)
            .order_by(Birth.id)
            .limit(1)
        ).one()
    engine.dispose()
    answer = registry.client("police").get(f"/api/v1/people/{child}/timeline", params={"reason": REASON})
    assert answer.status_code == 200, answer.text
    birth = next(e for e in answer.json()["entries"] if e["kind"] == "birth")
    assert birth["facts"]["facility"] == facility and birth["facts"]["attendant"] == attendant


def test_the_flags_that_name_a_person_are_on_their_timeline(registry: Registry) -> None:
    """Every present flag whose records name one of the person's records, and no other flag (the flags
    are read from the table here, their JSON parsed in the test)."""
    import json

    from jaga.flags.models import Flag

    engine = create_engine_for(registry.url)
    with engine.connect() as connection:
        flags = connection.execute(select(Flag.id, Flag.records, Flag.subject_ref).where(Flag.present)).all()
    engine.dispose()
    named: dict[str, set[int]] = {}
    for flag_id, records, subject in flags:
        for ref in {*json.loads(records), subject}:
            named.setdefault(ref, set()).add(flag_id)
    person = next(ref for ref in sorted(named) if ref.startswith("P-"))
    answer = registry.client("police").get(f"/api/v1/people/{person}/timeline", params={"reason": REASON})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    own = {e["ref"].split(" #")[0] for e in body["entries"] if e["kind"] != "flag"} | set(body["records"])
    expected = set().union(*(named.get(ref, set()) for ref in own))
    shown = {int(e["ref"].removeprefix("F-")) for e in body["entries"] if e["kind"] == "flag"}
    assert expected and shown == expected

"""The HTTP API through its public interface: status codes, problem details, audit, pagination."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import AuditEntry
from tests.app.conftest import ClientFor
from tests.factories.registry import nik_for

PROBLEM = "application/problem+json"


def new_person(**over: object) -> dict[str, object]:
    body = {
        "source_kind": "facility",
        "full_name": "Siti Aminah",
        "sex": "F",
        "birth_date": "1993-05-02",
        "region_code": "3374",
        "nik": nik_for(date(1993, 5, 2), "F"),
    }
    body.update(over)
    return body


def test_health_and_openapi_are_public(client_for: ClientFor) -> None:
    client = client_for(None)
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    assert "/api/v1/births" in spec["paths"]


def test_no_token_is_a_401_problem(client_for: ClientFor) -> None:
    response = client_for(None).get("/api/v1/facilities")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body == {
        "type": "https://jaga.test/problems/not-authenticated",
        "title": "Not authenticated",
        "status": 401,
        "detail": "an API token is required (Authorization: Bearer jaga_...)",
        "instance": "/api/v1/facilities",
    }


def test_a_forged_token_is_refused(client_for: ClientFor) -> None:
    client = client_for(None)
    fake = "jaga_" + "A" * 12 + "_" + "B" * 43
    response = client.get("/api/v1/facilities", headers={"Authorization": f"Bearer {fake}"})
    assert response.status_code == 401 and "not recognised" in response.json()["detail"]
    response = client.get("/api/v1/facilities", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401 and "malformed" in response.json()["detail"]


def test_create_then_read_a_person_with_a_reason(
    client_for: ClientFor, sessions: sessionmaker[Session]
) -> None:
    client = client_for("facility")
    created = client.post("/api/v1/people", json=new_person(ref="P-API-1"))
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/people/P-API-1"
    assert created.json()["name_normalised"] == "siti aminah"
    missing_reason = client.get("/api/v1/people/P-API-1")
    assert missing_reason.status_code == 422
    assert missing_reason.json()["errors"][0]["field"] == "reason"
    read = client.get("/api/v1/people/P-API-1", params={"reason": "ANC visit 2026-02"})
    assert read.status_code == 200 and read.json()["ref"] == "P-API-1"
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None
    assert (entry.reason, entry.channel) == ("ANC visit 2026-02", "api GET /api/v1/people/{ref}")


def test_invalid_fields_are_each_named_without_echoing_values(client_for: ClientFor) -> None:
    response = client_for("facility").post(
        "/api/v1/people", json=new_person(nik="9974015508900001", region_code="99", sex="X", colour="blue")
    )
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    errors = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert set(errors) == {"nik", "region_code", "sex", "colour"}
    assert "province code 99 does not exist" in errors["nik"]
    assert "9974015508900001" not in response.text


def test_a_body_that_is_not_json_is_a_4xx_problem_not_a_500(client_for: ClientFor) -> None:
    client = client_for("facility")
    for body in (b"\xff\xfe not json", b"\xff\xfe", b"{not json", b"[1, 2, 3]", b""):
        response = client.post("/api/v1/people", content=body, headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, body
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["detail"]


def test_duplicate_nik_is_a_409(client_for: ClientFor) -> None:
    client = client_for("facility")
    body = new_person(source_ref="F-9")
    assert client.post("/api/v1/people", json=body).status_code == 201
    response = client.post("/api/v1/people", json=body)
    assert response.status_code == 409
    assert response.json()["type"].endswith("/problems/duplicate-nik")


def test_outside_the_region_is_a_403(client_for: ClientFor) -> None:
    response = client_for("facility-semarang").post("/api/v1/people", json=new_person(region_code="5171"))
    assert response.status_code == 403
    assert response.json()["type"].endswith("/problems/out-of-region")


def test_unknown_record_route_and_method_are_problems(client_for: ClientFor) -> None:
    client = client_for("auditor")
    missing = client.get("/api/v1/births/B-NOPE", params={"reason": "audit 2026"})
    assert missing.status_code == 404 and missing.json()["ref"] == "B-NOPE"
    assert client.get("/api/v1/nothing-here").status_code == 404
    not_allowed = client.delete("/api/v1/births")
    assert not_allowed.status_code == 405 and not_allowed.headers["content-type"] == PROBLEM


def test_adoption_step_out_of_order_names_the_missing_step(client_for: ClientFor) -> None:
    social = client_for("social_worker")
    child = social.post(
        "/api/v1/people", json=new_person(full_name="Bayi", birth_date="2024-01-01", nik=None)
    ).json()
    adopter = social.post(
        "/api/v1/people", json=new_person(full_name="Ibu Angkat", nik=None, source_kind="social_service")
    ).json()
    case = social.post(
        "/api/v1/adoption-cases",
        json={
            "child_ref": child["ref"],
            "kind": "domestic",
            "adopter_ref": adopter["ref"],
            "region_code": "3374",
            "applied_on": "2024-02-01",
        },
    )
    assert case.status_code == 201, case.text
    assert case.json()["next_steps"] == ["eligibility_check", "withdrawal"]
    ref = case.json()["ref"]
    response = client_for("court").post(
        f"/api/v1/adoption-cases/{ref}/steps",
        json={
            "step": "court_ruling",
            "occurred_on": "2024-03-01",
            "outcome": "granted",
            "documents": [{"kind": "court_ruling", "number": "1/Pdt.P/2024/PN.Smg"}],
        },
    )
    assert response.status_code == 409
    body = response.json()
    assert body["missing_step"] == "eligibility_check" and body["requested_step"] == "court_ruling"
    wrong_role = social.post(
        f"/api/v1/adoption-cases/{ref}/steps",
        json={
            "step": "court_ruling",
            "occurred_on": "2024-03-01",
            "outcome": "granted",
            "documents": [{"kind": "court_ruling", "number": "1/Pdt.P/2024/PN.Smg"}],
        },
    )
    assert wrong_role.status_code == 403
    step = social.post(
        f"/api/v1/adoption-cases/{ref}/steps",
        json={"step": "eligibility_check", "occurred_on": "2024-02-10", "outcome": "passed"},
    )
    assert step.status_code == 201 and step.json()["current_step"] == "eligibility_check"


def test_lists_page_with_cursors(client_for: ClientFor) -> None:
    admin = client_for("admin")
    for i in range(3):
        assert (
            admin.post(
                "/api/v1/facilities",
                json={
                    "name": f"Klinik {i}",
                    "kind": "clinic",
                    "licence_number": f"PG-LIC-{i}",
                    "region_code": "3374",
                },
            ).status_code
            == 201
        )
    first = admin.get("/api/v1/facilities", params={"limit": 2}).json()
    second = admin.get("/api/v1/facilities", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert first["next_cursor"] and not {f["ref"] for f in first["items"]} & {
        f["ref"] for f in second["items"]
    }
    assert admin.get("/api/v1/facilities", params={"limit": 501}).status_code == 422


def test_accounts_are_managed_by_admins_and_revocation_is_immediate(client_for: ClientFor) -> None:
    admin = client_for("admin")
    created = admin.post(
        "/api/v1/users", json={"username": "bidan.ani", "role": "facility", "region_scope": "33.74"}
    )
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    me = client_for(None).get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["region_scope"] == "33.74" and "births:record" in me.json()["permissions"]
    assert admin.post("/api/v1/users/bidan.ani/revoke").status_code == 200
    after = client_for(None).get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert after.status_code == 401 and "revoked" in after.json()["detail"]
    scoped = client_for("admin-bali").post(
        "/api/v1/users", json={"username": "x.y", "role": "police", "region_scope": "33"}
    )
    assert scoped.status_code == 403


def test_nik_check_is_a_post_so_the_nik_stays_out_of_urls(client_for: ClientFor) -> None:
    response = client_for("police").post("/api/v1/nik/check", json={"nik": "3374015508900001", "sex": "M"})
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] and not body["consistent"]
    assert body["decoded"]["regency"] == "Kota Semarang"


def test_regions_are_listed_by_parent(client_for: ClientFor) -> None:
    client = client_for("facility")
    provinces = client.get("/api/v1/regions").json()
    assert len(provinces) == 38
    regencies = client.get("/api/v1/regions", params={"parent": "33"}).json()
    assert {
        "code": "3374",
        "dotted": "33.74",
        "level": 2,
        "kind": "kota",
        "name": "Kota Semarang",
        "parent_code": "33",
    } in regencies
    assert client.get("/api/v1/regions/99").status_code == 422


def test_auditors_see_the_audit_trail_and_event_metadata_only(client_for: ClientFor) -> None:
    client_for("facility").post("/api/v1/people", json=new_person(ref="P-AUD"))
    client_for("police").get("/api/v1/people/P-AUD", params={"reason": "LP/77/2026"})
    auditor = client_for("auditor")
    trail = auditor.get("/api/v1/audit", params={"resource": "people"}).json()["items"]
    assert any(e["principal"] == "police" and e["reason"] == "LP/77/2026" for e in trail)
    events = auditor.get("/api/v1/events", params={"kind": "person.recorded"}).json()["items"]
    assert events and set(events[0]) == {
        "seq",
        "kind",
        "aggregate",
        "aggregate_id",
        "recorded_at",
        "actor_id",
        "commitment",
    }
    assert client_for("police").get("/api/v1/audit").status_code == 403


def test_problem_types_resolve_to_bilingual_help(client_for: ClientFor) -> None:
    page = client_for(None).get("/problems/step-out-of-order")
    assert page.status_code == 200
    assert "Tahap pengangkatan anak" in page.text and "adoption step" in page.text


def test_nul_characters_are_refused_at_the_edge_not_by_the_database(client_for: ClientFor) -> None:
    client = client_for("registrar")
    listed = client.get("/api/v1/people", params={"reason": "case\x00 review"})
    assert listed.status_code == 422 and "NUL" in listed.json()["detail"]
    created = client.post(
        "/api/v1/people",
        json={"source_kind": "civil_registry", "full_name": "Siti\x00Aminah", "region_code": "3374"},
    )
    assert created.status_code == 422 and "NUL" in created.text

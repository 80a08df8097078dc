"""The OpenAPI document says what the server does: every status a route answers, with the problem schema;
parameters required where the server requires them; values in the formats the schema names; and what
the schema forbids is refused (422), not quietly accepted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.registry.kinds import READS
from tests.app.conftest import ClientFor
from tests.factories.registry import institution

PROBLEM = "application/problem+json"


@pytest.fixture
def spec(client_for: ClientFor) -> dict[str, Any]:
    return client_for(None).get("/openapi.json").json()  # type: ignore[no-any-return]


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_status_a_route_can_answer_is_documented_as_a_problem(spec: dict[str, Any]) -> None:
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["properties"])
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for method, path, operation in _operations(spec):
        responses = operation["responses"]
        expected = {"422", "503"}
        action = operation.get("x-jaga-action")
        if action:
            expected |= {"401"} if action == "any" else {"401", "403"}
        if "{" in path:
            expected.add("404")
        if method == "POST":
            expected.add("409")
        assert expected <= set(responses), (method, path, sorted(responses))
        for status, response in responses.items():
            if int(status) >= 400:
                assert set(response["content"]) == {PROBLEM}, (method, path, status)
                assert response["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_reason_is_required_exactly_where_reads_are_audited(spec: dict[str, Any]) -> None:
    for kind, read in READS.items():
        for path in (f"/api/v1/{kind}", f"/api/v1/{kind}/{{ref}}"):
            parameters = {p["name"]: p for p in spec["paths"][path]["get"].get("parameters", [])}
            if read.audited:
                assert parameters["reason"]["required"] is True, path
                assert parameters["reason"]["schema"]["minLength"] == 4
            else:
                assert "reason" not in parameters, path
    for path in ("/api/v1/certificates/{ref}", "/api/v1/flags", "/api/v1/people/{ref}/identity"):
        reason = next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "reason")
        assert reason["required"] is True, path


def test_a_missing_reason_is_refused_naming_the_parameter(client_for: ClientFor) -> None:
    response = client_for("police").get("/api/v1/people")
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]
    blank = client_for("police").get("/api/v1/people", params={"reason": "   x   "})
    assert blank.status_code == 422


def test_since_and_until_are_offered_only_on_kinds_with_a_date(spec: dict[str, Any]) -> None:
    for kind, read in READS.items():
        names = {p["name"] for p in spec["paths"][f"/api/v1/{kind}"]["get"]["parameters"]}
        assert ({"since", "until"} <= names) == (read.date_column is not None), kind
        if read.date_column is None:
            assert not {"since", "until"} & names, kind


def test_a_method_the_path_does_not_take_is_405_with_every_method_it_does(client_for: ClientFor) -> None:
    client = client_for("police")
    for method in ("OPTIONS", "DELETE", "PATCH"):
        response = client.request(method, "/api/v1/people")
        assert response.status_code == 405 and response.headers["content-type"] == PROBLEM
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert {"GET", "POST"} <= allowed, response.headers["allow"]
    single = client.request("OPTIONS", "/api/v1/people/P-1")
    assert single.status_code == 405 and "GET" in single.headers["allow"]


def test_times_of_birth_are_local_wall_clock_strings_in_schema_and_value(
    spec: dict[str, Any], client_for: ClientFor
) -> None:
    schemas = spec["components"]["schemas"]
    for name in ("BirthOut", "BirthIn"):
        field = schemas[name]["properties"]["born_at_time"]
        variants = field.get("anyOf", [field])
        string = next(v for v in variants if v.get("type") == "string")
        assert "format" not in string and "pattern" in string, (name, field)
        assert re.fullmatch(string["pattern"].strip("^$"), "17:42:00")
        assert not re.fullmatch(string["pattern"].strip("^$"), "17:42:00+07:00")


def test_an_empty_string_is_refused_not_taken_as_absent(
    client_for: ClientFor, sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    ref = institution(sessions, actors["admin"])
    social = client_for("social_worker")
    before = social.get(f"/api/v1/institutions/{ref}").json()
    response = social.post(
        f"/api/v1/institutions/{ref}/licence", json={"licence_status": "suspended", "licence_valid_until": ""}
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["licence_valid_until"]
    assert social.get(f"/api/v1/institutions/{ref}").json() == before  # nothing changed


@pytest.mark.parametrize(
    "body",
    [
        {"nik": ""},
        {"nik": "3374015508900001", "birth_date": 19900815},
        {"nik": "3374015508900001", "birth_date": 86400},
        {"nik": "3374015508900001", "birth_date": ""},
        {"nik": 3374015508900001},
    ],
)
def test_the_nik_check_refuses_what_its_schema_forbids(
    client_for: ClientFor, body: dict[str, object]
) -> None:
    response = client_for("police").post("/api/v1/nik/check", json=body)
    assert response.status_code == 422, response.text


def test_region_code_is_documented_as_required_for_national_accounts(
    spec: dict[str, Any], client_for: ClientFor
) -> None:
    person = spec["components"]["schemas"]["PersonIn"]
    assert "region_code" not in person.get("required", [])
    assert "national" in person["properties"]["region_code"]["description"]
    body = {"source_kind": "facility", "full_name": "Siti Aminah", "sex": "F"}
    national = client_for("facility").post("/api/v1/people", json=body)
    assert national.status_code == 422
    assert national.json()["errors"] == [
        {"field": "region_code", "reason": "is required (your account covers the whole country)"}
    ]
    regional = client_for("facility-semarang").post("/api/v1/people", json=body)
    assert regional.status_code == 201 and regional.json()["region_code"] == "33.74"


def test_the_documented_responses_are_what_a_client_receives(
    client_for: ClientFor, spec: dict[str, Any]
) -> None:
    client: TestClient = client_for("police")
    missing = client.get("/api/v1/people/P-NOPE", params={"reason": "LP/1/2026"})
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert "404" in spec["paths"]["/api/v1/people/{ref}"]["get"]["responses"]


@pytest.mark.parametrize("weight", ["3000", True, 3000.5])
def test_a_number_must_be_a_json_number(
    client_for: ClientFor, sessions: sessionmaker[Session], actors: dict[str, Actor], weight: object
) -> None:
    from tests.factories.registry import mother

    body = {"mother_ref": mother(sessions, actors["facility"]), "born_on": "2025-01-10", "child_sex": "F"}
    body.update({"place_region_code": "3374", "birth_weight_g": weight})
    response = client_for("facility").post("/api/v1/births", json=body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["birth_weight_g"]

"""The OpenAPI document says what the server answers: every error status of every operation, as RFC 9457
problem details (`application/problem+json`, one `Problem` schema), not FastAPI's default 200/422.

Which errors an operation can answer follows from how it is built, so a new route is documented without
anyone remembering to: an operation that declares an action (`x-jaga-action`) needs a token (401) and,
unless the action is `any`, a role that holds it (403); a path with parameters can name a record that
does not exist (404); a POST writes and can conflict with stored records (409); a body can fail to parse
as JSON (400); any request can be invalid (422) and any operation needs the database (503). A route
that answers more declares it with `responses={status: {...}}`; its content is made the problem schema
here too.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

PROBLEM_JSON = "application/problem+json"

DESCRIPTIONS = {
    400: "Bad request: the body is not JSON (or not UTF-8).",
    401: "Not authenticated: no API token, or one that is malformed, unknown or revoked.",
    403: "Permission denied: your role may not do this, or the record lies outside your region.",
    404: "Not found: no record with this reference.",
    409: "Conflict with stored records: a duplicate reference or NIK, or a workflow step out of order.",
    422: "Invalid input: a parameter or field breaks this schema, or a rule the schema cannot express "
    "(a referenced record that does not exist, dates out of order, `region_code` missing for an account "
    "of national scope). Each field is named in `errors`; submitted values are never echoed.",
    503: "The database cannot be reached, or its schema needs `jaga db upgrade`; try again later.",
}


class FieldError(BaseModel):
    """One invalid field (or the whole record when `field` is null)."""

    field: str | None
    reason: str
    location: list[str] | None = Field(
        default=None, description="where the field is: `body`, `query` or `path`, then its name"
    )


class Problem(BaseModel):
    """RFC 9457 problem details. Extension members depend on the `type`: `errors`, `error_id`, `ref`,
    `missing_step`, ... Messages name refs, fields and rules, never personal data."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URL of the problem type's help page, in Bahasa Indonesia and English")
    title: str = Field(description="short summary of the problem type, in the negotiated language")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what went wrong with this request, in the negotiated language")
    instance: str = Field(description="the path of the request")
    errors: list[FieldError] | None = Field(default=None, description="each invalid field, with why")
    error_id: str | None = Field(default=None, description="quote it to the operator (500, 503)")


def _problem_response(status: int, description: str | None = None) -> dict[str, Any]:
    return {
        "description": description or DESCRIPTIONS.get(status, "Problem details."),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def expected_problems(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer, from how it is built (see the module docstring)."""
    statuses = {422, 503}
    action = operation.get("x-jaga-action")
    if action:
        statuses |= {401} if action == "any" else {401, 403}
    if "{" in path:
        statuses.add(404)
    if method == "post":
        statuses.add(409)
    if "requestBody" in operation:
        statuses.add(400)
    return statuses


def document_problems(schema: dict[str, Any]) -> None:
    """Give every operation its problem responses and the `Problem` schema, in place."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem.pop("$defs", {}))
    components["Problem"] = problem
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in expected_problems(method, path, operation):
                responses.setdefault(str(status), {})
            for status, response in list(responses.items()):
                if status.isdigit() and int(status) >= 400:
                    given = response.get("description")
                    default = given in (None, "", "Validation Error")
                    responses[status] = _problem_response(int(status), None if default else given)
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)


def install(app: FastAPI) -> None:
    """Post-process `app`'s OpenAPI document whenever FastAPI (re)generates it."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()  # FastAPI's, cached until a route is added
        if "Problem" not in schema.get("components", {}).get("schemas", {}):
            document_problems(schema)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

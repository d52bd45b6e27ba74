"""The published OpenAPI document: valid, and every HTTP route's answer schema is its runtime model's."""

from __future__ import annotations

from collections.abc import Iterator
from types import UnionType
from typing import Any, Union, get_args, get_origin

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openapi_spec_validator import validate
from pydantic import BaseModel

from mock_symbl.app import create_app
from mock_symbl.routes import iter_routes
from tests.conftest import make_settings

# Routes that are documentation or HTML pages rather than API operations.
EXEMPT_PREFIXES = ("/__admin/ui", "/docs", "/redoc")
EXEMPT_PATHS = {"/openapi.json", "/asyncapi.json", "/__admin/tls/ca.pem"}  # documents, not JSON answers


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    return schema


def _is_real(spec: dict[str, Any], schema: dict[str, Any] | None) -> bool:
    """A named model, a list of named models, or an object/union that says what it holds."""
    if not schema:
        return False
    if "$ref" in schema:
        return True
    if schema.get("type") == "array":
        return _is_real(spec, schema.get("items"))
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return all(_is_real(spec, s) or s.get("type") == "null" for s in schema[key])
    return bool(schema.get("properties")) or schema.get("type") in ("string", "integer", "number", "boolean")


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[TestClient, dict[str, Any]]]:
    """One app for the read-only checks of this module: building the document takes seconds."""
    with TestClient(create_app(make_settings())) as client:
        response = client.get("/openapi.json")
        assert response.status_code == 200
        yield client, response.json()


def test_openapi_validates(served: tuple[TestClient, dict[str, Any]]) -> None:
    spec = served[1]
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert "Error" in spec["components"]["schemas"]
    assert not [p for p in spec["paths"] if p.startswith("/__admin/ui")]  # HTML pages are not API operations


def _models(tp: Any) -> list[type[BaseModel]] | None:
    """The models a response_model declares: a model, a list of models or a union of them; else None."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    args = [a for a in get_args(tp) if a is not type(None)]
    if get_origin(tp) is list and len(args) == 1:
        return _models(args[0])
    if get_origin(tp) in (Union, UnionType) and args:
        found = [_models(a) for a in args]
        return None if any(f is None for f in found) else [m for f in found for m in f or ()]
    return None


def _titles(spec: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Titles of the components an answer schema refers to at its top (through arrays and unions)."""
    if "$ref" in schema:
        return [str(_resolve(spec, schema).get("title"))]
    if schema.get("type") == "array":
        return _titles(spec, schema.get("items") or {})
    return [t for key in ("anyOf", "oneOf") for s in schema.get(key, []) for t in _titles(spec, s)]


def _operations(app: Any) -> Iterator[tuple[str, str, APIRoute]]:
    for info in iter_routes(app):
        path, route = info.path, info.route
        if not isinstance(route, APIRoute):
            continue
        if path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES):
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            yield method, path, route


def test_no_route_without_a_response_schema_generated_from_its_runtime_model(
    served: tuple[TestClient, dict[str, Any]],
) -> None:
    client, spec = served
    missing: list[str] = []
    for method, path, route in _operations(client.app):
        name = f"{method} {path}"
        if not route.include_in_schema:  # an undocumented alias still answers through a model
            if not _models(route.response_model) and route.status_code != 204:
                missing.append(f"{name}: response_model {route.response_model!r} is not a model")
            continue
        op = spec["paths"].get(path, {}).get(method.lower())
        if op is None:
            missing.append(f"{name}: not in the OpenAPI document")
            continue
        answers = {c: a for c, a in op["responses"].items() if c.startswith("2")}
        bodies = {c: a["content"] for c, a in answers.items() if a.get("content")}
        if not bodies:
            # An explicitly empty answer (204, or a bare Response): nothing to declare, and none is sent.
            if route.response_model is not None:
                missing.append(f"{name}: declares {route.response_model} but documents no body")
            continue
        models = _models(route.response_model)
        if not models:
            missing.append(f"{name}: response_model {route.response_model!r} is not a model")
            continue
        expected = sorted(m.model_config.get("title") or m.__name__ for m in models)
        for code, content in bodies.items():
            schema = content.get("application/json", {}).get("schema") or {}
            if sorted(_titles(spec, schema)) != expected:
                missing.append(f"{name}: the {code} schema is not {expected}'s")
    assert not missing, (
        "every route declares its answer with a pydantic model used at run time (response_model= or a typed "
        "return) and the document shows that model:\n" + "\n".join(missing)
    )


def test_errors_are_documented_in_symbl_shape(served: tuple[TestClient, dict[str, Any]]) -> None:
    spec = served[1]
    op = spec["paths"]["/v1/conversations/{conversationId}/experiences"]["post"]
    assert "422" not in op["responses"]
    for code in ("400", "401", "404"):
        assert op["responses"][code]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    assert op["security"] == [{"bearerAuth": []}, {"apiKeyAuth": []}]
    token = spec["paths"]["/oauth2/token:generate"]["post"]
    assert "security" not in token


def test_docs_are_served_offline(served: tuple[TestClient, dict[str, Any]]) -> None:
    client = served[0]
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs/static/swagger-ui-bundle.js" in page.text and "cdn.jsdelivr" not in page.text
    assert client.get("/docs/static/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/static/swagger-ui.css").status_code == 200


class Checker:
    """Calls routes and validates each 2xx JSON answer against the schema the OpenAPI document gives it."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers
        self.spec = client.get("/openapi.json").json()
        self.checked: set[str] = set()

    def __call__(self, method: str, template: str, path: str | None = None, **kwargs: Any) -> Any:
        from jsonschema import Draft202012Validator

        response = self.client.request(method, path or template, headers=self.headers, **kwargs)
        assert response.status_code < 300, (
            method,
            path or template,
            response.status_code,
            response.text[:300],
        )
        answers = self.spec["paths"][template][method.lower()]["responses"]
        answer = answers.get(str(response.status_code)) or next(
            a for c, a in answers.items() if c.startswith("2")
        )
        schema = answer.get("content", {}).get("application/json", {}).get("schema")
        if schema and response.content:
            validator = Draft202012Validator({**schema, "components": self.spec["components"]})
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())]
            assert not errors, (method, template, errors[:5])
            self.checked.add(f"{method} {template}")
        return response.json() if response.content else None


def test_answers_match_their_documented_schemas(client: TestClient, headers: dict[str, str]) -> None:
    from tests.helpers import SAMPLE_MESSAGES, submit_text

    check = Checker(client, headers)
    # twice the sample: over the 50 words the call score needs
    cid = submit_text(client, headers, SAMPLE_MESSAGES * 2, webhookUrl="http://127.0.0.1:9/hook")[
        "conversationId"
    ]
    conv = "/v1/conversations/{conversationId}"
    for suffix in ("", "/messages", "/members", "/insights", "/questions", "/action-items", "/follow-ups", "/topics",
                   "/entities", "/analytics", "/trackers", "/intents", "/summary", "/callscore", "/callscore/status",
                   "/lm-insights", "/lm-insights/status"):  # fmt: skip
        check("GET", conv + suffix, f"/v1/conversations/{cid}{suffix}")
    check("GET", "/v1/conversations")
    check(
        "POST",
        conv + "/transcript",
        f"/v1/conversations/{cid}/transcript",
        json={"contentType": "text/markdown"},
    )
    member = check("GET", conv + "/members", f"/v1/conversations/{cid}/members")["members"][0]["id"]
    check(
        "PUT",
        conv + "/members/{memberId}",
        f"/v1/conversations/{cid}/members/{member}",
        json={"id": member, "name": "Zed", "email": "z@example.com"},
    )
    bookmark = check(
        "POST",
        conv + "/bookmarks",
        f"/v1/conversations/{cid}/bookmarks",
        json={
            "label": "L",
            "description": "D",
            "user": {"name": "A", "userId": "a@example.com", "email": "a@example.com"},
            "beginTimeOffset": 0,
            "duration": 3,
        },
    )["id"]
    check("GET", conv + "/bookmarks", f"/v1/conversations/{cid}/bookmarks")
    check(
        "GET",
        conv + "/bookmarks/{bookmarkId}/summary",
        f"/v1/conversations/{cid}/bookmarks/{bookmark}/summary",
    )
    check("GET", conv + "/bookmarks-summary", f"/v1/conversations/{cid}/bookmarks-summary")
    tracker = check("POST", "/v1/manage/tracker", json={"name": "Price", "vocabulary": ["price"]})["tracker"][
        "id"
    ]
    check("GET", "/v1/manage/trackers")
    check("POST", "/v1/manage/trackers", json={"name": "Cost", "vocabulary": ["cost"]})
    check("DELETE", "/v1/manage/tracker/{trackerId}", f"/v1/manage/tracker/{tracker}")
    entity = check(
        "POST", "/v1/manage/entities", json={"type": "Vehicle", "subType": "Car", "values": ["Tesla"]}
    )["id"]
    check("GET", "/v1/manage/entities")
    check("DELETE", "/v1/manage/entities/{entityId}", f"/v1/manage/entities/{entity}")
    group = check("POST", "/v1/manage/group", json={"name": "G", "criteria": "conversation.name==x"})[
        "group"
    ]["id"]
    check("GET", "/v1/manage/groups")
    check("DELETE", "/v1/manage/group/{groupId}", f"/v1/manage/group/{group}")
    check("GET", "/v1/manage/callscore/criteria")
    check("GET", "/v1/manage/settings")
    check("GET", "/v1/metric/{metricId}", "/v1/metric/m1")
    check("POST", "/v1/metric/{metricId}/entry", "/v1/metric/m1/entry", json={"value": 1})
    connection = check(
        "POST",
        "/v1/endpoint:connect",
        json={"operation": "start", "endpoint": {"type": "pstn", "phoneNumber": "14155550100"}},
    )["connectionId"]
    check(
        "POST",
        "/v1/event/{connectionId}",
        f"/v1/event/{connection}",
        json={"type": "started_speaking", "user": {"userId": "a", "name": "A"}},
    )
    check("POST", "/v1/endpoint:connect", json={"operation": "stop", "connectionId": connection})
    for path in ("/__admin/health", "/__admin/config", "/__admin/seed", "/__admin/jobs", "/__admin/clock", "/__admin/faults",
                 "/__admin/requests", "/__admin/requests/count", "/__admin/requests/unmatched", "/__admin/results",
                 "/__admin/snapshot", "/__admin/webhooks"):  # fmt: skip
        check("GET", path)
    check("POST", "/__admin/clock/freeze")
    check("POST", "/__admin/clock/advance", json={"seconds": 1})
    check("POST", "/__admin/clock/resume")
    check("POST", "/__admin/faults", json={"path": "/v1/nothing/*", "status": 500})
    check("DELETE", "/__admin/faults")
    check("POST", "/__admin/jobs/advance")
    check("DELETE", "/__admin/requests")
    snapshot = check("POST", "/__admin/snapshot")
    check("PUT", "/__admin/snapshot", json=snapshot)
    check("POST", "/__admin/reset")
    assert len(check.checked) >= 50


def test_every_json_request_body_has_a_schema(served: tuple[TestClient, dict[str, Any]]) -> None:
    spec = served[1]
    missing = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            schema = body.get("schema") or {}
            options = schema.get("anyOf", [schema])
            if not any(_is_real(spec, s) or s.get("additionalProperties") is True for s in options):
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"JSON request bodies without a schema: {missing}"


def test_management_and_bookmark_answers_match(client: TestClient, headers: dict[str, str]) -> None:
    from tests.helpers import submit_text

    check = Checker(client, headers)
    cid = submit_text(client, headers)["conversationId"]
    conv = "/v1/conversations/{conversationId}"
    user = {"name": "A", "userId": "a@example.com", "email": "a@example.com"}
    mark = {"label": "L", "description": "D", "user": user, "beginTimeOffset": 0, "duration": 3}
    bookmark = check("POST", conv + "/bookmarks", f"/v1/conversations/{cid}/bookmarks", json=mark)["id"]
    check("GET", conv + "/bookmarks/{bookmarkId}", f"/v1/conversations/{cid}/bookmarks/{bookmark}")
    check("PUT", conv + "/bookmarks/{bookmarkId}", f"/v1/conversations/{cid}/bookmarks/{bookmark}", json=mark)
    check("POST", conv + "/bookmarks/bulk", f"/v1/conversations/{cid}/bookmarks/bulk", json=[mark])
    check("PUT", conv + "/speakers", f"/v1/conversations/{cid}/speakers", json={"speakerEvents": []})
    check("POST", conv + "/summary", f"/v1/conversations/{cid}/summary")
    ui = check(
        "POST", conv + "/summary", f"/v1/conversations/{cid}/summary", json={"name": "verbose-text-summary"}
    )
    assert ui["name"] == "verbose-text-summary"  # the Go SDK's Experience API alias
    check("GET", conv + "/trackers-detected", f"/v1/conversations/{cid}/trackers-detected")
    entity = check("POST", "/v1/manage/entities/bulk", json=[{"type": "V", "subType": "B", "values": ["x"]}])
    entity_id = entity["entities"][0]["id"]
    check("GET", "/v1/manage/entities/{entityId}", f"/v1/manage/entities/{entity_id}")
    check(
        "PUT",
        "/v1/manage/entities/{entityId}",
        f"/v1/manage/entities/{entity_id}",
        json={"type": "V", "subType": "B", "values": ["y"]},
    )
    check("DELETE", "/v1/manage/entities", "/v1/manage/entities?subType=B")
    tracker = check("POST", "/v1/manage/trackers", json={"name": "Cost", "vocabulary": ["cost"]})["tracker"][
        "id"
    ]
    check("GET", "/v1/manage/trackers/{trackerId}", f"/v1/manage/trackers/{tracker}")
    check(
        "PATCH",
        "/v1/manage/trackers/{trackerId}",
        f"/v1/manage/trackers/{tracker}",
        json=[{"op": "add", "path": "/vocabulary", "value": ["price"]}],
    )
    check("DELETE", "/v1/manage/trackers/{trackerId}", f"/v1/manage/trackers/{tracker}")
    check("POST", "/v1/manage/trackers/bulk", json=[{"name": "B1", "vocabulary": ["b"]}])
    old = check("POST", "/v1/manage/tracker", json={"name": "T1", "vocabulary": ["price"]})["tracker"]["id"]
    check("GET", "/v1/manage/tracker/{trackerId}", f"/v1/manage/tracker/{old}")
    check(
        "PUT",
        "/v1/manage/tracker/{trackerId}",
        f"/v1/manage/tracker/{old}",
        json={"name": "T1", "vocabulary": ["cost"]},
    )
    group = check("POST", "/v1/manage/groups", json=[{"name": "G2", "criteria": "conversation.name==y"}])[
        "groups"
    ][0]["id"]
    check("GET", "/v1/manage/group/{groupId}", f"/v1/manage/group/{group}")
    check(
        "PUT",
        "/v1/manage/group/{groupId}",
        f"/v1/manage/group/{group}",
        json={"name": "G3", "criteria": "conversation.name==z"},
    )
    criteria = {
        "name": "C",
        "description": "d",
        "tags": [],
        "checklist": [{"question": "q?", "priority": "high"}],
    }
    crit = check("POST", "/v1/manage/callscore/criteria", json=criteria)["id"]
    check("GET", "/v1/manage/callscore/criteria/{criteriaId}", f"/v1/manage/callscore/criteria/{crit}")
    check(
        "PUT",
        "/v1/manage/callscore/criteria/{criteriaId}",
        f"/v1/manage/callscore/criteria/{crit}",
        json=criteria,
    )
    check(
        "PATCH",
        "/v1/manage/callscore/criteria/{criteriaId}",
        f"/v1/manage/callscore/criteria/{crit}",
        json=[{"op": "replace", "path": "/name", "value": "C3"}],
    )
    check("DELETE", "/v1/manage/callscore/criteria/{criteriaId}", f"/v1/manage/callscore/criteria/{crit}")
    card = {"name": "S", "description": "d", "criteriaList": ["Symbl.Forward_Motion"]}
    scorecard = check("POST", "/v1/manage/callscore/scorecards", json=card)["id"]
    check("GET", "/v1/manage/callscore/scorecards")
    check(
        "GET", "/v1/manage/callscore/scorecards/{scorecardId}", f"/v1/manage/callscore/scorecards/{scorecard}"
    )
    check(
        "PUT",
        "/v1/manage/callscore/scorecards/{scorecardId}",
        f"/v1/manage/callscore/scorecards/{scorecard}",
        json=card,
    )
    check(
        "PATCH",
        "/v1/manage/callscore/scorecards/{scorecardId}",
        f"/v1/manage/callscore/scorecards/{scorecard}",
        json=[{"op": "replace", "path": "/name", "value": "S3"}],
    )
    check(
        "DELETE",
        "/v1/manage/callscore/scorecards/{scorecardId}",
        f"/v1/manage/callscore/scorecards/{scorecard}",
    )
    check(
        "PATCH", "/v1/manage/settings", json=[{"op": "add", "path": "/redaction", "value": {"enabled": True}}]
    )
    assert len(check.checked) >= 30

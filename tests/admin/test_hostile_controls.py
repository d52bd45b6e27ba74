"""Control headers, fault rules and journal parameters that used to break the server (issue 16, point 9):
each is sent first as the attack, answered with a 4xx and Symbl's body, and the server keeps working."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mock_symbl.admin.patterns import PatternError, compile_path

BAD_HEADERS = [
    {"Prefer": "code=1e400"},
    {"Prefer": "code=nan"},
    {"Prefer": "code=429.5"},
    {"Prefer": "code"},
    {"Prefer": "delay=inf"},
    {"Prefer": "delay=nan"},
    {"Prefer": "delay=-1"},
    {"X-Mock-Fault": "status=inf"},
    {"X-Mock-Fault": "status=1e400"},
    {"X-Mock-Fault": "999"},
    {"X-Mock-Fault": "latency=inf"},
    {"X-Mock-Fault": "latency=1e300"},
    {"X-Mock-Fault": "latency_ms=NaN"},
]


@pytest.mark.parametrize("bad", BAD_HEADERS, ids=lambda h: next(iter(h.values())))
def test_bad_control_headers_get_a_400_even_without_a_token(
    client: TestClient, headers: dict[str, str], bad: dict[str, str]
) -> None:
    for extra in ({}, headers):
        response = client.get("/v1/conversations", headers={**extra, **bad})
        assert response.status_code == 400, response.text
        assert next(iter(bad)) in response.json()["message"]  # names the header
    assert client.get("/v1/conversations", headers=headers).status_code == 200


def test_good_control_headers_still_work(client: TestClient, headers: dict[str, str]) -> None:
    assert client.get("/v1/conversations", headers={**headers, "Prefer": "code=418"}).status_code == 418
    assert client.get("/v1/conversations", headers={**headers, "X-Mock-Fault": "503"}).status_code == 503
    assert client.get("/v1/conversations", headers={**headers, "Prefer": "delay=1"}).status_code == 200
    assert client.get("/v1/conversations", headers={**headers, "Prefer": "return=minimal"}).status_code == 200


@pytest.mark.parametrize(
    "path", ["re:(", "re:[a-", "re:(?P<x>a)(?P=x)", r"re:(a)\1", "re:(?=lookahead)", "re:" + "a" * 1001]
)
def test_invalid_fault_regex_is_a_400_and_never_stored(
    client: TestClient, headers: dict[str, str], path: str
) -> None:
    response = client.post("/__admin/faults", json={"path": path, "status": 418})
    assert response.status_code == 400, response.text
    assert '"path" is invalid' in response.json()["message"]
    assert client.get("/__admin/faults").json()["faults"] == []
    # The attack's aftermath was a 500 on every request of every tenant.
    assert client.get("/v1/conversations", headers=headers).status_code == 200


def test_a_backtracking_regex_rule_matches_in_linear_time(
    client: TestClient, headers: dict[str, str]
) -> None:
    """`(a+)+$` against "aaaa...b" takes Python's `re` exponential time; RE2 answers at once."""
    rule = client.post("/__admin/faults", json={"path": "re:^/v1/(a+)+$", "status": 418})
    assert rule.status_code == 201
    hostile = "/v1/" + "a" * 64 + "b"  # Python's re would need ~2^64 steps
    assert client.get(hostile, headers=headers).status_code == 404  # no match: the route's own 404
    assert client.get("/v1/aaaa", headers=headers).status_code == 418
    assert client.get("/__admin/requests", params={"path": "re:^/v1/(a+)+$"}).status_code == 200


@pytest.mark.parametrize(
    ("query", "statuses"),
    [
        ("since=-1", {400}),
        ("since=0", {200}),
        ("since=99999999999999999999999", {400}),
        ("limit=99999999999999999999999", {400}),
        ("limit=1000000", {200}),
        ("limit=0", {400}),
        ("limit=1e400", {400}),
        ("status=1e400", {400}),
        ("path=re:(", {400}),
        ("path=re:" + "(a+)+" * 300, {400}),
    ],
)
def test_journal_parameters_are_bounded(client: TestClient, query: str, statuses: set[int]) -> None:
    client.get("/v1/conversations")
    for url in ("/__admin/requests?", "/__admin/requests/count?"):
        if "limit" in query and "count" in url:
            continue
        response = client.get(url + query)
        assert response.status_code in statuses, (url, query, response.text)
        if response.status_code == 400:
            assert response.json()["message"]


def test_patterns_compile_once_and_refuse_what_re2_cannot_run() -> None:
    assert compile_path("/v1/job/*")("/v1/job/1")
    assert compile_path("/v1/job", glob_only_with_wildcards=True)("/v1/job")
    assert not compile_path("/v1/job", glob_only_with_wildcards=True)("/v1/job/1")
    assert compile_path("re:^/v1/conv")("/v1/conversations")
    with pytest.raises(PatternError, match="missing"):
        compile_path("re:(")

"""The `symbl_mock` pytest plugin used as users would: a test module that only uses the fixture."""

from __future__ import annotations

import pytest

USER_TESTS = """
import httpx
import pytest

def test_text_job_with_a_scripted_transcript(symbl_mock):
    symbl_mock.script_result([{"speaker": "Ann", "text": "Please send the contract by Friday."}])
    r = httpx.post(f"{symbl_mock.base_url}/v1/process/text", headers=symbl_mock.headers,
                   json={"messages": [{"payload": {"content": "ignored"}, "from": {"name": "X"}}]})
    conversation = r.json()["conversationId"]
    items = httpx.get(f"{symbl_mock.base_url}/v1/conversations/{conversation}/action-items",
                      headers=symbl_mock.headers).json()["actionItems"]
    assert "contract" in items[0]["text"]
    assert [e["status"] for e in symbl_mock.requests(path="/v1/process/text")] == [200]

def test_state_is_reset_between_tests(symbl_mock):
    listed = httpx.get(f"{symbl_mock.base_url}/v1/conversations", headers=symbl_mock.headers).json()
    assert listed["conversations"] == []
    assert symbl_mock.requests(path="/v1/process/text") == []

def test_manual_job_and_faults(symbl_mock):
    headers = {**symbl_mock.headers, "X-Mock-Job-Progression": "manual"}
    job = httpx.post(f"{symbl_mock.base_url}/v1/process/text", headers=headers,
                     json={"messages": [{"payload": {"content": "Hello."}}]}).json()["jobId"]
    assert symbl_mock.job(job)["status"] == "scheduled"
    assert symbl_mock.advance_job(job)["status"] == "completed"
    symbl_mock.faults.add(path="/v1/job/*", status=429, count=1)
    assert httpx.get(f"{symbl_mock.base_url}/v1/job/{job}", headers=symbl_mock.headers).status_code == 429
    assert len(symbl_mock.faults.list()) == 1

def test_clock_and_labs(symbl_mock):
    symbl_mock.clock.freeze("2030-01-01T00:00:00Z")
    assert symbl_mock.clock.now() == "2030-01-01T00:00:00.000Z"
    assert symbl_mock.labs_url and symbl_mock.labs_url != symbl_mock.base_url
    assert symbl_mock.server.settings.database == ":memory:"

def test_clock_is_reset_too(symbl_mock):
    assert not symbl_mock.clock.now().startswith("2030")

def test_wrong_expectation_still_fails(symbl_mock):
    listed = httpx.get(f"{symbl_mock.base_url}/v1/conversations", headers=symbl_mock.headers).json()
    assert len(listed["conversations"]) == 1  # state was reset: this must fail
"""


def test_plugin_fixture_in_a_user_test_module(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, failed=1)  # the fixture never hides a failing expectation
    result.stdout.fnmatch_lines(["*test_wrong_expectation_still_fails*"])


def test_settings_override_fixture(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
import pytest

@pytest.fixture(scope="session")
def symbl_mock_settings():
    return {"job_progression": "manual", "admin_token": "s3cret", "labs_enabled": False}
"""
    )
    pytester.makepyfile(
        test_override="""
import httpx

def test_uses_overrides(symbl_mock):
    job = httpx.post(f"{symbl_mock.base_url}/v1/process/text", headers=symbl_mock.headers,
                     json={"messages": [{"payload": {"content": "Hi."}}]}).json()["jobId"]
    assert symbl_mock.job(job)["status"] == "scheduled"
    assert symbl_mock.labs_url is None
    assert httpx.get(f"{symbl_mock.base_url}/__admin/config").status_code == 401
"""
    )
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)

"""The official `symbl-rest` client reads the Insights UI URL from a real server."""

from __future__ import annotations

import httpx
import pytest
import symbl_rest

from mock_symbl.server import MockServer
from tests.conftest import make_settings
from tests.helpers import SAMPLE_MESSAGES


@pytest.mark.sdk
def test_symbl_rest_experience_api() -> None:
    server = MockServer(make_settings(port=0, labs_enabled=False)).start()
    try:
        cfg = symbl_rest.Configuration()
        cfg.host = server.base_url
        api = symbl_rest.ApiClient(cfg)
        token = symbl_rest.AuthenticationApi(api).generate_token(
            {"type": "application", "appId": "sdk-app", "appSecret": "secret"}
        )
        cfg.api_key["x-api-key"] = token.access_token
        job = symbl_rest.AsyncApi(api).add_text(
            body={"name": "SDK call", "messages": SAMPLE_MESSAGES * 2}
        )  # >= 50 words
        assert symbl_rest.JobsApi(api).get_job_status(job.job_id).status == "completed"
        answer = symbl_rest.ExperienceApi(api).get_experience_url_by_conversation_id(
            job.conversation_id, include_call_score=True
        )
        assert answer.url.startswith(server.base_url + "/__admin/ui/experience/")
        page = httpx.get(answer.url, timeout=10)  # no token: the URL is signed
        assert page.status_code == 200 and "SDK call" in page.text and 'id="callscore"' in page.text
    finally:
        server.stop()

"""Fuzzing: schemathesis against the app's own /openapi.json, every operation, with a valid token.

Checked per response: no 5xx, and a response whose status the schema declares matches its declared schema.
Short form: a few generated cases per operation; `make soak` (MOCK_SYMBL_SOAK=1) runs many more.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from mock_symbl.app import create_app
from mock_symbl.auth.service import issue_token
from tests.conftest import make_settings
from tests.reliability.conftest import SOAK, scale

# A file database: schemathesis runs the app's lifespan around each call, and the end of a lifespan removes a
# `:memory:` database's private file.
APP = create_app(
    make_settings(
        database=str(Path(tempfile.mkdtemp(prefix="mock-symbl-fuzz-")) / "fuzz.db"), max_upload_bytes=2 << 20
    )
)
TOKEN, _ = issue_token(APP.state.services, "fuzzer")
# The server's own control plane is fuzzed too; /__admin/reset would only wipe the fuzzer's own data.
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# The coverage phase (boundary values of every parameter, dozens of cases per operation) runs in the soak only:
# the short form must fit CI's budget.
schema.config.phases.coverage.enabled = SOAK


@schema.parametrize()
@settings(
    max_examples=scale(3, 150),
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases every CI run
)
def test_no_server_error_and_responses_match_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(
        headers={"x-api-key": TOKEN},
        checks=[not_a_server_error, response_schema_conformance],
    )

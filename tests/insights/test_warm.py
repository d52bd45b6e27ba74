"""The NLP libraries load in the background after start: a first insights read imports none of them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mock_symbl.insights.warm import MODULES

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("yake", "numpy", "networkx", "snowballstemmer", "mock_symbl.insights.engine")

# Run in a fresh interpreter: this test process has long imported the libraries through other tests.
SCRIPT = """
import json, sys
from fastapi.testclient import TestClient
from mock_symbl.app import create_app
from tests.conftest import make_settings
from tests.helpers import auth_headers, submit_text

HEAVY = %r
loaded = lambda: sorted(m for m in sys.modules if m in HEAVY or m.split(".")[0] in HEAVY)
app = create_app(make_settings())
at_start = loaded()
with TestClient(app) as client:
    headers = auth_headers(client)
    cid = submit_text(client, headers)["conversationId"]
    warmed = app.state.boot.nlp_warm.wait(60)
    before = set(sys.modules)
    response = client.get(f"/v1/conversations/{cid}/topics", headers=headers)
    imported_by_read = sorted(set(sys.modules) - before)
print(json.dumps({"at_start": at_start, "warmed": warmed, "status": response.status_code,
                  "topics": len(response.json().get("topics", [])), "imported_by_read": imported_by_read}))
"""


def test_the_first_insights_read_imports_no_nlp_library() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT % (HEAVY,)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["at_start"] == []  # start-up itself stays without them (the cold start)
    assert result["warmed"] is True
    assert result["status"] == 200 and result["topics"] > 0  # the read computed the bundle
    assert result["imported_by_read"] == []


def test_the_warm_up_covers_the_lazy_imports() -> None:
    assert set(MODULES) >= {"mock_symbl.insights.engine", "yake", "segtok.segmenter", "snowballstemmer"}

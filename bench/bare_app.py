"""The reference for comparisons: a bare FastAPI app under the same uvicorn settings as mock-symbl.

`--mode constant` answers /__admin/health, POST /oauth2/token:generate and GET /v1/conversations with constants
(cold start reference); `--mode messages` also
serves GET /v1/conversations/{id}/messages with the bytes of `--body`, read once and sent as they are: the
same pre-encoded answer mock-symbl serves from its answer cache, so the two do the same work per request
(throughput reference: the Python limit for these bytes under FastAPI + uvicorn).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import uvicorn
from fastapi import FastAPI, Response


def build(mode: str, body_file: str | None) -> FastAPI:
    app = FastAPI()
    body = open(body_file, "rb").read() if body_file else b"{}"
    json.loads(body)  # a valid JSON answer, checked once

    # async handlers: a sync one would cost a threadpool hop per request, and the reference is the least a
    # FastAPI app can spend.
    @app.get("/__admin/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    # The cold start reference's two "real answers" (bench/bench_coldstart.py): a token, then a list read.
    @app.post("/oauth2/token:generate")
    async def token() -> dict[str, Any]:
        return {"accessToken": "bare", "expiresIn": 86400}

    @app.get("/v1/conversations")
    async def conversations() -> dict[str, Any]:
        return {"conversations": []}

    if mode == "messages":

        @app.get("/v1/conversations/{conversation_id}/messages")
        async def messages(conversation_id: str) -> Response:
            return Response(content=body, media_type="application/json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=("constant", "messages"), default="constant")
    parser.add_argument("--body")
    args = parser.parse_args()
    serve(build(args.mode, args.body), args.port)


def serve(app: FastAPI, port: int) -> None:
    """Run a reference app on 127.0.0.1:`port` until stopped (also bench/stack_app.py's)."""
    # The same uvicorn settings as mock_symbl.server.MockServer (one worker, lifespan on), but no access log:
    # the reference is the least a FastAPI app can spend on these bytes, whatever mock-symbl's defaults are.
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        workers=1,
        timeout_graceful_shutdown=3,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()

"""The reference for comparisons: a bare FastAPI app under the same uvicorn settings as mock-symbl.

`--mode constant` answers /__admin/health with a constant (cold start reference); `--mode messages` also
serves GET /v1/conversations/{id}/messages with a JSON body read once from `--body` (throughput reference).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import uvicorn
from fastapi import FastAPI


def build(mode: str, body_file: str | None) -> FastAPI:
    app = FastAPI()
    body: Any = json.loads(open(body_file, encoding="utf-8").read()) if body_file else {}

    @app.get("/__admin/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    if mode == "messages":

        @app.get("/v1/conversations/{conversation_id}/messages")
        def messages(conversation_id: str) -> Any:
            return body

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=("constant", "messages"), default="constant")
    parser.add_argument("--body")
    args = parser.parse_args()
    # The same uvicorn settings as mock_symbl.server.MockServer: one worker, lifespan on.
    config = uvicorn.Config(
        build(args.mode, args.body),
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        lifespan="on",
        workers=1,
        timeout_graceful_shutdown=3,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()

"""The cold start's second reference: the least an app on mock-symbl's required stack does for its first answers.

The project's stack is fixed by its design (FastAPI + uvicorn, pydantic-settings, SQLModel over SQLite,
PyJWT). This app uses exactly those for the two answers the cold start times: its settings come from
pydantic-settings, the token is a PyJWT HS256 token, and the conversation list is a SELECT through a SQLModel
session on a new SQLite file whose one table it creates at start. No routes, models or services of mock-symbl:
the gap between this app and the bare one is what the required libraries cost before any mock code runs.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jwt
from fastapi import FastAPI, Header
from pydantic_settings import BaseSettings
from sqlmodel import Field, Session, SQLModel, create_engine, select

from bench.bare_app import serve


class StackSettings(BaseSettings):
    database: str = ""
    secret: str = "stack-floor-reference-key-of-32-bytes!"


class Conversation(SQLModel, table=True):
    id: str = Field(primary_key=True)
    account: str = Field(index=True)
    name: str = ""


def build(database: str) -> FastAPI:
    settings = StackSettings(database=database)
    engine = create_engine(f"sqlite:///{settings.database}")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        SQLModel.metadata.create_all(engine)  # as mock-symbl creates its schema before going live
        yield
        engine.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.post("/oauth2/token:generate")
    async def token() -> dict[str, Any]:
        return {
            "accessToken": jwt.encode({"sub": "stack"}, settings.secret, algorithm="HS256"),
            "expiresIn": 86400,
        }

    @app.get("/v1/conversations")
    def conversations(x_api_key: str = Header()) -> dict[str, Any]:
        account = jwt.decode(x_api_key, settings.secret, algorithms=["HS256"])["sub"]
        with Session(engine) as session:
            rows = session.exec(select(Conversation).where(Conversation.account == account)).all()
        return {"conversations": [row.model_dump() for row in rows]}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mock-symbl-stack-") as tmp:
        serve(build(str(Path(tmp) / "stack.db")), args.port)


if __name__ == "__main__":
    main()

"""Wire helpers shared by the areas: query parameters carrying JSON or booleans, and the answer contract."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.datastructures import QueryParams

from mock_symbl.errors import BadRequest, validation_message

M = TypeVar("M", bound=BaseModel)


def _coerce(value: str) -> Any:
    text = value.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text[:1] in ("[", "{"):
        try:
            return json.loads(text)
        except ValueError:
            if text.startswith("[") and text.endswith("]"):
                # Go SDK style: customVocabulary=[a,b] (no quotes)
                return [p.strip().strip("\"'") for p in text[1:-1].split(",") if p.strip()]
    return value


def query_values(params: QueryParams, names: Iterable[str]) -> dict[str, Any]:
    """Known parameters from the query string: booleans, JSON arrays/objects, repeated keys as lists."""
    out: dict[str, Any] = {}
    for name in names:
        values = params.getlist(name)
        if not values:
            continue
        if len(values) > 1:
            out[name] = [_coerce(v) for v in values]
        else:
            out[name] = _coerce(values[0])
    return out


def validate(model: type[M], data: Any) -> M:
    """Validate `data` into `model`, turning errors into Symbl's 400 naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadRequest(validation_message(list(exc.errors()))) from exc


def json_bytes(content: Any) -> bytes:
    """JSON as FastAPI/Starlette write it (compact, UTF-8, no NaN), for answers built outside FastAPI."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


class Answer(BaseModel):
    """Base of every response model: the field types are the ones the official SDKs declare.

    Keys a model does not declare still pass (a missing declaration must not turn an answer into a 500);
    tests/contract checks that real answers carry none.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class AnswerRoute(APIRoute):
    """Route class of the API routers: the answer is validated and typed by the route's response model and
    carries exactly the keys the service set (an optional field left unset is omitted, never sent as null)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        kwargs["response_model_exclude_unset"] = True
        super().__init__(path, endpoint, **kwargs)

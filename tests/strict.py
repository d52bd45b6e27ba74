"""Strict reading of an answer against its declared model, as the Go SDK decodes it.

Strict mode: `5.0` is not an int and `"5"` is not a number. The answer models let undeclared keys pass at
run time (wire.Answer), so this also fails on any key a model does not declare.
"""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, TypeAdapter


def undeclared(value: Any, where: str = "") -> list[str]:
    """Paths of the keys no model declares, anywhere in a validated answer."""
    found: list[str] = []
    if isinstance(value, BaseModel):
        found += [f"{where}.{key}" for key in value.model_extra or {}]
        for name in type(value).model_fields:
            found += undeclared(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += undeclared(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += undeclared(item, f"{where}.{key}")
    return found


def strict(target: Any, response: httpx.Response, status: int = 200) -> Any:
    """The answer validated strictly as `target` (a model or a type such as list[Model])."""
    assert response.status_code == status, (response.status_code, response.text[:300])
    value = TypeAdapter(target).validate_json(response.content, strict=True)
    extra = undeclared(value)
    assert not extra, f"keys no model declares: {extra[:10]}"
    return value


def json_types(model: type[BaseModel], field: str) -> set[str]:
    """The JSON types a model's field may hold, as its schema (and the OpenAPI document) says; null aside."""
    prop = model.model_json_schema()["properties"][field]
    options = prop.get("anyOf", [prop])
    found = {"object" if "$ref" in o else o.get("type", "any") for o in options}
    return found - {"null"}

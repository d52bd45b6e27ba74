"""The one JSON Patch mechanism of the Management API: RFC 6902 operations applied with `jsonpatch`.

Used by tracker PATCH, call score criteria/scorecard PATCH and settings PATCH. `add` creates missing parent
objects (the settings docs' first write is `add /intelligence/bookmarks/duration` on an empty document);
`replace` of a missing member is a 400 telling the caller to use `add`, as the docs require.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonpatch
import jsonpointer

from mock_symbl.errors import BadRequest


def _ensure_parents(doc: dict[str, Any], path: str) -> None:
    node: Any = doc
    for part in jsonpointer.JsonPointer(path).parts[:-1]:
        if not isinstance(node, dict):
            return
        node = node.setdefault(part, {})


def apply(document: dict[str, Any], operations: list[dict[str, Any]]) -> dict[str, Any]:
    """`document` with the operations applied in order (the input is not changed); 400 for one that fails."""
    doc = copy.deepcopy(document)
    for operation in operations:
        if operation["op"] == "add":
            _ensure_parents(doc, operation["path"])
        try:
            doc = jsonpatch.apply_patch(doc, [operation])
        except jsonpatch.JsonPatchConflict as error:
            hint = ' (use "add" the first time a member is written)' if operation["op"] == "replace" else ""
            raise BadRequest(
                f"Invalid patch operation: Cannot {operation['op']} {operation['path']}: {error}{hint}"
            ) from None
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException) as error:
            raise BadRequest(f"Invalid patch operation: {error}") from None
        if not isinstance(doc, dict):
            raise BadRequest("A patch operation cannot replace the whole document.")
    return doc

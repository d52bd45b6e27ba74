"""VCR cassettes (vcrpy / pytest-recording and go-vcr YAML), read one interaction at a time.

A cassette can be tens of megabytes. Loading it whole would hold every body at once (a 50 MB cassette is
several hundred MB of Python objects), so the file is cut at its top-level `interactions:` items (a line
at the items' indentation starting with "- " opens the next one: YAML indents everything inside an item
deeper) and PyYAML parses each piece alone. Only the byte offsets are kept; `load` parses an item again
when it is needed. A cassette not written in block style (flow style, JSON) is parsed whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from mock_symbl.replay.exchange import Exchange, RecordingError, decode_body, header_value

try:  # libyaml's parser: about ten times faster; PyYAML's wheels ship it
    SafeLoader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - a PyYAML built without libyaml
    SafeLoader = yaml.SafeLoader

WHOLE_FILE_LIMIT = 64 * 1024 * 1024  # a cassette that cannot be cut is parsed whole only below this size
_KEY = re.compile(rb"^interactions:\s*(#.*)?$")


def _indent(line: bytes) -> int:
    return len(line) - len(line.lstrip(b" "))


def _blank(line: bytes) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith(b"#")


def item_spans(path: Path) -> tuple[list[tuple[int, int]], bytes] | None:
    """(offset, length) of each interaction and the other top-level lines, or None if not block style."""
    spans: list[tuple[int, int]] = []
    head: list[bytes] = []
    state, item_indent, start, offset = "head", -1, 0, 0
    with path.open("rb") as fh:
        for line in fh:
            here, offset = offset, offset + len(line)
            if state == "head":
                if _KEY.match(line.rstrip(b"\r\n")):
                    state = "wait"
                else:
                    head.append(line)
                continue
            if _blank(line):
                continue
            indent = _indent(line)
            opens = line[indent:].startswith(b"- ") or line[indent:].rstrip() == b"-"
            if state == "wait":
                if not opens:
                    return None  # `interactions: []` on the next line, a flow sequence...
                state, item_indent, start = "items", indent, here
                continue
            if state == "items":
                if indent == item_indent and opens:
                    spans.append((start, here - start))
                    start = here
                elif indent < item_indent or (indent == item_indent and not opens):
                    spans.append((start, here - start))
                    state = "tail"
                    head.append(line)
                continue
            head.append(line)  # tail: later top-level keys (version: 1)
    if state in ("head", "wait"):  # no block `interactions:` sequence: parsed whole (or refused) instead
        return None
    if state == "items":
        spans.append((start, offset - start))
    return spans, b"".join(head)


def parse_yaml(data: bytes | str, where: str) -> Any:
    try:
        return yaml.load(data, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" near line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise RecordingError(f"{where}: not valid YAML{line} ({problem})") from exc


def _status(response: dict[str, Any]) -> int:
    status = response.get("status")
    code = response.get("code")
    if isinstance(status, dict):
        code = status.get("code")
    elif code is None and isinstance(status, str):
        code = status.split(" ", 1)[0]
    try:
        return int(code)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise RecordingError("an interaction has no response status code") from exc


def exchange(item: Any, where: str) -> tuple[str, Exchange]:
    """(format, exchange) of one vcrpy or go-vcr interaction."""
    if not isinstance(item, dict) or not isinstance(item.get("request"), dict):
        raise RecordingError(f"{where}: an interaction needs a request mapping")
    request, response = item["request"], item.get("response")
    if not isinstance(response, dict):
        raise RecordingError(f"{where}: an interaction needs a response mapping")
    kind = "vcrpy" if "uri" in request else "go-vcr"
    url = request.get("uri") or request.get("url")
    method = request.get("method")
    if not isinstance(url, str) or not isinstance(method, str):
        raise RecordingError(f"{where}: an interaction needs a request method and uri/url")
    body = response.get("body")
    if isinstance(body, dict):  # vcrpy: {"string": text or !!binary}
        body = body.get("string")
    try:
        encoding = header_value(response.get("headers"), "content-encoding")
        response_text = decode_body(body, encoding if isinstance(body, bytes) else None)
        request_text = decode_body(request.get("body"))
        status = _status(response)
    except RecordingError as exc:
        raise RecordingError(f"{where}: {exc}") from exc
    return kind, Exchange(method.upper(), url, status, request_text, response_text, where)


class Cassette:
    """A YAML (or JSON) cassette file: scan() once, load() the interactions needed again."""

    def __init__(self, path: Path, source: str) -> None:
        self.path, self.source = path, source
        self.format = "vcrpy"
        self._items: list[Any] | None = None  # only for cassettes parsed whole
        self._spans: list[tuple[int, int]] = []

    def _open(self) -> None:
        cut = item_spans(self.path)
        if cut is not None:
            self._spans, head = cut
            top = parse_yaml(head, self.source) if head.strip() else {}
            if top is not None and not isinstance(top, dict):
                raise RecordingError(f"{self.source}: a cassette is a mapping with `interactions`")
            return
        if self.path.stat().st_size > WHOLE_FILE_LIMIT:
            raise RecordingError(
                f"{self.source}: a cassette over {WHOLE_FILE_LIMIT >> 20} MB must be block-style YAML "
                "(as vcrpy and go-vcr write it)"
            )
        data = parse_yaml(self.path.read_bytes(), self.source)
        items = data.get("interactions", False) if isinstance(data, dict) else False
        if items is None:  # `interactions:` with nothing under it (an empty export)
            items = []
        if not isinstance(items, list):
            raise RecordingError(f"{self.source}: not a cassette (no `interactions` list)")
        self._items = items
        self._spans = [(i, 0) for i in range(len(self._items))]

    def scan(self) -> Iterator[tuple[int, Exchange]]:
        self._open()
        for index in range(len(self._spans)):
            yield index, self.load(index)

    def load(self, index: int) -> Exchange:
        where = f"{self.source} interaction {index + 1}"
        if self._items is not None:
            item = self._items[index]
        else:
            start, length = self._spans[index]
            with self.path.open("rb") as fh:
                fh.seek(start)
                parsed = parse_yaml(fh.read(length), where)
            if not isinstance(parsed, list) or len(parsed) != 1:
                raise RecordingError(f"{where}: not one interaction")
            item = parsed[0]
        kind, result = exchange(item, where)
        if index == 0:
            self.format = kind
        return result

"""Text that cannot be written as UTF-8 (lone surrogates such as "\\ud800", which JSON escapes can carry).

Pure: used at the edge (HTTP bodies, WebSocket frames) so such text is refused with a 400 before it can reach
a stored row, the request journal or an answer, all of which must encode as UTF-8.
"""

from __future__ import annotations

import re
from typing import Any

MESSAGE = "The request contains text that is not valid Unicode (a lone surrogate such as \\ud800)."

# A \\uD800-\\uDFFF escape anywhere in raw JSON: only bodies with one need the full check.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def may_hold_surrogates(raw: bytes) -> bool:
    """Cheap pre-check on raw JSON: False means no string in it can hold a lone surrogate."""
    return _SURROGATE_ESCAPE.search(raw) is not None


def encodable(value: Any) -> bool:
    """True when every string (and key) in a parsed JSON value encodes as UTF-8; iterative, any depth."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return True

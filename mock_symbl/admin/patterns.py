"""Path patterns of fault rules and journal filters: a glob (`/v1/job/*`) or a `re:` regular expression.

Regular expressions run on RE2 (google-re2): matching takes linear time, so a rule such as `re:^/v1/(a+)+$`
cannot stall the event loop (Python's `re` backtracks exponentially on it). Patterns are compiled when a
rule or filter is given, so an invalid one is a 400 then, never an error on every later request. RE2 has
no backreferences or lookarounds; such a pattern is refused with RE2's reason.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Callable

import re2

MAX_PATTERN_CHARS = 1000
REGEX_PREFIX = "re:"

Matcher = Callable[[str], bool]


class PatternError(ValueError):
    """An invalid path pattern; the message names the problem."""


def _options() -> re2.Options:
    options = re2.Options()
    options.max_mem = 8 << 20  # a pathological pattern fails to compile instead of taking memory
    options.log_errors = False  # the 400 says why; nothing for the server log
    return options


@functools.lru_cache(maxsize=512)
def compile_path(pattern: str, *, glob_only_with_wildcards: bool = False) -> Matcher:
    """A matcher for `pattern`; raises PatternError for an invalid or oversized one.

    `glob_only_with_wildcards`: a pattern without `*?[` matches the exact path (the journal's filter).
    """
    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternError(f"A path pattern must not exceed {MAX_PATTERN_CHARS} characters.")
    if pattern.startswith(REGEX_PREFIX):
        source = pattern[len(REGEX_PREFIX) :]
        try:
            regex = re2.compile(source, _options())
        except re2.error as exc:
            reason = (
                exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else exc
            )
            raise PatternError(f"Invalid regular expression {source!r}: {reason}.") from None
        return lambda path: regex.search(path) is not None
    if glob_only_with_wildcards and not any(ch in pattern for ch in "*?["):
        return lambda path: path == pattern
    # fnmatch translates a glob to a regex without nested quantifiers (no catastrophic backtracking).
    return lambda path: fnmatch.fnmatchcase(path, pattern)


def check_path(pattern: str | None) -> str | None:
    """Validate a pattern (for pydantic validators); returns it unchanged."""
    if pattern is not None:
        compile_path(pattern)
    return pattern

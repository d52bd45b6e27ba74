"""Sentence splitting: Symbl stores submitted content as one message per sentence."""

from __future__ import annotations

import re

# segtok knows Latin punctuation; CJK full-width terminators end a sentence too.
_CJK_END = re.compile(r"(?<=[。！？])")
_SPACES = re.compile(r"\s+")


def split_sentences(text: str) -> list[str]:
    """Split `text` into trimmed sentences (line breaks also end one); text with no boundary stays one message."""
    from segtok.segmenter import split_multi  # on first use: segtok and regex are ~15 ms of start-up

    out: list[str] = []
    for line in (text or "").splitlines():
        for sentence in split_multi(line):
            for part in _CJK_END.split(sentence):
                clean = _SPACES.sub(" ", part).strip()
                if clean:
                    out.append(clean)
    return out

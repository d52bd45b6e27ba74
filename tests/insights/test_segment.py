"""Sentence splitting of submitted content."""

from __future__ import annotations

import pytest

from mock_symbl.insights.segment import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hi. Can you call me at 3 p.m. tomorrow? Sure!",
            ["Hi.", "Can you call me at 3 p.m. tomorrow?", "Sure!"],
        ),
        ("Dr. Smith will send it by Friday. Thanks", ["Dr. Smith will send it by Friday.", "Thanks"]),
        ("Price is $69.99 per month. Ok?", ["Price is $69.99 per month.", "Ok?"]),
        ("no punctuation at all here", ["no punctuation at all here"]),
        ("Line one\nLine two", ["Line one", "Line two"]),
        ("  spaced   out  ", ["spaced out"]),
        ("日本語の文です。次の文です。", ["日本語の文です。", "次の文です。"]),
        ("", []),
        ("   \n  ", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected

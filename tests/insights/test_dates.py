"""Date phrases resolve against the conversation start (Wednesday 2020-07-08)."""

from __future__ import annotations

from datetime import date

import pytest

from mock_symbl.insights import dates

ANCHOR = date(2020, 7, 8)  # Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by Friday", date(2020, 7, 10)),
        ("on Wednesday", date(2020, 7, 15)),  # the same weekday means next week's
        ("next Monday", date(2020, 7, 13)),
        ("next Friday", date(2020, 7, 17)),
        ("today", date(2020, 7, 8)),
        ("tomorrow", date(2020, 7, 9)),
        ("yesterday", date(2020, 7, 7)),
        ("the day after tomorrow", date(2020, 7, 10)),
        ("end of the week", date(2020, 7, 10)),
        ("EOD", date(2020, 7, 8)),
        ("end of month", date(2020, 7, 31)),
        ("next week", date(2020, 7, 13)),
        ("next month", date(2020, 8, 1)),
        ("in 3 days", date(2020, 7, 11)),
        ("in two weeks", date(2020, 7, 22)),
        ("June 5th", date(2020, 6, 5)),
        ("5th of June 2021", date(2021, 6, 5)),
        ("Sept 1, 2022", date(2022, 9, 1)),
        ("2021-12-31", date(2021, 12, 31)),
        ("12/24", date(2020, 12, 24)),
    ],
)
def test_phrase_resolves(text: str, expected: date) -> None:
    hits = dates.find_dates(f"Please do it {text}.", ANCHOR)
    assert [h.value for h in hits] == [expected]
    assert hits[0].text.lower() in text.lower()


def test_december_end_of_month_rolls_year() -> None:
    assert dates.find_dates("end of month", date(2020, 12, 3))[0].value == date(2020, 12, 31)


@pytest.mark.parametrize("text", ["13/45", "may I ask", "2021-02-30", "nothing here", ""])
def test_non_dates_are_ignored(text: str) -> None:
    assert dates.find_dates(text, ANCHOR) == []


def test_offsets_point_into_text() -> None:
    text = "Send it by Friday or next Monday."
    hits = dates.find_dates(text, ANCHOR)
    assert [text[h.start : h.end] for h in hits] == ["Friday", "next Monday"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("at 3 pm", "15:00:00"),
        ("9:15 a.m.", "09:15:00"),
        ("at 10:30", "10:30:00"),
        ("noon", "12:00:00"),
        ("12 am", "00:00:00"),
    ],
)
def test_times(text: str, value: str) -> None:
    assert [t.value for t in dates.find_times(text)] == [value]


def test_due_datetime_is_midnight_utc() -> None:
    assert dates.due_datetime(date(2020, 7, 10)) == "2020-07-10T00:00:00.000Z"

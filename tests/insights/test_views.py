"""Messages rendering (verbose, sentiment, redaction, phrases), insights list, Labs views, transcripts."""

from __future__ import annotations

import srt

from mock_symbl.insights import transcript, views

from .build import bundle, messages

LINES = ["Hi Mary, call me at (415) 555-0123 tomorrow.", "I love it, I will send the deck by Friday."]


def render(**kwargs: object) -> list[dict]:
    b = bundle(LINES, detect_phrases=True)
    args = {"verbose": False, "sentiment": False, "redact": False, "exclude": [], "detect_phrases": False}
    args.update(kwargs)
    return views.render_messages(messages(LINES), b, **args)  # type: ignore[arg-type]


def test_plain_messages() -> None:
    first = render()[0]
    assert first["text"] == LINES[0]
    assert first["timeOffset"] == 0.0
    assert first["duration"] == 4.0
    assert first["from"]["name"] == "John Doe"
    assert first["phrases"] == []
    assert "sentiment" not in first
    assert "words" not in first


def test_sentiment_thresholds() -> None:
    second = render(sentiment=True)[1]
    assert second["sentiment"]["polarity"]["score"] > 0.3
    assert second["sentiment"]["suggested"] == "positive"


def test_verbose_words_span_the_message() -> None:
    words = render(verbose=True)[1]["words"]
    assert [w["word"] for w in words][:3] == ["I", "love", "it,"]
    assert words[0]["startTime"] == "2020-07-08T10:00:04.500Z"
    assert words[-1]["endTime"] == "2020-07-08T10:00:08.500Z"
    assert abs(sum(w["duration"] for w in words) - 4.0) < 0.05
    offsets = [w["timeOffset"] for w in words]
    assert offsets == sorted(offsets)
    assert offsets[0] == 4.5


def test_redaction_and_exclude() -> None:
    assert render(redact=True)[0]["text"] == "Hi [PERSON_NAME], call me at [PHONE_NUMBER] [DATE]."
    kept = render(redact=True, exclude=["PERSON_NAME", "date"])[0]["text"]
    assert kept == "Hi Mary, call me at [PHONE_NUMBER] tomorrow."


def test_redacted_words_follow_redacted_text() -> None:
    words = render(redact=True, verbose=True)[0]["words"]
    assert "[PHONE_NUMBER]" in [w["word"] for w in words]


def test_message_phrases() -> None:
    assert render(detect_phrases=True)[1]["phrases"] == [{"type": "action_phrase", "text": "send the deck"}]


def test_insights_combines_in_message_order() -> None:
    b = bundle(["What is the plan?", "I will email the plan.", "Send me the notes.", "Who joins the call?"])
    kinds = [(i["type"], i["messageIds"][0][-1]) for i in views.insights(b)["insights"]]
    assert kinds == [("question", "0"), ("follow_up", "1"), ("action_item", "2"), ("question", "3")]


def test_comprehensive_action_items_use_message_refs() -> None:
    b = bundle(["I will email the plan.", "Send me the notes by Friday."])
    items = views.comprehensive_action_items(b)["actionItems"]
    assert len(items) == 2
    assert all(i["type"] == "action_item" and "messageIds" not in i for i in items)
    assert {r["id"] for i in items for r in i["messageRefs"]} == {"1000000000000000", "1000000000000001"}


def test_markdown_variants() -> None:
    msgs = messages([("john", "Good morning."), ("john", "I will send the deck."), ("mary", "Thanks.")])
    assert transcript.markdown(msgs) == "Good morning.<br/><br/>I will send the deck.<br/><br/>Thanks."
    para = transcript.markdown(msgs, create_paragraphs=True, show_speaker_separation=True)
    assert para == "John Doe: Good morning. I will send the deck.<br/><br/>Mary Smith: Thanks."
    marked = transcript.markdown(msgs, phrases=["send the deck"])
    assert "I will <mark>send the deck</mark>." in marked


def test_key_phrases_selection() -> None:
    b = bundle(
        ["I will send the deck.", "The roadmap is ready and the roadmap looks fine."], detect_phrases=True
    )
    assert transcript.key_phrases(b, only_insights=True, all_phrases=False) == ["send the deck"]
    assert transcript.key_phrases(b, only_insights=False, all_phrases=False) == []
    everything = transcript.key_phrases(b, only_insights=False, all_phrases=True)
    assert b["topics"]
    assert all(t["text"] in everything for t in b["topics"])
    assert "send the deck" in everything


def test_srt_is_valid_and_timed() -> None:
    msgs = messages(["Hello there.", "General Kenobi."], step=3661.5, duration=2.25)
    text = transcript.subrip(msgs, show_speaker_separation=True)
    cues = list(srt.parse(text))
    assert [c.content for c in cues] == ["John Doe: Hello there.", "Mary Smith: General Kenobi."]
    assert "01:01:01,500 --> 01:01:03,750" in text


def test_vader_shortcut_is_exact() -> None:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from mock_symbl.insights import sentiment

    analyzer = SentimentIntensityAnalyzer()
    samples = [
        "We should talk about the roadmap next week.",
        "The price is terrible!!!",
        "I love it :)",
        "Not bad at all.",
        "This is kind of good.",
        "No problem, send it by Friday.",
        "GREAT news, team.",
        "Meh... whatever :(",
        "Party time 🎉 tonight",
        "It's fine, I guess?",
    ]
    for text in samples:
        expected = round(analyzer.polarity_scores(text)["compound"], 3)
        assert sentiment.polarity(text) == (0.0 if expected == 0 else expected), text


def test_render_without_a_bundle_yet() -> None:
    """Messages can be read before the first job completes: no facts, sentiment computed on the spot."""
    out = views.render_messages(
        messages(LINES), {}, verbose=False, sentiment=True, redact=True, exclude=[], detect_phrases=True
    )
    assert out[0]["text"] == LINES[0]  # nothing known to redact yet
    assert out[1]["sentiment"]["suggested"] == "positive"
    assert out[1]["phrases"] == []

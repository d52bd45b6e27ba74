"""Questions, action items, follow-ups and intents: one message at a time, by the rules in docs/INSIGHTS.md."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from mock_symbl.ids import stable_numeric_id
from mock_symbl.insights import dates
from mock_symbl.insights.entities import COMMON_FIRST_NAMES, EntityHit
from mock_symbl.insights.text import words
from mock_symbl.messages import Message, Speaker

# Question scores: a "?" and an interrogative opening, a "?" alone, an interrogative opening alone.
QUESTION_SCORE_MARKED_INTERROGATIVE = 0.9
QUESTION_SCORE_MARKED = 0.8
QUESTION_SCORE_INTERROGATIVE = 0.7
# Action item score: a base, plus a bonus for a definitive wording, a due date and an explicit assignee.
ACTION_SCORE_BASE = 0.6
ACTION_SCORE_DEFINITIVE = 0.2
ACTION_SCORE_DUE_DATE = 0.1
ACTION_SCORE_EXPLICIT = 0.05

WH_WORDS = ("what", "when", "where", "which", "who", "whom", "whose", "why", "how")
AUXILIARIES = (
    "is are am was were do does did can could would will should shall may might have has had "
    "isn't aren't wasn't weren't don't doesn't didn't can't couldn't wouldn't won't shouldn't haven't hasn't"
).split()
PRONOUNS = ("i", "you", "we", "they", "he", "she", "it", "there", "this", "that", "anyone", "someone")
ACTION_VERBS = frozenset(
    """send share email call schedule book set review prepare update finish complete submit check confirm
    follow create draft write fix test deploy send sign pay ship order arrange organize plan reach contact
    forward circulate upload download install configure invite add remove discuss present deliver
    get make take bring move cancel reschedule loop ping text remind call set""".split()
)
FOLLOW_UP_SCORE_CUT = 0.5  # a follow-up's confidence at or above this is sent as score 1, below as 0
FOLLOW_UP_RE = re.compile(
    r"\b(?:meet|meeting|meetings|call|calls|calling|phone|email|e-mail|emails|emailing|mail|schedule|scheduled|"
    r"scheduling|reschedule|calendar|invite|follow up|follow-up|sync|catch up|touch base|reach out|get back to|"
    r"ping|text)\b",
    re.IGNORECASE,
)
HEDGES_RE = re.compile(
    r"\b(?:maybe|perhaps|might|probably|possibly|try to|hopefully|should|ought to)\b", re.I
)
_VERB = r"(?P<verb>(?!(?:not|be|never|see|want|like|love|need|wish|hope)\b)[a-z][\w'-]*)"
COMMIT_RE = re.compile(
    r"\b(?P<who>i|we)\s*(?:'ll|’ll|\s+will|\s+shall|\s+am going to|'m going to|’m going to|\s+are going to|"
    r"'re going to|\s+am gonna|'m gonna)\s+(?:also\s+|then\s+|definitely\s+)?" + _VERB,
    re.IGNORECASE,
)
OBLIGATION_RE = re.compile(
    r"\b(?P<who>i|we|you)\s+(?P<modal>need to|have to|must|should|ought to|got to)\s+" + _VERB, re.IGNORECASE
)
YOU_WILL_RE = re.compile(r"\b(?P<who>you)\s*(?:'ll|’ll|\s+will|\s+are going to)\s+" + _VERB, re.IGNORECASE)
REQUEST_RE = re.compile(
    r"\b(?:please|make sure to|make sure you|don't forget to|do not forget to|remember to|"
    r"(?:can|could|would|will) you(?: please)?)\s+" + _VERB,
    re.IGNORECASE,
)
# "Let's get started" / "let's go" open a meeting, they do not assign work.
LETS_RE = re.compile(r"\blet(?:'s|’s| us)\s+(?!get started|go\b|begin\b|start\b)" + _VERB, re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,.;!?]|\s(?:by|before|until|so that|because|and then|once|when|if)\s", re.I)

INTENT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "answering_machine",
        re.compile(r"\b(?:leave a message|after the (?:tone|beep)|voicemail|not available)", re.I),
    ),
    (
        "do_not_call",
        re.compile(r"\b(?:do not call|don't call|stop calling|remove (?:me|my number)|take me off)", re.I),
    ),
    ("not_interested", re.compile(r"\b(?:not interested|no thanks|no thank you|not looking for)", re.I)),
    (
        "interested",
        re.compile(r"\b(?:(?<!not )interested|sounds good|sign me up|tell me more|let's do it)", re.I),
    ),
)

_INTENT_TRIGGER = re.compile("|".join(f"(?:{p.pattern})" for _, p in INTENT_RULES), re.IGNORECASE)
# The lookahead keeps a match to the name itself, so "Sure, Mary will ..." still finds Mary after "Sure".
NAMED_RE = re.compile(
    r"\b(?P<name>[a-z]+)(?=(?P<link>\s*(?:,\s*(?:please|can you|could you)?\s*|\s+(?:will|'ll|should|needs to|"
    r"has to|is going to|can)\s+))" + _VERB + ")",
    re.IGNORECASE,
)


@dataclass
class Found:
    """An insight candidate from one message, before ids and wire shaping."""

    kind: str  # question | action_item | follow_up
    message: Message
    score: float
    definitive: bool = False
    assignee: Speaker | None = None
    due: date | None = None
    phrase: str | None = None


def from_object(speaker: Speaker | None) -> dict[str, Any]:
    """`from` of an insight: {id, name, userId} (userId falls back to the email)."""
    if speaker is None:
        return {}
    out: dict[str, Any] = {"id": speaker.id, "name": speaker.name or ""}
    if speaker.user_id or speaker.email:
        out["userId"] = speaker.user_id or speaker.email
    return out


def assignee_object(speaker: Speaker) -> dict[str, Any]:
    """Assignee {id, name, email}; a person named in the text who is not a member has only a name."""
    out: dict[str, Any] = {"id": speaker.id} if speaker.id else {}
    out["name"] = speaker.name or ""
    if speaker.email:
        out["email"] = speaker.email
    return out


def is_question(text: str, ws: Sequence[str] | None = None) -> float:
    """Question score of a message text, 0.0 when it is not a question."""
    ws = words(text) if ws is None else ws
    if len(ws) < 3:
        return 0.0
    interrogative = ws[0] in WH_WORDS and ws[1] in AUXILIARIES + [
        "you",
        "we",
        "i",
        "it",
        "much",
        "many",
        "long",
    ]
    interrogative = interrogative or (ws[0] in AUXILIARIES and ws[1] in PRONOUNS)
    if text.rstrip().endswith("?"):
        return QUESTION_SCORE_MARKED_INTERROGATIVE if interrogative else QUESTION_SCORE_MARKED
    return QUESTION_SCORE_INTERROGATIVE if interrogative else 0.0


def action_phrase(text: str, start: int) -> str:
    """The verb phrase from the action verb to the end of its clause (Symbl's `action_phrase`)."""
    rest = text[start:]
    end = _CLAUSE_END.search(rest)
    return (rest[: end.start()] if end else rest).strip()


class Rules:
    """Per-conversation context: who is in the conversation (for assignees)."""

    def __init__(self, members: Sequence[Speaker], anchor: date) -> None:
        self.members = list(members)
        self.anchor = anchor
        self.by_first_name: dict[str, Speaker] = {}
        for member in self.members:
            for part in (member.name or "").split()[:1]:
                if part and not part.lower().startswith("speaker"):
                    self.by_first_name.setdefault(part.lower(), member)
        self.known_names = frozenset(self.by_first_name) | {n.lower() for n in COMMON_FIRST_NAMES}

    def _named(self, text: str, ws: Sequence[str]) -> re.Match[str] | None:
        """'<Name> will/should ... <verb>' or '<Name>, please <verb>' for a member or a common first name."""
        if self.known_names.isdisjoint(ws):
            return None
        for m in NAMED_RE.finditer(text):
            if m.group("name").lower() not in self.known_names:
                continue
            if "," in m.group("link") and not re.search(r"please|can|could", m.group("link"), re.I):
                if m.group("verb").lower() not in ACTION_VERBS:
                    continue
            return m
        return None

    def _other(self, speaker: Speaker | None) -> Speaker | None:
        others = [m for m in self.members if speaker is None or m.id != speaker.id]
        return others[0] if len(self.members) == 2 and len(others) == 1 else None

    def action(
        self,
        message: Message,
        question_score: float,
        ws: Sequence[str] | None = None,
        found_dates: Sequence[date] | None = None,
    ) -> Found | None:
        """Action item (or follow-up) candidate of one message, None when no rule matches.

        `ws` (the message's words) and `found_dates` (its date entities) save recomputing them.
        """
        text, speaker = message.text, message.speaker
        ws = words(text) if ws is None else ws
        assignee: Speaker | None = None
        explicit = False
        definitive = True
        verb_at = -1
        request = REQUEST_RE.search(text)
        # A question is a request only with an action verb: "Can you send ...?" yes, "Can you hear me?" no.
        if question_score and not (request and request.group("verb").lower() in ACTION_VERBS):
            return None
        if named := self._named(text, ws):
            name = named.group("name")
            assignee = self.by_first_name.get(name.lower()) or Speaker(id="", name=name.capitalize())
            explicit, verb_at = True, named.start("verb")
        elif commit := COMMIT_RE.search(text):
            assignee, explicit, verb_at = speaker, True, commit.start("verb")
        elif obligation := OBLIGATION_RE.search(text):
            who = obligation.group("who").lower()
            assignee = self._other(speaker) if who == "you" else speaker
            explicit, verb_at = who != "you" or assignee is not None, obligation.start("verb")
            definitive = obligation.group("modal").lower() not in ("should", "ought to")
        elif request:
            assignee, verb_at = self._other(speaker), request.start("verb")
        elif m := YOU_WILL_RE.search(text):
            assignee, verb_at = self._other(speaker), m.start("verb")
        elif m := LETS_RE.search(text):
            assignee, verb_at = speaker, m.start("verb")
        else:
            first = (list(ws) or [""])[0]
            if first not in ACTION_VERBS:
                return None
            assignee, verb_at = self._other(speaker), text.lower().find(first)
        if HEDGES_RE.search(text):
            definitive = False
        if found_dates is None:
            found_dates = [hit.value for hit in dates.find_dates(text, self.anchor)]
        due = found_dates[0] if found_dates else None
        score = (
            ACTION_SCORE_BASE
            + ACTION_SCORE_DEFINITIVE * definitive
            + ACTION_SCORE_DUE_DATE * (due is not None)
            + ACTION_SCORE_EXPLICIT * explicit
        )
        kind = "follow_up" if FOLLOW_UP_RE.search(text) else "action_item"
        phrase = action_phrase(text, verb_at) if verb_at >= 0 else None
        return Found(kind, message, round(score, 2), definitive, assignee, due, phrase)


def intent_of(text: str) -> str | None:
    """The first intent rule (in INTENT_RULES order) matching `text`."""
    if not _INTENT_TRIGGER.search(text):
        return None
    for name, pattern in INTENT_RULES:
        if pattern.search(text):
            return name
    return None


def tag_entities(hits: Sequence[EntityHit], assignee: Speaker | None, text: str) -> list[dict[str, Any]]:
    """Entities inside an insight (Symbl `Tag`): type, text, offset, and value or, for a range, start/end."""
    out: list[dict[str, Any]] = []
    ranges = dates.find_time_ranges(text, [(h.start, h.end, h.value) for h in hits if h.kind == "date"])
    in_range = {r.start for r in ranges if r.kind == "datetimerange"}  # its date is part of the range
    for hit in hits:
        if hit.kind == "person":
            is_assignee = assignee is not None and (assignee.name or "").split()[:1] == hit.value.split()[:1]
            out.append(
                {
                    "type": "person",
                    "text": hit.text,
                    "offset": hit.start,
                    "value": {"assignee": is_assignee, "name": hit.value},
                }
            )
        elif hit.kind in ("date", "time") and hit.start not in in_range:
            out.append({"type": hit.kind, "text": hit.text, "offset": hit.start, "value": hit.value})
    for r in ranges:
        out.append({"type": r.kind, "text": r.text, "offset": r.start, "start": r.begin, "end": r.finish})
    return sorted(out, key=lambda tag: int(tag["offset"]))


def insight_json(
    found: Found, conversation_id: str, hits: Sequence[EntityHit], detect_phrases: bool
) -> dict[str, Any]:
    """Wire shape of a question / action item / follow-up (every optional field present when known)."""
    msg = found.message
    out: dict[str, Any] = {
        "id": stable_numeric_id(conversation_id, found.kind, msg.id, msg.text),
        "text": msg.text,
        "type": found.kind,
        # The Go SDK reads a follow-up's score as an integer (a float fails the whole answer): 1 or 0.
        "score": int(found.score >= FOLLOW_UP_SCORE_CUT) if found.kind == "follow_up" else found.score,
        "messageIds": [msg.id],
    }
    if found.kind == "question":
        out["entities"] = []  # as in the docs' examples: questions carry no tagged entities
    else:
        out["entities"] = tag_entities(hits, found.assignee, msg.text)
        out["phrases"] = (
            [{"type": "action_phrase", "text": found.phrase}] if detect_phrases and found.phrase else []
        )
        out["definitive"] = found.definitive
    out["from"] = from_object(msg.speaker)
    if found.kind != "question":
        out["assignee"] = assignee_object(found.assignee) if found.assignee else {}
        if found.due is not None:
            out["dueBy"] = dates.due_datetime(found.due)
    return out

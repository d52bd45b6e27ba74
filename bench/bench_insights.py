"""Insight engine: compute_bundle for a 10,000-message conversation (pure engine, no HTTP, no database)."""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import SHORT, figure, median
from mock_symbl.insights import dates, sentiment, text
from mock_symbl.insights.engine import compute_bundle
from mock_symbl.insights.models import InsightOptions, TrackerSpec
from mock_symbl.messages import Message, Speaker

COMMAND = "python -m bench insights"
N_MESSAGES = 1_000 if SHORT else 10_000
RUNS = 1 if SHORT else 3
TARGET_SECONDS = 2.0
START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
SPEAKERS = [
    Speaker(id=f"00000000-0000-4000-8000-00000000000{i}", name=name, email=f"{name.lower()}@example.com")
    for i, name in enumerate(["Alice", "Bob", "Carol", "Dave"])
]
NOUNS = (
    "pricing roadmap contract budget onboarding migration dashboard invoice proposal schedule release "
    "security audit integration license renewal discount pipeline forecast deployment training"
).split()
ADJECTIVES = (
    "new old quarterly final draft revised annual shared internal external updated detailed early late "
    "regional global mobile enterprise basic premium"
).split()
# Endings make nearly every sentence unique, so per-text caches (stems, sentiment) get no unfair help.
ENDINGS = (
    "",
    " for the {c} team",
    " before the {c} review",
    " with the {c} vendor",
    " this quarter",
    " in the {c} region",
    " after the {c} launch",
    " for {c} customers",
    " during the {c} rollout",
    " as discussed",
)
TEMPLATES = [
    "We should talk about the {a} and the {b} next week.",
    "What is the status of the {a}?",
    "I will send the {a} to Acme Corp by Friday.",
    "Can you call me tomorrow about the {b}?",
    "The {a} looks great and the team loves the new {b}.",
    "Our main challenge with the {a} is the {b} cost of $1,200.",
    "Let's schedule a meeting to review the {a}.",
    "Please email jane@example.com the {b} numbers.",
    "I am not happy with the {a}, it is too slow.",
    "Mary will prepare the {a} and the {b} for the demo.",
]


def conversation(n: int = N_MESSAGES, seed: int = 7) -> list[Message]:
    """A deterministic n-message conversation mixing every insight rule (questions, actions, entities...)."""
    rng = random.Random(seed)
    out: list[Message] = []
    offset = 0.0
    for i in range(n):
        a = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
        ending = rng.choice(ENDINGS).format(c=rng.choice(ADJECTIVES))
        text = rng.choice(TEMPLATES).format(a=a, b=rng.choice(NOUNS))
        text = text[:-1] + ending + text[-1]
        duration = round(1.0 + len(text.split()) / 2.5, 3)
        out.append(
            Message(
                id=str(1_000_000_000_000_000 + i),
                seq=i,
                text=text,
                start=START + timedelta(seconds=offset),
                end=START + timedelta(seconds=offset + duration),
                time_offset=offset,
                duration=duration,
                speaker=SPEAKERS[rng.randrange(len(SPEAKERS))],
                conversation_id="4000000000000001",
            )
        )
        offset += duration + rng.choice((0.0, 0.3, 1.5, -0.5))  # some gaps, some overlaps
    return out


def options() -> InsightOptions:
    return InsightOptions(
        conversation_id="4000000000000001",
        conversation_start=START,
        detect_phrases=True,
        custom_vocabulary=("pipeline", "forecast"),
        trackers=(
            TrackerSpec("Pricing", ("price", "discount", "cost")),
            TrackerSpec("Competition", ("competitor", "Acme Corp")),
        ),
    )


def clear_caches() -> None:
    """Per-text caches would make repeated runs unrealistically fast; every run starts cold."""
    sentiment.polarity.cache_clear()
    text.stem.cache_clear()
    dates._find_dates.cache_clear()


def run() -> dict[str, Any]:
    messages = conversation()
    opts = options()
    compute_bundle(messages[:50], opts)  # warm imports and the VADER lexicon
    times, cpu = [], []
    bundle: dict[str, Any] = {}
    for _ in range(RUNS):
        clear_caches()
        started, started_cpu = time.perf_counter(), time.process_time()
        bundle = compute_bundle(messages, opts)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    seconds = median(times)
    load = os.getloadavg()[0]
    counts = {
        k: len(bundle[k]) for k in ("questions", "actionItems", "followUps", "topics", "entities", "trackers")
    }
    return {
        "title": "Insight engine (10,000 messages)",
        "description": (
            f"`insights.engine.compute_bundle` on a deterministic {N_MESSAGES:,}-message, 4-speaker conversation "
            f"(every rule fires: questions, action items, follow-ups, entities, 2 trackers, topics, summary, "
            f"analytics, call score); median of {RUNS} cold-cache runs after a warm-up, in-process (no HTTP, "
            f"no database). Bundle sizes: {counts}. Load average at the start of the runs: {load:.1f} "
            f"(wall time stretches when other processes compete for the CPU; CPU time is also reported)."
        ),
        "figures": [
            figure(
                "compute_bundle, 10,000 messages",
                round(seconds, 3),
                "s",
                target=f"< {TARGET_SECONDS:g} s",
                passed=seconds < TARGET_SECONDS,
                command=COMMAND,
            ),
            figure(
                "compute_bundle CPU time, 10,000 messages",
                round(median(cpu), 3),
                "s",
                target=f"< {TARGET_SECONDS:g} s",
                passed=median(cpu) < TARGET_SECONDS,
                command=COMMAND,
                note="process CPU time: what the wall time would be on an idle core",
            ),
            figure(
                "per message",
                round(seconds / N_MESSAGES * 1e6, 1),
                "µs",
                target="(reported)",
                passed=None,
                command=COMMAND,
            ),
        ],
        "raw": {"seconds": times, "cpu_seconds": cpu, "counts": counts, "load_average": load},
    }


if __name__ == "__main__":
    print(run())

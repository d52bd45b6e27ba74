"""Inline SVG charts for the analytics panels (no chart library: everything is served offline)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#4f6bed", "#e8716d", "#2fb08a", "#f2a33a", "#9b6ae0", "#2aa5c9", "#d65c9e", "#7b8a99")


def color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    color: str
    note: str = ""


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def hbars(bars: Sequence[Bar], *, unit: str = "%", maximum: float | None = None, title: str = "") -> Markup:
    """Horizontal bars with a label column, for per-speaker talk time or pace."""
    if not bars:
        return Markup('<p class="muted">No data.</p>')
    top = maximum or max((b.value for b in bars), default=0.0) or 1.0
    row, label_w, bar_w = 30, 110, 210
    height = row * len(bars) + 6
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {label_w + bar_w + 70} {height}" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, bar in enumerate(bars):
        y = i * row + 4
        width = max(1.5, bar_w * min(bar.value, top) / top)
        label = bar.label if len(bar.label) <= 16 else bar.label[:15] + "…"
        parts.append(
            f'<text x="0" y="{y + 16}" class="chart-label">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="16" rx="4" class="chart-track"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="16" rx="4" fill="{bar.color}">'
            f"<title>{escape(bar.label)}: {_fmt(bar.value)}{escape(unit)} {escape(bar.note)}</title></rect>"
            f'<text x="{label_w + bar_w + 8}" y="{y + 16}" class="chart-value">{_fmt(bar.value)}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def donut(slices: Sequence[Bar], *, title: str = "") -> Markup:
    """A donut of parts of a whole (talk, silence, overlap) with a legend."""
    total = sum(max(0.0, s.value) for s in slices)
    if total <= 0:
        return Markup('<p class="muted">No data.</p>')
    cx = cy = 60
    radius, stroke = 44, 18
    circumference = 2 * math.pi * radius
    parts = [
        f'<svg class="chart donut" role="img" viewBox="0 0 330 120" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="none" stroke-width="{stroke}" class="chart-track-stroke"/>'
    ]
    offset = 0.0
    for s in slices:
        share = max(0.0, s.value) / total
        if share <= 0:
            continue
        length = share * circumference
        parts.append(
            f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="none" stroke="{s.color}" stroke-width="{stroke}" '
            f'stroke-dasharray="{length:.2f} {circumference - length:.2f}" stroke-dashoffset="{-offset:.2f}" '
            f'transform="rotate(-90 {cx} {cy})"><title>{escape(s.label)}: {_fmt(s.value)}{escape(s.note)}</title>'
            "</circle>"
        )
        offset += length
    for i, s in enumerate(slices):
        y = 24 + i * 26
        parts.append(
            f'<rect x="140" y="{y - 11}" width="14" height="14" rx="3" fill="{s.color}"/>'
            f'<text x="162" y="{y}" class="chart-label">{escape(s.label)}</text>'
            f'<text x="325" y="{y}" text-anchor="end" class="chart-value">{_fmt(s.value)}{escape(s.note)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Segment:
    lane: int
    start: float
    end: float
    text: str


def timeline(lanes: Sequence[tuple[str, str]], segments: Sequence[Segment], span: float) -> Markup:
    """Who spoke when: one lane per speaker (name, colour), a block per message."""
    if not lanes or span <= 0:
        return Markup('<p class="muted">No data.</p>')
    row, label_w, width = 28, 130, 700
    height = row * len(lanes) + 22
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {label_w + width + 10} {height}" '
        'aria-label="Speaker timeline" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, colour) in enumerate(lanes):
        y = i * row
        label = name if len(name) <= 18 else name[:17] + "…"
        parts.append(
            f'<text x="0" y="{y + 17}" class="chart-label">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{width}" height="18" rx="4" class="chart-track" data-color="{colour}"/>'
        )
    for seg in segments:
        colour = lanes[seg.lane][1]
        x = label_w + width * max(0.0, seg.start) / span
        w = max(1.2, width * max(0.0, seg.end - seg.start) / span)
        parts.append(
            f'<rect x="{x:.1f}" y="{seg.lane * row + 4}" width="{w:.1f}" height="18" rx="2" fill="{colour}" '
            f'data-start="{seg.start:.2f}" class="seek"><title>{escape(seg.text[:120])}</title></rect>'
        )
    axis_y = row * len(lanes) + 16
    for k in range(5):
        t = span * k / 4
        x = label_w + width * k / 4
        anchor = "start" if k == 0 else ("end" if k == 4 else "middle")
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y}" text-anchor="{anchor}" class="chart-axis">{clock(t)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def sentiment_line(points: Sequence[tuple[float, float]], span: float) -> Markup:
    """Sentiment polarity (-1..1) of each message over time, as bars around a zero line."""
    if not points or span <= 0:
        return Markup('<p class="muted">No data.</p>')
    width, height, pad = 840, 110, 6
    mid = height / 2
    bar = max(2.0, min(10.0, width / max(1, len(points)) * 0.7))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height + 16}" aria-label="Sentiment over time" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<line x1="0" y1="{mid}" x2="{width}" y2="{mid}" class="chart-zero"/>'
    ]
    for t, score in points:
        x = pad + (width - 2 * pad - bar) * max(0.0, t) / span
        h = (mid - pad) * max(-1.0, min(1.0, score))
        y = mid - h if h > 0 else mid
        fill = "#2fb08a" if score > 0.05 else ("#e8716d" if score < -0.05 else "#9aa5b1")
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{max(1.0, abs(h)):.1f}" rx="1.5" fill="{fill}">'
            f"<title>{clock(t)} polarity {score:+.2f}</title></rect>"
        )
    parts.append(
        f'<text x="0" y="{height + 14}" class="chart-axis">{clock(0)}</text>'
        f'<text x="{width}" y="{height + 14}" text-anchor="end" class="chart-axis">{clock(span)}</text></svg>'
    )
    return Markup("".join(parts))


def gauge(score: float) -> Markup:
    """A 0-100 semicircle gauge for the call score."""
    value = max(0.0, min(100.0, score))
    radius = 50
    length = math.pi * radius
    filled = length * value / 100
    colour = "#2fb08a" if value >= 70 else ("#f2a33a" if value >= 40 else "#e8716d")
    return Markup(
        '<svg class="chart gauge" role="img" viewBox="0 0 130 78" aria-label="Call score" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<path d="M15 68 A{radius} {radius} 0 0 1 115 68" fill="none" stroke-width="12" class="chart-track-stroke"/>'
        f'<path d="M15 68 A{radius} {radius} 0 0 1 115 68" fill="none" stroke="{colour}" stroke-width="12" '
        f'stroke-linecap="round" stroke-dasharray="{filled:.2f} {length:.2f}"/>'
        f'<text x="65" y="64" text-anchor="middle" class="gauge-value">{int(round(value))}</text></svg>'
    )


def clock(seconds: float) -> str:
    """m:ss (or h:mm:ss) for axis labels and transcript timestamps."""
    total = int(max(0.0, seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"

"""Small SVG charts drawn on the server for the flag pages (no script, no CDN, readable by screen readers).

Written here rather than with matplotlib: its SVG of even a two-bar chart is tens of kilobytes of paths
with inline styles (which the pages' Content-Security-Policy refuses), while these are a few hundred
bytes, carry a <title> and <desc> for screen readers, and take their colours from the stylesheet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

WIDTH = 320
TIMELINE_WIDTH = 560


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def rate_chart(evidence: dict[str, Any], lang: str) -> str | None:
    """The subject's rate against its peers' rate, and the rate ratio with its 95 % interval."""
    rate, peer = _number(evidence.get("rate")), _number(evidence.get("peer_rate"))
    interval = evidence.get("rate_ratio_ci95") or [None, None]
    ratio, low, high = (_number(evidence.get("rate_ratio")), _number(interval[0]), _number(interval[1]))
    if rate is None or peer is None:
        return None
    top = max(rate, peer, 1e-9)
    subject_label, peers_label = ("subjek", "pembanding") if lang == "id" else ("subject", "peers")
    title = "Tingkat subjek dibanding pembanding" if lang == "id" else "The subject's rate against its peers"
    desc = f"{subject_label} {rate:.1%}, {peers_label} {peer:.1%}"
    bars = []
    for row, (label, value, css) in enumerate(
        ((subject_label, rate, "bar-subject"), (peers_label, peer, "bar-peers"))
    ):
        y = 10 + row * 30
        width = max(1.0, 200 * value / top)
        bars.append(
            f'<text x="0" y="{y + 14}" class="axis">{escape(label)}</text>'
            f'<rect x="90" y="{y}" width="{width:.1f}" height="20" class="{css}"/>'
            f'<text x="{94 + width:.1f}" y="{y + 14}" class="value">{value:.1%}</text>'
        )
    ratio_part = ""
    if ratio is not None and low is not None and high is not None and high > 0:
        scale = 200 / max(high, ratio, 2.0)
        x0, x1, xr, one = 90 + low * scale, 90 + high * scale, 90 + ratio * scale, 90 + 1 * scale
        label = "rasio (CI 95%)" if lang == "id" else "ratio (95% CI)"
        desc += f"; {label} {ratio:.2f} ({low:.2f} to {high:.2f})"
        ratio_part = (
            f'<text x="0" y="84" class="axis">{escape(label)}</text>'
            f'<line x1="{one:.1f}" y1="72" x2="{one:.1f}" y2="96" class="reference"/>'
            f'<line x1="{x0:.1f}" y1="84" x2="{x1:.1f}" y2="84" class="interval"/>'
            f'<circle cx="{xr:.1f}" cy="84" r="4" class="estimate"/>'
            f'<text x="{min(x1 + 4, 290):.1f}" y="88" class="value">{ratio:.2f}</text>'
        )
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} 104" width="100%"'
        ' aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{escape(title)}</title>'
        f'<desc id="chart-desc">{escape(desc)}</desc>{"".join(bars)}{ratio_part}</svg>'
    )


def ring_picture(evidence: dict[str, Any], lang: str) -> str | None:
    """A ring's central actors around its babies, each line as thick as the babies through that actor."""
    actors = evidence.get("central_actors") or []
    if not actors:
        return None
    babies = evidence.get("suspicious_babies", 0)
    cx, cy, radius = WIDTH / 2, 120, 85
    parts = []
    count = min(len(actors), 12)
    for i, actor in enumerate(actors[:count]):
        angle = 2 * math.pi * i / count - math.pi / 2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        weight = max(1.0, min(8.0, float(actor.get("babies", 1))))
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" class="edge"'
            f' stroke-width="{weight:.1f}"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7"'
            f' class="node node-{escape(str(actor.get("type", "")))}"/>'
            f'<text x="{x:.1f}" y="{y + (18 if y >= cy else -11):.1f}" class="label" text-anchor="middle">'
            f"{escape(str(actor.get('node', ''))[:18])}</text>"
        )
    centre = f"{babies} bayi" if lang == "id" else f"{babies} babies"
    title = "Jaringan: aktor utama" if lang == "id" else "Ring: its central actors"
    desc = ", ".join(f"{a.get('type')} {a.get('node')} ({a.get('babies')})" for a in actors[:count])
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} 240" width="100%"'
        ' aria-labelledby="ring-title ring-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="ring-title">{escape(title)}</title>'
        f'<desc id="ring-desc">{escape(desc)}</desc>{"".join(parts)}'
        f'<circle cx="{cx}" cy="{cy}" r="22" class="hub"/>'
        f'<text x="{cx}" y="{cy + 4}" class="label hub-label" text-anchor="middle">'
        f"{escape(centre)}</text></svg>"
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timeline_chart(events: Sequence[tuple[date, str]], lang: str) -> str | None:
    """Dated events (day, kind) on one time axis: a lane per kind, a dot per event (kind and date as its
    tooltip), the first and last dates under the axis. The page shows the same events as a table."""
    if not events:
        return None
    lanes = list(dict.fromkeys(kind for _, kind in sorted(events)))
    first, last = min(day for day, _ in events), max(day for day, _ in events)
    span, left, right, lane_height = max((last - first).days, 1), 200, TIMELINE_WIDTH - 12, 20
    bottom = 8 + lane_height * len(lanes)

    def y_of(kind: str) -> float:
        return 8 + lane_height * lanes.index(kind) + lane_height / 2

    parts = [
        f'<text x="0" y="{y_of(kind) + 4:.0f}" class="axis">{escape(_short(kind, 32))}</text>'
        f'<line x1="{left}" y1="{y_of(kind):.0f}" x2="{right}" y2="{y_of(kind):.0f}" class="lane"/>'
        for kind in lanes
    ]

    def x_of(day: date) -> float:
        return left + (right - left) * (day - first).days / span

    for year in range(first.year + 1, last.year + 1):  # a tick at each new year, labelled if there is room
        x = x_of(date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="{bottom - 4}" x2="{x:.1f}" y2="{bottom + 4}" class="reference"/>'
        )
        if x - left > 70 and right - x > 70:
            parts.append(
                f'<text x="{x:.1f}" y="{bottom + 16}" class="axis" text-anchor="middle">{year}</text>'
            )
    for day, kind in events:
        x = x_of(day)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y_of(kind):.0f}" r="4" class="event">'
            f"<title>{escape(kind)} {day.isoformat()}</title></circle>"
        )
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" class="reference"/>'
        f'<text x="{left}" y="{bottom + 16}" class="axis">{first.isoformat()}</text>'
    )
    if last != first:
        parts.append(
            f'<text x="{right}" y="{bottom + 16}" class="axis" text-anchor="end">{last.isoformat()}</text>'
        )
    title = "Linimasa peristiwa" if lang == "id" else "Timeline of events"
    counted = f"{len(events)} peristiwa" if lang == "id" else f"{len(events)} events"
    between = "sampai" if lang == "id" else "to"
    desc = f"{counted}, {first.isoformat()} {between} {last.isoformat()}: {', '.join(lanes)}"
    return (
        f'<svg class="chart" role="img" data-chart="timeline" viewBox="0 0 {TIMELINE_WIDTH} {bottom + 24}"'
        ' width="100%" aria-labelledby="timeline-title timeline-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="timeline-title">{escape(title)}</title>'
        f'<desc id="timeline-desc">{escape(desc)}</desc>{"".join(parts)}</svg>'
    )

"""Tiny trend lines drawn as inline SVG on the server.

A profile shows one per indicator, so they are a few hundred bytes of path data rather than
full Vega-Lite charts. They are decorative (aria-hidden): the value, target and band sit in the
same table row as text, and the indicator page has the full chart with its data table.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 96, 24, 2


def sparkline(values: Sequence[float], target: float | None = None) -> SafeString:
    if not values:
        return SafeString("")
    return _drawn(tuple(values), target)


# The same series is drawn again on every visit to a profile until its data changes.
@lru_cache(maxsize=20_000)
def _drawn(values: tuple[float, ...], target: float | None) -> SafeString:
    points = values + (target,) if target is not None else values
    low, high = min(points), max(points)
    scale = (HEIGHT - 2 * PAD) / ((high - low) or 1.0)
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    bottom = HEIGHT - PAD
    path = " ".join(
        f"{PAD + index * step:.1f},{bottom - (value - low) * scale:.1f}"
        for index, value in enumerate(values)
    )
    last_x, last_y = path.rsplit(" ", 1)[-1].split(",")
    target_line = ""
    if target is not None:
        target_y = f"{bottom - (target - low) * scale:.1f}"
        target_line = (
            f'<line x1="0" x2="{WIDTH}" y1="{target_y}" y2="{target_y}" stroke="#D55E00" '
            'stroke-dasharray="3 2"/>'
        )
    # Only numbers computed here go into the markup, so it needs no escaping (and a profile
    # draws a hundred of these: format_html's escaping would double the cost).
    return mark_safe(  # noqa: S308
        f'<svg class="sparkline" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-hidden="true" focusable="false">{target_line}'
        f'<polyline points="{path}" fill="none" stroke="#0072B2" stroke-width="1.5"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2" fill="#0072B2"/></svg>'
    )

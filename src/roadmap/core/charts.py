"""Charts: Vega-Lite specs rendered to SVG on the server, so no chart needs JavaScript.

Every chart reaches the page as a `Chart` with a caption and the rows of its data table;
templates render it with `core/chart.html` inside a <figure>.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import vl_convert
from django.core.cache import cache

# Colour-blind-safe palette (Okabe–Ito) with enough contrast on white.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
SEQUENTIAL = "blues"
CACHE_SECONDS = 60 * 60


@dataclass
class Chart:
    caption: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]]
    chart_id: str = "chart"
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def svg(self) -> str:
        return render_svg(self.spec)


def base_spec(**overrides: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": {
            "font": "system-ui, sans-serif",
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 220},
            "legend": {"labelFontSize": 12, "titleFontSize": 12},
            "view": {"stroke": None},
        },
        "background": "white",
    }
    spec.update(overrides)
    return spec


def render_svg(spec: dict[str, Any]) -> str:
    """SVG for a spec, cached by the spec's hash (the spec carries its data and labels)."""
    payload = json.dumps(spec, sort_keys=True, default=str)
    key = "chart-svg:" + hashlib.sha256(payload.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(payload, vl_version="5.20")
        cache.set(key, svg, CACHE_SECONDS)
    return svg

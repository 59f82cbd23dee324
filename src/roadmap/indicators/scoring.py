"""Scores derived from an observation and its target (documented in docs/indicators.md).

Three numbers, each reproducible from the raw value, the target and the indicator's direction:

- achievement: a CityScore-style ratio to target. value ÷ target when higher is better,
  target ÷ value when lower is better, 1 − |value − ideal| ÷ widest possible distance when a
  value closest to an ideal is best. Capped at CAP so one runaway indicator cannot hide others.
- band: the U4SSC benchmark band of the achievement as a share of target (0–33 %, 33–66 %,
  66–95 %, above 95 %).
- progress: how far the value has moved from the baseline towards the target,
  (value − baseline) ÷ (target − baseline); 0 at the baseline, 1 on target.

Roll-ups (category, dimension, purpose, action area) are the mean achievement of the scored
indicators in the group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Direction

CAP = 1.25
BANDS = (
    # xgettext:no-python-format
    (0.33, "0-33", _("0–33 % of target")),
    # xgettext:no-python-format
    (0.66, "33-66", _("33–66 % of target")),
    # xgettext:no-python-format
    (0.95, "66-95", _("66–95 % of target")),
    # xgettext:no-python-format
    (float("inf"), "95-100", _("Above 95 % of target")),
)
BAND_LABELS = {code: label for _limit, code, label in BANDS}
# Designsystemet tag colours; the band is always written out too, so colour is never alone.
BAND_COLOURS = {"0-33": "danger", "33-66": "warning", "66-95": "info", "95-100": "success"}


@dataclass(frozen=True)
class Score:
    achievement: float | None
    band: str | None
    progress: float | None

    @property
    def band_label(self) -> str:
        return str(BAND_LABELS[self.band]) if self.band else ""

    @property
    def band_colour(self) -> str:
        return BAND_COLOURS.get(self.band or "", "neutral")

    @property
    def achievement_percent(self) -> int | None:
        return None if self.achievement is None else round(self.achievement * 100)

    @property
    def progress_percent(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)


NO_SCORE = Score(None, None, None)


def achievement(
    value: float,
    target: float,
    direction: str,
    *,
    low: float | None = None,
    high: float | None = None,
) -> float | None:
    if direction == Direction.HIGHER:
        if target <= 0:
            return None
        ratio = value / target
    elif direction == Direction.LOWER:
        if target < 0:
            return None
        ratio = CAP if value <= 0 else target / value
    elif direction == Direction.TARGET:
        span = max(target - (low if low is not None else target), (high or target) - target)
        if span <= 0:
            return None
        ratio = 1 - abs(value - target) / span
    else:
        return None
    return max(0.0, min(ratio, CAP))


def band(ratio: float | None) -> str | None:
    if ratio is None:
        return None
    share = min(ratio, 1.0)
    return next(code for limit, code, _label in BANDS if share < limit)


def progress(value: float, baseline: float | None, target: float) -> float | None:
    if baseline is None or target == baseline:
        return None
    return (value - baseline) / (target - baseline)


def score(value: float, indicator, target) -> Score:
    """The score of a value of `indicator` against `target` (a Target, or None)."""
    if target is None or indicator.direction == Direction.CONTEXT:
        return NO_SCORE
    ratio = achievement(
        value,
        target.target_value,
        indicator.direction,
        low=indicator.min_value,
        high=indicator.max_value,
    )
    return Score(ratio, band(ratio), progress(value, target.baseline_value, target.target_value))


@dataclass(frozen=True)
class RollUp:
    mean: float | None
    scored: int

    @property
    def percent(self) -> int | None:
        return None if self.mean is None else round(self.mean * 100)

    @property
    def band(self) -> str | None:
        return band(self.mean)

    @property
    def band_label(self) -> str:
        code = self.band
        return str(BAND_LABELS[code]) if code else ""

    @property
    def band_colour(self) -> str:
        return BAND_COLOURS.get(self.band or "", "neutral")


def roll_up(scores: Iterable[Score]) -> RollUp:
    ratios = [item.achievement for item in scores if item.achievement is not None]
    return RollUp(sum(ratios) / len(ratios) if ratios else None, len(ratios))

from types import SimpleNamespace

import pytest

from roadmap.indicators import scoring


def _indicator(direction, low=0.0, high=None):
    return SimpleNamespace(direction=direction, min_value=low, max_value=high)


def _target(value, baseline=None):
    return SimpleNamespace(target_value=value, baseline_value=baseline)


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (40, 80, "higher", 0.5),
        (80, 80, "higher", 1.0),
        (200, 80, "higher", scoring.CAP),  # capped
        (4.0, 2.0, "lower", 0.5),
        (1.0, 2.0, "lower", scoring.CAP),
        (0.0, 2.0, "lower", scoring.CAP),
    ],
)
def test_achievement_is_a_capped_ratio_by_direction(value, target, direction, expected):
    assert scoring.achievement(value, target, direction) == pytest.approx(expected)


def test_a_value_is_scored_by_its_distance_from_an_ideal():
    assert scoring.achievement(1.0, 1.0, "target", low=0, high=2) == 1.0
    assert scoring.achievement(0.9, 1.0, "target", low=0, high=2) == pytest.approx(0.9)
    assert scoring.achievement(1.5, 1.0, "target", low=0, high=2) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("ratio", "band"),
    [
        (0.0, "0-33"),
        (0.329, "0-33"),
        (0.33, "33-66"),
        (0.7, "66-95"),
        (0.95, "95-100"),
        (1.2, "95-100"),
    ],
)
def test_u4ssc_bands(ratio, band):
    assert scoring.band(ratio) == band


def test_progress_runs_from_baseline_to_target_in_either_direction():
    assert scoring.progress(60, 40, 80) == pytest.approx(0.5)
    assert scoring.progress(3.0, 4.0, 2.0) == pytest.approx(0.5)
    assert scoring.progress(5.0, 4.0, 2.0) == pytest.approx(-0.5)
    assert scoring.progress(5.0, None, 2.0) is None


def test_context_indicators_and_indicators_without_target_are_not_scored():
    assert scoring.score(5, _indicator("context"), _target(10)) == scoring.NO_SCORE
    assert scoring.score(5, _indicator("higher"), None) == scoring.NO_SCORE


def test_score_combines_the_three_numbers():
    result = scoring.score(60, _indicator("higher", 0, 100), _target(80, baseline=40))
    assert result.achievement == pytest.approx(0.75)
    assert result.band == "66-95"
    assert result.progress_percent == 50


def test_roll_up_is_the_mean_of_scored_indicators_only():
    scores = [
        scoring.Score(1.0, "95-100", None),
        scoring.Score(0.5, "33-66", None),
        scoring.NO_SCORE,
    ]
    rolled = scoring.roll_up(scores)
    assert rolled.scored == 2
    assert rolled.percent == 75
    assert rolled.band == "66-95"
    assert scoring.roll_up([scoring.NO_SCORE]).mean is None

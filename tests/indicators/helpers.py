"""Small builders for indicator tests."""

import datetime

from roadmap.indicators.models import Indicator, Observation, Target

PERCENT_CODE = "EC: ICT: ICT: 2C"  # fixed broadband, %, higher is better
GHG_CODE = "EN: EN: AQ: 2C"  # t CO2e per capita, lower is better


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code, municipality__isnull=True)


def observe(municipality, code: str, values: dict[int, float], **fields) -> None:
    """Yearly observations {year: value} of a shared indicator."""
    chosen = indicator(code)
    Observation.objects.bulk_create(
        Observation(
            municipality=municipality,
            indicator=chosen,
            period=datetime.date(year, 1, 1),
            value=value,
            **fields,
        )
        for year, value in values.items()
    )


def target(municipality, code: str, value: float, *, baseline=None, year=2030) -> Target:
    baseline_value, baseline_year = baseline or (None, None)
    return Target.objects.create(
        municipality=municipality,
        indicator=indicator(code),
        target_value=value,
        target_year=year,
        baseline_value=baseline_value,
        baseline_year=baseline_year,
    )


def fill(municipality, codes, years=range(2015, 2025)) -> None:
    """Observations of several indicators over several years, with targets."""
    for code in codes:
        observe(municipality, code, {year: 50 + year % 7 for year in years})
        target(municipality, code, 80, baseline=(50, 2015))

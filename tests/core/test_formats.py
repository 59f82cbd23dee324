"""One date and number format per language, from roadmap/formats (FORMAT_MODULE_PATH)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from roadmap.indicators.selectors import format_number
from tests.participation.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db
EVENING = timezone.make_aware(
    datetime.datetime(2026, 11, 29, 22, 29), timezone.get_fixed_timezone(60)
)
TEMPLATE = Template(
    '{{ when|date:"DATETIME_FORMAT" }}|{{ when|date:"SHORT_DATETIME_FORMAT" }}|{{ when }}|'
    '{{ when|date:"DATE_FORMAT" }}|{{ when|date:"SHORT_DATE_FORMAT" }}|'
    '{{ amount|floatformat:"2g" }}'
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "29 Nov 2026, 22:29|29 Nov 2026, 22:29|29 Nov 2026, 22:29|29 Nov 2026|29 Nov 2026"
            "|1,250,000.50",
        ),
        (
            "nb",
            "29. nov. 2026 kl. 22:29|29. nov. 2026 kl. 22:29|29. nov. 2026 kl. 22:29"
            "|29. nov. 2026|29. nov. 2026|1\xa0250\xa0000,50",
        ),
    ],
)
def test_every_named_format_reads_the_same_in_a_language(language, expected):
    with translation.override(language):
        rendered = TEMPLATE.render(Context({"when": EVENING, "amount": Decimal("1250000.5")}))
    assert rendered == expected
    assert "p.m." not in rendered and "a.m." not in rendered


def test_the_phase_banner_shows_a_24_hour_clock(client, municipality):
    process = ProcessFactory(municipality=municipality, slug="harbour")
    PhaseFactory(process=process, ends_at=timezone.make_aware(datetime.datetime(2030, 1, 5, 17, 0)))
    content = client.get(f"/m/{municipality.slug}/processes/harbour/").content.decode()
    assert "Open until 5 Jan 2030, 17:00" in content


@pytest.mark.parametrize(("language", "expected"), [("en", "12,500.5"), ("nb", "12\xa0500,5")])
def test_indicator_values_are_grouped_like_every_other_number(language, expected):
    with translation.override(language):
        assert format_number(12500.5) == expected
        assert format_number(3.0) == "3"

"""The demo: every app's demo data file, checked, then built in one transaction.

Each app reads its own file (`<app>/data/demo.yaml`) against its schema in its `demo.py` and
builds its part from it; this module is the only one that knows them all. Every file is read
and checked before the first row is written, so a file with problems stops the build with a
message naming the file, the entry and the field, and leaves the database as it was.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.indicators import demo as indicators
from roadmap.initiatives import demo as portfolio
from roadmap.initiatives.models import Initiative
from roadmap.municipalities.models import Municipality
from roadmap.opinions import demo as opinions
from roadmap.participation import demo as participation
from roadmap.workshops import demo as workshops

DEMO_SLUG = portfolio.DEMO_SLUG
NEIGHBOUR_SLUG = portfolio.NEIGHBOUR_SLUG
DEMO_ADMIN_USERNAME = "demo-admin"
# Every demo account shares this password; it is printed by setup_demo.
DEMO_ADMIN_PASSWORD = "fjordvik-demo-2026"  # noqa: S105 (public demo data)


class DemoExistsError(Exception):
    pass


@dataclass(frozen=True)
class DemoData:
    portfolio: portfolio.PortfolioData
    participation: participation.ParticipationData
    indicators: indicators.IndicatorData
    workshops: workshops.WorkshopData
    opinions: opinions.OpinionData


def demo_data() -> DemoData:
    """Every app's demo data file, each checked completely; raises DataFileError."""
    portfolio_data = portfolio.demo_data()
    return DemoData(
        portfolio=portfolio_data,
        participation=participation.demo_data(portfolio_data),
        indicators=indicators.demo_data(),
        workshops=workshops.demo_data(),
        opinions=opinions.demo_data(),
    )


def demo_exists() -> bool:
    return Municipality.objects.filter(slug__in=[DEMO_SLUG, NEIGHBOUR_SLUG]).exists()


@transaction.atomic
def reset_demo(data: DemoData | None = None) -> None:
    """Remove the demo municipalities and demo accounts (their rows go with them)."""
    data = data or demo_data()
    slugs = [DEMO_SLUG, NEIGHBOUR_SLUG]
    # Initiatives first: their ratings protect the local principles that the municipality
    # deletion would otherwise cascade to.
    Initiative.objects.filter(municipality__slug__in=slugs).delete()
    Municipality.objects.filter(slug__in=slugs).delete()
    User.objects.filter(username__in=data.portfolio.usernames).delete()


@transaction.atomic
def build_demo(*, reset: bool = False, today: datetime.date | None = None) -> Municipality:
    """Build the demo municipalities; returns Fjordvik. Refuses to overwrite unless reset."""
    data = demo_data()
    if demo_exists():
        if not reset:
            raise DemoExistsError(
                f"The demo municipality '{DEMO_SLUG}' exists already; use --reset to rebuild it."
            )
        reset_demo(data)
    today = today or timezone.localdate()
    password = make_password(DEMO_ADMIN_PASSWORD)
    fjordvik, solbacka = portfolio.build_portfolio_demo(
        data=data.portfolio, today=today, password=password
    )
    participation.build_participation_demo(
        municipality=fjordvik, today=today, password=password, data=data.participation
    )
    indicators.build_indicator_demo(
        municipality=fjordvik, neighbours=[solbacka], data=data.indicators
    )
    workshops.build_workshop_demo(
        municipality=fjordvik,
        today=today,
        data=data.workshops,
        participation=data.participation,
    )
    opinions.build_opinion_demo(municipality=fjordvik, today=today, data=data.opinions)
    return fjordvik

"""The 17 UN Sustainable Development Goals, by number, with their short names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SDG_GOALS: list[tuple[int, StrOrPromise]] = [
    (1, _("No poverty")),
    (2, _("Zero hunger")),
    (3, _("Good health and well-being")),
    (4, _("Quality education")),
    (5, _("Gender equality")),
    (6, _("Clean water and sanitation")),
    (7, _("Affordable and clean energy")),
    (8, _("Decent work and economic growth")),
    (9, _("Industry, innovation and infrastructure")),
    (10, _("Reduced inequalities")),
    (11, _("Sustainable cities and communities")),
    (12, _("Responsible consumption and production")),
    (13, _("Climate action")),
    (14, _("Life below water")),
    (15, _("Life on land")),
    (16, _("Peace, justice and strong institutions")),
    (17, _("Partnerships for the goals")),
]

SDG_NAMES = dict(SDG_GOALS)


def goal_choices() -> list[tuple[int, str]]:
    """Checkbox choices labelled like "11. Sustainable cities and communities"."""
    return [(number, f"{number}. {name}") for number, name in SDG_GOALS]


def goals_with_names(numbers: list[int]) -> list[tuple[int, StrOrPromise]]:
    return [(number, SDG_NAMES[number]) for number in sorted(numbers) if number in SDG_NAMES]

"""The combined pages moved to roadmap.pages keep their addresses and names, and the apps'
own entries still win where a combined page's pattern would also match."""

import pytest
from django.urls import resolve, reverse

from roadmap.framework import views as framework_views
from roadmap.pages import views

M = {"municipality": "fjordvik"}


@pytest.mark.parametrize(
    ("name", "kwargs", "address", "view"),
    [
        ("home", {}, "/", views.home),
        ("municipalities:home", M, "/m/fjordvik/", views.municipality_home),
        ("municipalities:dashboard", M, "/m/fjordvik/portfolio/", None),
        ("municipalities:assessments_csv", M, "/m/fjordvik/assessments.csv", None),
        ("municipalities:assessments_xlsx", M, "/m/fjordvik/assessments.xlsx", None),
        ("framework:principle", {"code": "p1"}, "/framework/principles/p1/", views.principle),
        (
            "local_framework:principle",
            {**M, "code": "p1"},
            "/m/fjordvik/framework/principles/p1/",
            views.municipal_principle,
        ),
        (
            "initiatives:detail",
            {**M, "pk": 3},
            "/m/fjordvik/initiatives/3/",
            views.initiative_detail,
        ),
    ],
)
def test_combined_pages_keep_their_names_and_addresses(name, kwargs, address, view):
    assert reverse(name, kwargs=kwargs) == address
    assert resolve(address).view_name == name
    if view is not None:
        assert resolve(address).func is view


def test_the_apps_own_entries_come_first():
    match = resolve("/m/fjordvik/framework/principles/new/")
    assert match.func is framework_views.principle_create

"""Whole journeys in a real browser: assessing an initiative, working without JavaScript, and
choosing the interface language."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roadmap.initiatives.models import Assessment, Initiative
from tests.browser.conftest import assert_accessible, login
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.browser

PAGE_SIZE = 20  # roadmap.core.pagination


def initiative_url(live_server, initiative) -> str:
    return live_server.url + reverse(
        "initiatives:detail", args=[initiative.municipality.slug, initiative.pk]
    )


def test_assessor_rates_and_finalises_and_the_initiative_shows_its_profile(
    page: Page, live_server, portfolio
):
    initiative = portfolio.unassessed
    login(page, live_server, portfolio.assessor)
    page.goto(initiative_url(live_server, initiative))
    page.get_by_role("link", name="New assessment").click()
    expect(page.locator("h1")).to_have_text("New assessment")

    page.locator("#id_summary").fill("Good partner work; little open data so far.")
    level_three = page.locator("input[type=radio][name^='level_'][value='3']")
    principles_rated = level_three.count()
    assert principles_rated > 0
    for index in range(principles_rated):
        level_three.nth(index).check()
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator(".messages")).to_contain_text("saved as a draft")
    page.get_by_role("link", name="Finalise assessment").click()
    expect(page.locator("h1")).to_have_text("Finalise the assessment")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, finalise the assessment").click()
    expect(page.locator(".messages")).to_contain_text("The assessment is final.")
    assessment = Assessment.objects.get(initiative=initiative)
    assert (assessment.status, assessment.is_latest) == ("final", True)
    assert assessment.ratings.filter(level=3).count() == principles_rated

    page.goto(initiative_url(live_server, initiative))
    chart = page.locator("figure:has(svg)")
    expect(chart).to_have_count(1)
    expect(chart.locator("figcaption")).not_to_be_empty()
    page.locator("figure summary").click()  # the data table sits in a <details>
    data_rows = chart.locator("table tbody tr")
    expect(data_rows).to_have_count(principles_rated)
    expect(data_rows.first.locator("th[scope=row]")).not_to_be_empty()
    assert_accessible(page)


def test_without_javascript_filtering_paging_and_forms_all_work(
    no_js_page: Page, live_server, portfolio
):
    page, municipality = no_js_page, portfolio.municipality
    # With the portfolio's own piloting initiative, one more than fits on the first page.
    InitiativeFactory.create_batch(PAGE_SIZE, municipality=municipality, status="piloting")
    list_url = live_server.url + reverse("initiatives:list", args=[municipality.slug])

    page.goto(list_url)
    page.locator("#id_status").select_option("piloting")
    page.get_by_role("button", name="Show initiatives").click()
    expect(page).to_have_url(re.compile(r"[?&]status=piloting"))
    expect(page.locator(".result-count")).to_contain_text(f"{PAGE_SIZE + 1} initiatives")
    rows = page.locator("table.initiative-table tbody tr")
    expect(rows).to_have_count(PAGE_SIZE)

    page.locator("a[rel=next]").click()
    expect(page).to_have_url(re.compile(r"(?=.*status=piloting)(?=.*page=2)"))
    expect(rows).to_have_count(1)
    expect(page.locator("table.initiative-table")).not_to_contain_text(portfolio.unassessed.title)

    login(page, live_server, portfolio.editor)
    page.goto(list_url + "new/")
    page.locator("#id_title").fill("Library of things")
    page.locator("#id_summary").fill("Borrow tools instead of buying them.")
    page.locator("#id_action_areas_0").check()
    page.get_by_role("button", name="Create initiative").click()
    expect(page.locator(".messages")).to_contain_text("The initiative was created.")
    created = Initiative.objects.get(municipality=municipality, title="Library of things")
    expect(page).to_have_url(initiative_url(live_server, created))


def test_language_choice_changes_the_interface_and_is_remembered(
    page: Page, live_server, portfolio
):
    login(page, live_server, portfolio.editor)
    page.goto(live_server.url + reverse("municipalities:home", args=[portfolio.municipality.slug]))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")

    page.locator("#language-select").select_option("nb")
    page.locator(".language-form button[type=submit]").click()
    expect(html).to_have_attribute("lang", "nb")
    expect(page).to_have_url(re.compile(r"/m/fjordvik/$"))  # back where the switch was made
    expect(page.locator("#language-select")).to_have_value("nb")
    main_nav = page.get_by_role("navigation", name="Hovedmeny")
    expect(main_nav.get_by_role("link", name="Veikartet")).to_be_visible()

    page.goto(live_server.url + reverse("framework:overview"))
    expect(html).to_have_attribute("lang", "nb")
    portfolio.editor.refresh_from_db()
    assert portfolio.editor.language == "nb"  # saved on the account for other devices too

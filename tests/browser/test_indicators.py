"""Indicators in a real browser: every page through axe in English and Norwegian, the import
journey by keyboard, and the comparison without JavaScript."""

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from roadmap.accounts.models import User
from roadmap.indicators import services
from roadmap.indicators.models import InitiativeIndicator, Observation
from roadmap.initiatives.models import Initiative
from roadmap.municipalities.models import Municipality
from tests.browser.conftest import LANGUAGES, assert_accessible, login, use_language
from tests.factories import InitiativeFactory, MunicipalityFactory
from tests.indicators.helpers import GHG_CODE, PERCENT_CODE, indicator, observe, target

pytestmark = pytest.mark.browser


@dataclass
class Scene:
    municipality: Municipality
    other: Municipality
    editor: User
    initiative: Initiative

    def url(self, live_server, name: str, **kwargs) -> str:
        return live_server.url + reverse(
            f"indicators:{name}", kwargs={"municipality": self.municipality.slug, **kwargs}
        )


@pytest.fixture
def scene(transactional_db, municipality, editor) -> Scene:
    call_command("load_framework", verbosity=0)
    call_command("load_indicators", verbosity=0)
    other = MunicipalityFactory(name="Elvdal", slug="elvdal")
    for place, offset in ((municipality, 0.0), (other, 0.6)):
        observe(place, GHG_CODE, {2021: 4.2 + offset, 2022: 3.9 + offset, 2023: 3.4 + offset})
        observe(place, PERCENT_CODE, {2022: 81 - offset, 2023: 86 - offset}, verified=True)
        target(place, GHG_CODE, 2.5, baseline=(4.2, 2021))
        target(place, PERCENT_CODE, 95)
    initiative = InitiativeFactory(municipality=municipality, title="Electric harbour ferries")
    InitiativeIndicator.objects.create(
        initiative=initiative, indicator=indicator(GHG_CODE), effect="decrease"
    )
    return Scene(municipality, other, editor, initiative)


def test_indicator_pages_pass_axe_in_every_language(page: Page, live_server, scene):
    ghg = indicator(GHG_CODE).slug
    own = services.create_own_indicator(
        actor=scene.editor,
        municipality=scene.municipality,
        data={
            "code": "FJ-1",
            "name": "Ferry trips by electricity",
            "definition": "Share of ferry trips run on batteries.",
            "dimension": "EN",
            "category": indicator(GHG_CODE).category,
            "unit": "%",
            "direction": "higher",
        },
    )
    public = [
        scene.url(live_server, "profile"),
        scene.url(live_server, "purpose", code="green"),
        scene.url(live_server, "indicator", indicator=ghg),
        live_server.url + reverse("indicator_catalogue:list"),
        live_server.url + reverse("indicator_catalogue:compare") + "?m=fjordvik&m=elvdal",
        live_server.url
        + reverse(
            "initiatives:detail",
            kwargs={"municipality": scene.municipality.slug, "pk": scene.initiative.pk},
        ),
    ]
    managing = [
        scene.url(live_server, "import"),
        scene.url(live_server, "target", indicator=ghg),
        scene.url(live_server, "mapping", indicator=ghg),
        scene.url(live_server, "own_create"),
        scene.url(live_server, "initiative_claims", pk=scene.initiative.pk),
        scene.url(live_server, "observation_create", indicator=ghg),
        scene.url(
            live_server,
            "observation_delete",
            indicator=ghg,
            pk=Observation.objects.filter(municipality=scene.municipality).first().pk,
        ),
        scene.url(live_server, "own_edit", indicator=own.slug),
        scene.url(live_server, "own_delete", indicator=own.slug),
    ]
    login(page, live_server, scene.editor)
    for language in LANGUAGES:
        use_language(page, live_server, language)
        for url in public + managing:
            page.goto(url)
            expect(page.locator("h1")).to_be_visible()
            assert_accessible(page)


def test_an_editor_imports_a_file_by_keyboard(page: Page, live_server, scene, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(f"indicator;period;value\n{GHG_CODE};2024;lots\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(f"\ufeffindicator;period;value\n{GHG_CODE};2024;3,1\n", encoding="utf-8")
    login(page, live_server, scene.editor)

    page.goto(scene.url(live_server, "import"))
    page.locator("#id_file").set_input_files(str(bad))
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("“lots” is not a number")).to_be_visible()
    assert_accessible(page)

    page.goto(scene.url(live_server, "import"))
    page.locator("#id_file").set_input_files(str(good))
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Nothing is saved until you confirm")).to_be_visible()
    assert not Observation.objects.filter(period__year=2024).exists()
    page.get_by_role("button", name="Confirm the import").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Imported: 1 new observations")).to_be_visible()
    assert Observation.objects.get(period__year=2024).value == 3.1


def test_comparison_works_without_javascript(no_js_page: Page, live_server, scene):
    no_js_page.goto(live_server.url + reverse("indicator_catalogue:compare"))
    no_js_page.get_by_label("Fjordvik").check()
    no_js_page.get_by_label("Elvdal").check()
    no_js_page.get_by_role("button", name="Compare").click()
    expect(no_js_page.get_by_role("heading", name="By dimension")).to_be_visible()
    expect(no_js_page.locator("figure svg:visible")).to_have_count(1)  # wide or narrow drawing
    expect(no_js_page.get_by_role("cell", name="3.4 (2023)").first).to_be_visible()

"""The import report of a statistics-office export and a file of KS notations, and the national
concepts on an indicator page, in a real browser: axe in both languages, at 390 px, by keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from roadmap.indicators import services
from tests.browser.conftest import (
    LANGUAGES,
    assert_accessible,
    load_reference_data,
    login,
    use_language,
)

pytestmark = pytest.mark.browser

SSB = (
    '"region";"år";"statistikkvariabel";"12210: Kommunefakta, etter region, år og variabel"\n'
    '"4699 Fjordvik";"2024";"Arbeidsledighet";1,9\n'
    '"4699 Fjordvik";"2024";"Valgdeltakelse";..\n'
    '"0301 Oslo";"2024";"Arbeidsledighet";2,5\n'
)
KS = "indikator;periode;verdi\nSC: EH: H: 6A;2024;64\nEN: EN: AQ: 1C - pm_2.5;2024;5,7\n"


@pytest.fixture
def batches(transactional_db, municipality, editor):
    load_reference_data()
    municipality.region_code = "4699"
    municipality.save()
    return [
        services.preview_import(
            actor=editor, municipality=municipality, filename=name, data=text.encode()
        )
        for name, text in (("ssb.csv", SSB), ("ks.csv", KS))
    ]


def report_url(live_server, batch) -> str:
    return live_server.url + reverse(
        "indicators:import_batch",
        kwargs={"municipality": batch.municipality.slug, "pk": batch.pk},
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_import_reports_and_the_concepts_pass_axe_in_every_language(
    page: Page, live_server, batches, editor, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, editor)
    ssb, ks = batches
    indicator_url = live_server.url + reverse(
        "indicators:indicator",
        kwargs={"municipality": ssb.municipality.slug, "indicator": "en-en-aq-1c"},
    )
    for language in LANGUAGES:
        use_language(page, live_server, language)
        for url in (report_url(live_server, ssb), report_url(live_server, ks), indicator_url):
            page.goto(url)
            expect(page.locator("h1")).to_be_visible()
            assert_accessible(page)
            # The tables scroll inside their own box, never widening the page.
            widest = page.evaluate(
                "Math.max(0, ...[...document.querySelectorAll('main .table-scroll')]"
                ".map(box => box.getBoundingClientRect().right))"
            )
            assert widest <= width, url


def test_the_report_says_what_was_mapped_and_is_confirmed_by_keyboard(
    page: Page, live_server, batches, editor
):
    login(page, live_server, editor)
    ssb, ks = batches
    page.goto(report_url(live_server, ssb))
    expect(page.get_by_text("1 row for another region was ignored (0301 Oslo).")).to_be_visible()
    expect(page.get_by_role("row", name="Arbeidsledighet EC: P: EM: 1C")).to_be_visible()
    expect(page.get_by_role("cell", name="the figure is not available")).to_be_visible()
    page.goto(report_url(live_server, ks))
    expect(page.get_by_role("row", name="SC: EH: H: 6A SC: EH: ED: 5A")).to_be_visible()
    page.get_by_role("button", name="Confirm the import").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Imported: 2 new observations, 0 updated, 0 unchanged.")
    ).to_be_visible()
    expect(
        page.get_by_role("row", name="EN: EN: AQ: 1C - pm_2.5 EN: EN: AQ: 1C · PM2.5")
    ).to_be_visible()

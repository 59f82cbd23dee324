"""Printable summary, CSV exports, the account's data export and deletion, and the demo."""

import datetime

import pytest
from django.utils import timezone

from roadmap.accounts.privacy import DELETED_PARTICIPANT, delete_account, export_user_data
from roadmap.demo.build import build_demo
from roadmap.participation.models import Visibility
from roadmap.workshops.demo import PROCESS_SLUG
from roadmap.workshops.models import Note, NoteVote, Theme, Workshop
from tests.factories import UserFactory
from tests.spreadsheets import csv_table, xlsx_records
from tests.workshops.factories import NoteFactory, NoteVoteFactory, ThemeFactory, workshop_url

pytestmark = pytest.mark.django_db


def test_notes_csv_has_visible_notes_with_formulas_neutralised(client, phase, prompt):
    theme = ThemeFactory(prompt=prompt, name="=HYPERLINK(1)")
    NoteFactory(prompt=prompt, text="=cmd|' /C calc'!A0", theme=theme, language="nb")
    NoteFactory(prompt=prompt, text="@SUM(1)")
    NoteFactory(prompt=prompt, text="Secret spam", visibility=Visibility.HIDDEN)

    response = client.get(workshop_url("export_notes", phase))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"harbour-workshop-{phase.pk}-notes.csv" in response["Content-Disposition"]
    rows = csv_table(response)
    assert rows[0] == ["Prompt", "Note", "Language", "Theme", "+1s", "Posted"]
    assert [row[1] for row in rows[1:]] == ["'=cmd|' /C calc'!A0", "'@SUM(1)"]
    assert rows[1][2:5] == ["nb", "'=HYPERLINK(1)", "0"]


def test_themes_csv_counts_visible_notes_and_plus_ones(client, phase, prompt):
    theme = ThemeFactory(prompt=prompt, name="Mobility")
    NoteVoteFactory(note=NoteFactory(prompt=prompt, theme=theme))
    NoteVoteFactory.create_batch(2, note=NoteFactory(prompt=prompt, theme=theme))
    NoteFactory(prompt=prompt, theme=theme, visibility=Visibility.HIDDEN)

    rows = csv_table(client.get(workshop_url("export_themes", phase)))

    assert rows == [
        ["Prompt", "Theme", "Notes", "+1s"],
        ["What should we take along?", "Mobility", "2", "3"],
    ]


def test_summary_lists_themes_biggest_first_with_their_most_plus_oned_notes(
    client, phase, prompt, django_assert_max_num_queries
):
    small, big = ThemeFactory(prompt=prompt, name="Small"), ThemeFactory(prompt=prompt, name="Big")
    NoteFactory(prompt=prompt, theme=small, text="lonely note")
    popular = NoteFactory(prompt=prompt, theme=big, text="popular note")
    NoteVoteFactory.create_batch(3, note=popular)
    NoteFactory.create_batch(6, prompt=prompt, theme=big)
    NoteFactory(prompt=prompt, text="unthemed note")

    with django_assert_max_num_queries(12):
        page = client.get(workshop_url("summary", phase)).content.decode()

    assert page.index(">Big<") < page.index(">Small<")
    assert page.index("popular note") < page.index("lonely note")
    assert "7 notes, 3 +1 in all" in page
    assert "Notes without a theme" in page and "unthemed note" in page
    assert "workshops/print.css" in page and 'media="print"' in page
    assert page.count("More benches by the harbour") == 4  # only the top five of "Big"
    assert "7 notes, 3 +1 in all · the 5 most +1'd are listed here" in page


def test_summary_says_which_notes_without_a_theme_it_lists(client, phase, prompt):
    NoteFactory.create_batch(13, prompt=prompt, text="unthemed note")

    page = client.get(workshop_url("summary", phase)).content.decode()

    section = page[page.index("Notes without a theme") :]
    assert "13 notes · the 5 most +1'd are listed here; every note is in the downloads" in (section)
    assert section.count("unthemed note") == 5


def test_account_export_includes_notes_and_plus_ones(prompt):
    user = UserFactory()
    note = NoteFactory(prompt=prompt, author=user, text="Keep the ferry")
    NoteVoteFactory(user=user, note=NoteFactory(prompt=prompt))

    data = export_user_data(user=user)

    assert [(n["id"], n["text"], n["prompt"]) for n in data["workshop_notes"]] == [
        (note.pk, "Keep the ferry", "What should we take along?")
    ]
    assert len(data["workshop_plus_ones"]) == 1


def test_deleting_an_account_keeps_notes_without_name_and_withdraws_plus_ones(
    client, phase, prompt
):
    user = UserFactory(username="kari", display_name="Kari Nordmann")
    note = NoteFactory(prompt=prompt, author=user, text="Kari Nordmann wants the ferry kept")
    other = NoteFactory(prompt=prompt)
    NoteVoteFactory(user=user, note=other)
    before = Workshop.objects.get(pk=prompt.workshop_id).version

    delete_account(user=user)

    note.refresh_from_db()
    other.refresh_from_db()
    assert note.author is None and note.text == f"{DELETED_PARTICIPANT} wants the ferry kept"
    assert other.vote_count == 0 and not NoteVote.objects.exists()
    assert Workshop.objects.get(pk=prompt.workshop_id).version > before
    page = client.get(workshop_url("board", phase)).content.decode()
    assert "By a deleted participant" in page and "Kari" not in page


def fingerprint():
    return (
        list(
            Note.objects.order_by("prompt__order", "text").values_list(
                "prompt__text", "language", "text", "author__username", "theme__name", "vote_count"
            )
        ),
        sorted(Theme.objects.values_list("name", flat=True)),
    )


def test_demo_builds_a_workshop_the_same_way_twice():
    build_demo(today=datetime.date(2026, 6, 15))
    first = fingerprint()
    build_demo(reset=True, today=datetime.date(2026, 6, 15))

    assert fingerprint() == first
    notes, themes = first
    assert {prompt for prompt, *_ in notes} == {
        "What should we take along?",
        "What should we leave behind?",
    }
    assert len(notes) >= 24 and len({language for _p, language, *_ in notes}) >= 5
    workshop = Workshop.objects.select_related("phase").get(phase__process__slug=PROCESS_SLUG)
    assert themes and workshop.phase.anonymous_notes and workshop.prompts.count() == 2
    # Vote counts equal the rows, so +1s through the service stay consistent.
    for note in Note.objects.all():
        assert note.vote_count == note.votes.count()


def test_notes_xlsx_has_counts_as_numbers_times_as_dates_and_formulas_as_text(
    client, phase, prompt
):
    theme = ThemeFactory(prompt=prompt, name="Mobility")
    note = NoteFactory(prompt=prompt, text="=cmd|' /C calc'!A0", theme=theme)
    NoteVoteFactory.create_batch(2, note=note)
    NoteFactory(prompt=prompt, text="Secret spam", visibility=Visibility.HIDDEN)

    response = client.get(workshop_url("export_notes_xlsx", phase))

    assert f"harbour-workshop-{phase.pk}-notes.xlsx" in response["Content-Disposition"]
    (record,) = xlsx_records(response)
    assert list(record) == ["Prompt", "Note", "Language", "Theme", "+1s", "Posted"]
    assert (record["Note"].value, record["Note"].data_type) == ("=cmd|' /C calc'!A0", "s")
    assert isinstance(record["+1s"].value, int) and record["+1s"].value == 2
    assert record["Posted"].is_date
    # Oslo time, to the millisecond a workbook keeps.
    posted = timezone.make_naive(note.created_at)
    assert abs(record["Posted"].value - posted) < datetime.timedelta(milliseconds=1)


def test_themes_xlsx_counts_visible_notes_and_plus_ones(client, phase, prompt):
    theme = ThemeFactory(prompt=prompt, name="Mobility")
    NoteVoteFactory.create_batch(3, note=NoteFactory(prompt=prompt, theme=theme))
    NoteFactory(prompt=prompt, theme=theme, visibility=Visibility.HIDDEN)

    (record,) = xlsx_records(client.get(workshop_url("export_themes_xlsx", phase)))

    assert {title: cell.value for title, cell in record.items()} == {
        "Prompt": "What should we take along?",
        "Theme": "Mobility",
        "Notes": 1,
        "+1s": 3,
    }


def test_notes_csv_under_norwegian_uses_semicolons(client, phase, prompt, settings):
    NoteFactory(prompt=prompt, text="Ferje; kveld", language="nb")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"

    header, row = csv_table(client.get(workshop_url("export_notes", phase)), delimiter=";")

    assert len(header) == 6
    assert row[1:3] == ["Ferje; kveld", "nb"]
    assert row[4] == "0"


@pytest.mark.parametrize(
    "name", ["export_notes", "export_notes_xlsx", "export_themes", "export_themes_xlsx"]
)
def test_exports_of_a_draft_process_are_for_members_only(
    client, phase, prompt, outsider, editor, name
):
    phase.process.is_published = False
    phase.process.save()
    client.force_login(outsider)
    assert client.get(workshop_url(name, phase)).status_code == 404
    client.force_login(editor)
    assert client.get(workshop_url(name, phase)).status_code == 200


def test_board_and_summary_offer_xlsx_beside_the_csv(client, phase, prompt):
    for page in ("board", "summary"):
        html = client.get(workshop_url(page, phase)).content.decode()
        assert workshop_url("export_notes_xlsx", phase) in html
        assert workshop_url("export_themes_xlsx", phase) in html
        assert "CSV with commas and decimal points" in html

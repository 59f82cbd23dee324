"""Facilitators group notes into themes, merge and rename them; synthesis suggestions."""

import pytest

from roadmap.core.models import AuditEvent
from roadmap.participation.models import Visibility
from roadmap.workshops import services
from roadmap.workshops.models import Note, SuggestedTheme, Synthesis, Theme, Workshop
from tests.workshops.factories import NoteFactory, PromptFactory, ThemeFactory, workshop_url

pytestmark = pytest.mark.django_db


def theming(client, phase, prompt, **data):
    return client.post(workshop_url("theming", phase, prompt=prompt.pk), data)


def themes_of(*notes) -> list:
    return list(
        Note.objects.filter(pk__in=[n.pk for n in notes])
        .order_by("pk")
        .values_list("theme__name", flat=True)
    )


def test_editor_puts_selected_notes_in_a_new_theme_then_an_existing_one(
    client, phase, prompt, editor
):
    first, second, third = NoteFactory.create_batch(3, prompt=prompt)
    client.force_login(editor)
    before = Workshop.objects.get(pk=prompt.workshop_id).version

    response = theming(
        client, phase, prompt, notes=[first.pk, second.pk], new_theme="Mobility", action="assign"
    )
    theme = Theme.objects.get()
    again = theming(client, phase, prompt, notes=[third.pk], theme=theme.pk, action="assign")

    assert response.status_code == 302 and again.status_code == 302
    assert themes_of(first, second, third) == ["Mobility"] * 3
    assert Workshop.objects.get(pk=prompt.workshop_id).version == before + 2
    assert AuditEvent.objects.filter(
        actor=editor, action="create", object_id=str(theme.pk)
    ).exists()


def test_new_theme_with_an_existing_name_in_other_case_reuses_it(client, phase, prompt, editor):
    theme = ThemeFactory(prompt=prompt, name="Mobility")
    note = NoteFactory(prompt=prompt)
    client.force_login(editor)

    theming(client, phase, prompt, notes=[note.pk], new_theme="  mobility ", action="assign")

    assert list(Theme.objects.all()) == [theme]
    assert themes_of(note) == ["Mobility"]


def test_notes_can_leave_their_theme(client, phase, prompt, editor):
    theme = ThemeFactory(prompt=prompt)
    note = NoteFactory(prompt=prompt, theme=theme)
    client.force_login(editor)

    theming(client, phase, prompt, notes=[note.pk], action="unassign")

    assert themes_of(note) == [None]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_theme": "Mobility", "action": "assign"}, "Select at least one note."),
        ({"notes": ["NOTE"], "action": "assign"}, "Choose an existing theme or write a new theme"),
        ({"notes": ["NOTE"], "new_theme": "A", "theme": "THEME", "action": "assign"}, "not both"),
        (
            {"notes": ["OTHER"], "new_theme": "Mobility", "action": "assign"},
            "is not one of the available",
        ),
    ],
)
def test_bad_theming_is_refused_and_changes_nothing(client, phase, prompt, editor, data, message):
    theme = ThemeFactory(prompt=prompt, name="Existing")
    note = NoteFactory(prompt=prompt)
    other = NoteFactory()  # a note of another workshop
    replace = {"NOTE": note.pk, "OTHER": other.pk, "THEME": theme.pk}
    data = {
        key: [replace[v] for v in value] if isinstance(value, list) else replace.get(value, value)
        for key, value in data.items()
    }
    client.force_login(editor)

    response = theming(client, phase, prompt, **data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Theme.objects.values_list("name", flat=True)) == ["Existing"]
    assert themes_of(note, other) == [None, None]


def test_theme_of_another_prompt_is_refused_by_the_service(prompt, editor):
    note = NoteFactory(prompt=prompt)
    foreign = ThemeFactory(prompt=PromptFactory(workshop=prompt.workshop))
    with pytest.raises(services.Refused, match="another prompt"):
        services.assign_theme(actor=editor, prompt=prompt, note_ids=[note.pk], theme=foreign)


def test_hidden_notes_cannot_be_themed(prompt, editor):
    hidden = NoteFactory(prompt=prompt, visibility=Visibility.HIDDEN)
    with pytest.raises(services.Refused, match="not visible notes"):
        services.assign_theme(actor=editor, prompt=prompt, note_ids=[hidden.pk], new_name="X")


def test_participants_and_outsiders_cannot_theme(client, phase, prompt, participant, outsider):
    note = NoteFactory(prompt=prompt)
    theme = ThemeFactory(prompt=prompt, name="Keep")
    for user in (participant, outsider):
        client.force_login(user)
        assert (
            theming(
                client, phase, prompt, notes=[note.pk], new_theme="X", action="assign"
            ).status_code
            == 403
        )
        rename = client.post(
            workshop_url("rename", phase, prompt=prompt.pk, pk=theme.pk),
            {f"theme-{theme.pk}-name": "Y"},
        )
        assert rename.status_code == 403
        page = client.get(workshop_url("prompt", phase, prompt=prompt.pk)).content.decode()
        assert 'name="notes"' not in page
    with pytest.raises(services.Refused):
        services.assign_theme(actor=outsider, prompt=prompt, note_ids=[note.pk], new_name="X")
    assert themes_of(note) == [None]
    assert list(Theme.objects.values_list("name", flat=True)) == ["Keep"]


def test_rename_and_refuse_a_clash(client, phase, prompt, editor):
    theme = ThemeFactory(prompt=prompt, name="Bikes")
    ThemeFactory(prompt=prompt, name="Trees")
    client.force_login(editor)
    rename_url = workshop_url("rename", phase, prompt=prompt.pk, pk=theme.pk)

    client.post(rename_url, {f"theme-{theme.pk}-name": "Cycling"})
    clash = client.post(rename_url, {f"theme-{theme.pk}-name": "trees"}, follow=True)

    assert "already has a theme called “Trees”" in clash.content.decode()
    assert sorted(Theme.objects.values_list("name", flat=True)) == ["Cycling", "Trees"]
    assert AuditEvent.objects.get(object_id=str(theme.pk), action="update").changes == {
        "name": ["Bikes", "Cycling"]
    }


def test_merge_moves_notes_keeps_one_theme_and_refuses_one_theme(client, phase, prompt, editor):
    bikes, cycling, trees = (
        ThemeFactory(prompt=prompt, name=name) for name in ("Bikes", "Cycling", "Trees")
    )
    notes = [NoteFactory(prompt=prompt, theme=theme) for theme in (bikes, cycling, trees)]
    client.force_login(editor)
    merge_url = workshop_url("merge", phase, prompt=prompt.pk)

    alone = client.post(merge_url, {"themes": [bikes.pk], "name": "Cycling"})
    merged = client.post(merge_url, {"themes": [bikes.pk, cycling.pk], "name": "Cycling"})

    assert alone.status_code == 400 and "at least two themes" in alone.content.decode()
    assert merged.status_code == 302
    assert sorted(Theme.objects.values_list("name", flat=True)) == ["Cycling", "Trees"]
    assert themes_of(*notes) == ["Cycling", "Cycling", "Trees"]
    assert Theme.objects.get(name="Cycling").pk == cycling.pk


def test_prompt_page_query_count_does_not_grow(
    client, phase, prompt, editor, django_assert_max_num_queries
):
    client.force_login(editor)

    def fill(count):
        for theme in ThemeFactory.create_batch(2, prompt=prompt):
            NoteFactory.create_batch(count, prompt=prompt, theme=theme)

    fill(1)
    with django_assert_max_num_queries(25) as small:
        client.get(workshop_url("prompt", phase, prompt=prompt.pk))
    fill(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(workshop_url("prompt", phase, prompt=prompt.pk))
    assert response.content.decode().count('name="notes"') == 42


# --- synthesis and suggestions ----------------------------------------------------------------

GROUPS = {
    "cycling": [
        "Safe bike lanes to school",
        "Bike lanes along the harbour",
        "Winter clearing of bike lanes",
    ],
    "greenery": [
        "More trees in the park",
        "Plant trees for shade in the park",
        "A park with old trees",
    ],
}


@pytest.fixture
def grouped_notes(prompt):
    return {
        group: [NoteFactory(prompt=prompt, text=text) for text in texts]
        for group, texts in GROUPS.items()
    }


def recompute(client, phase, prompt):
    return client.post(workshop_url("recompute", phase, prompt=prompt.pk))


def test_recompute_stores_terms_phrases_and_suggestions(
    client, phase, prompt, editor, grouped_notes
):
    client.force_login(editor)

    assert recompute(client, phase, prompt).status_code == 302

    stored = Synthesis.objects.get(prompt=prompt)
    assert stored.note_count == 6
    assert ["bike", 3] in stored.terms and ["trees", 3] in stored.terms
    assert ["bike lanes", 3] in stored.phrases
    suggestions = {frozenset(s.note_ids) for s in SuggestedTheme.objects.filter(status="open")}
    assert suggestions == {frozenset(n.pk for n in notes) for notes in grouped_notes.values()}
    page = client.get(workshop_url("synthesis", phase, prompt=prompt.pk)).content.decode()
    assert "Most used words" in page and "<svg" in page and "Data table" in page


def test_accept_with_an_edited_name_creates_the_theme_with_its_notes(
    client, phase, prompt, editor, grouped_notes
):
    client.force_login(editor)
    recompute(client, phase, prompt)
    cyclist = grouped_notes["cycling"][0].pk
    suggestion = next(s for s in SuggestedTheme.objects.all() if cyclist in s.note_ids)
    prefix = f"suggestion-{suggestion.pk}"

    response = client.post(
        workshop_url("suggestion", phase, prompt=prompt.pk, pk=suggestion.pk),
        {f"{prefix}-name": "Cycling", f"{prefix}-decision": "accept"},
    )

    assert response.status_code == 302
    assert themes_of(*grouped_notes["cycling"]) == ["Cycling"] * 3
    assert themes_of(*grouped_notes["greenery"]) == [None] * 3
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted"


def test_accept_without_a_name_is_refused(client, phase, prompt, editor, grouped_notes):
    client.force_login(editor)
    recompute(client, phase, prompt)
    suggestion = SuggestedTheme.objects.first()
    prefix = f"suggestion-{suggestion.pk}"

    response = client.post(
        workshop_url("suggestion", phase, prompt=prompt.pk, pk=suggestion.pk),
        {f"{prefix}-name": " ", f"{prefix}-decision": "accept"},
    )

    assert response.status_code == 400 and "Give the theme a name." in response.content.decode()
    assert not Theme.objects.exists()


def test_rejected_suggestion_does_not_come_back(client, phase, prompt, editor, grouped_notes):
    client.force_login(editor)
    recompute(client, phase, prompt)
    rejected = SuggestedTheme.objects.first()
    prefix = f"suggestion-{rejected.pk}"
    client.post(
        workshop_url("suggestion", phase, prompt=prompt.pk, pk=rejected.pk),
        {f"{prefix}-decision": "reject"},
    )

    recompute(client, phase, prompt)

    open_signatures = list(
        SuggestedTheme.objects.filter(status="open").values_list("signature", flat=True)
    )
    assert rejected.signature not in open_signatures and len(open_signatures) == 1
    assert SuggestedTheme.objects.get(pk=rejected.pk).status == "rejected"


def test_themed_notes_are_not_suggested_again(prompt, editor, grouped_notes):
    services.assign_theme(
        actor=editor,
        prompt=prompt,
        note_ids=[n.pk for n in grouped_notes["cycling"]],
        new_name="Cycling",
    )
    services.recompute_synthesis(actor=editor, prompt=prompt)
    cycling = {n.pk for n in grouped_notes["cycling"]}
    assert all(not cycling & set(s.note_ids) for s in SuggestedTheme.objects.all())


def test_participants_see_the_synthesis_but_cannot_decide_or_recompute(
    client, phase, prompt, editor, participant, grouped_notes
):
    services.recompute_synthesis(actor=editor, prompt=prompt)
    suggestion = SuggestedTheme.objects.first()
    client.force_login(participant)

    page = client.get(workshop_url("synthesis", phase, prompt=prompt.pk)).content.decode()
    decide = client.post(
        workshop_url("suggestion", phase, prompt=prompt.pk, pk=suggestion.pk),
        {f"suggestion-{suggestion.pk}-decision": "reject"},
    )

    assert "Most used words" in page and "suggestions-heading" not in page
    assert recompute(client, phase, prompt).status_code == 403 and decide.status_code == 403
    assert SuggestedTheme.objects.get(pk=suggestion.pk).status == "open"

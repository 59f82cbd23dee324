"""Principle-based assessments: services, pages, permissions, the panel and the CSV export."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.core.models import AuditEvent
from roadmap.framework.models import GuidingQuestion, MaturityLevel, Principle
from roadmap.initiatives.assessments import services
from roadmap.initiatives.assessments.selectors import assessment_panel
from roadmap.initiatives.models import Assessment, Rating
from tests.conftest import member
from tests.factories import (
    AssessmentFactory,
    FinalAssessmentFactory,
    InitiativeFactory,
)
from tests.spreadsheets import csv_table, xlsx_records

# The service judges "future" in the site's time zone, so the tests do too.
TODAY = timezone.localdate


EXPORT_HEADER = [
    "initiative id",
    "initiative title",
    "assessment id",
    "assessment date",
    "status",
    "principle code",
    "principle name",
    "level",
    "evidence",
    "links",
]


def make_principle(code, *, municipality=None, order=0, questions=2):
    """A principle with a full 0–4 scale ("<code> at level N") and some guiding questions."""
    principle = Principle.objects.create(
        municipality=municipality,
        code=code,
        name=f"Principle {code}",
        summary=f"What {code} is about.",
        source="local" if municipality else "derived",
        order=order,
    )
    MaturityLevel.objects.bulk_create(
        MaturityLevel(principle=principle, level=level, descriptor=f"{code} at level {level}")
        for level in range(5)
    )
    GuidingQuestion.objects.bulk_create(
        GuidingQuestion(principle=principle, text=f"{code} question {n}?", order=n)
        for n in range(questions)
    )
    return principle


def final_assessment(initiative, levels, *, on, principles):
    """A final assessment with the given levels, made the latest as the service would."""
    assessment = FinalAssessmentFactory(initiative=initiative, assessed_on=on)
    Rating.objects.bulk_create(
        Rating(assessment=assessment, principle=p, level=level)
        for p, level in zip(principles, levels, strict=True)
    )
    services._move_latest_flag(initiative.pk)
    return assessment


@pytest.fixture
def principles(municipality):
    return [make_principle(f"p{n}", municipality=municipality, order=n) for n in range(3)]


@pytest.fixture
def initiative(municipality, principles):
    return InitiativeFactory(municipality=municipality, principles=principles, visibility="public")


@pytest.fixture
def internal_initiative(municipality, principles):
    return InitiativeFactory(
        municipality=municipality, principles=principles, visibility="internal"
    )


@pytest.fixture
def other_assessor(other_municipality):
    return member(other_municipality, "assessor")


def url(name, initiative, slug=None, **kwargs):
    return reverse(
        f"initiatives:{name}",
        kwargs={
            "municipality": slug or initiative.municipality.slug,
            "pk": initiative.pk,
            **kwargs,
        },
    )


def assessment_url(name, assessment, slug=None):
    return url(name, assessment.initiative, slug=slug, assessment_pk=assessment.pk)


def form_data(principles, levels, *, on=None, **extra):
    data = {"assessed_on": (on or TODAY()).isoformat(), "summary": "Looked at the pilot."}
    for principle, level in zip(principles, levels, strict=True):
        data[f"level_{principle.pk}"] = "" if level is None else str(level)
        data[f"evidence_{principle.pk}"] = ""
        data[f"links_{principle.pk}"] = ""
    data.update(extra)
    return data


def draft_with(initiative, principles, levels, **kwargs):
    return services.create_assessment(
        actor=None,
        initiative=initiative,
        assessed_on=kwargs.pop("on", TODAY()),
        ratings=[
            services.RatingInput(principle=p, level=level)
            for p, level in zip(principles, levels, strict=True)
            if level is not None
        ],
        **kwargs,
    )


# --- Creating and editing drafts --------------------------------------------------------------


def test_form_has_a_fieldset_per_principle_with_level_descriptors(client, assessor, initiative):
    client.force_login(assessor)
    response = client.get(url("assessment_create", initiative))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<fieldset") == 3
    assert '<legend class="ds-label">Principle p1</legend>' in html
    assert "2 – p1 at level 2" in html
    assert "Not rated" in html
    assert "p1 question 0?" in html


def test_without_own_principles_all_municipal_principles_apply(client, assessor, municipality):
    local = make_principle("local-only", municipality=municipality)
    initiative = InitiativeFactory(municipality=municipality)
    client.force_login(assessor)
    html = client.get(url("assessment_create", initiative)).content.decode()
    shared = Principle.objects.filter(municipality__isnull=True)
    assert shared.exists()
    for principle in [*shared, local]:
        assert f'name="level_{principle.pk}"' in html


def test_assessor_creates_a_draft(client, assessor, initiative, principles):
    client.force_login(assessor)
    data = form_data(principles, [1, None, 3])
    data[f"evidence_{principles[0].pk}"] = "Survey of 40 residents."
    data[f"links_{principles[0].pk}"] = "https://example.org/report\n\n  http://example.org/b  "
    response = client.post(url("assessment_create", initiative), data)

    assessment = Assessment.objects.get(initiative=initiative)
    assert response.status_code == 302
    assert response["Location"] == assessment_url("assessment_detail", assessment)
    assert assessment.status == "draft"
    assert assessment.assessor == assessor
    assert assessment.municipality == initiative.municipality
    assert not assessment.is_latest
    levels = dict(assessment.ratings.values_list("principle__code", "level"))
    assert levels == {"p0": 1, "p2": 3}
    first = assessment.ratings.get(principle=principles[0])
    assert first.evidence == "Survey of 40 residents."
    assert first.links == "https://example.org/report\nhttp://example.org/b"
    event = AuditEvent.objects.get(object_id=str(assessment.pk), action="create")
    assert event.actor == assessor
    assert event.subject_id == str(initiative.pk)
    assert event.changes["level: p0"] == 1


def test_administrator_may_assess_too(client, administrator, initiative, principles):
    client.force_login(administrator)
    response = client.post(url("assessment_create", initiative), form_data(principles, [0, 1, 2]))
    assert response.status_code == 302
    assert Assessment.objects.filter(initiative=initiative).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"level": "7"}, "Choose a level from 0 to 4"),
        ({"links": "https://example.org/ok\njavascript:alert(1)"}, "Line 2 is not a web address"),
        ({"links": "example.org/no-scheme"}, "Line 1 is not a web address"),
        ({"on": TODAY() + datetime.timedelta(days=1)}, "cannot be in the future"),
        ({"level": "", "evidence": "Notes without a level"}, "Choose a level to keep the evidence"),
        ({"assessed_on": "31.02.2024"}, "Enter a valid date"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client, assessor, initiative, principles, change, message
):
    client.force_login(assessor)
    target = principles[1].pk
    data = form_data(principles, [1, 2, 3], on=change.get("on"))
    if "level" in change:
        data[f"level_{target}"] = change["level"]
    if "evidence" in change:
        data[f"evidence_{target}"] = change["evidence"]
    if "links" in change:
        data[f"links_{target}"] = change["links"]
    if "assessed_on" in change:
        data["assessed_on"] = change["assessed_on"]

    response = client.post(url("assessment_create", initiative), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "ds-error-summary" in response.content.decode()
    assert not Assessment.objects.exists()
    assert not Rating.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_empty_submission_is_answered_with_errors(client, assessor, initiative):
    client.force_login(assessor)
    response = client.post(url("assessment_create", initiative), {})
    assert response.status_code == 200
    assert "Assessment date: This field is required." in response.content.decode()
    assert not Assessment.objects.exists()


def test_services_refuse_bad_input_themselves(initiative, principles, other_municipality):
    foreign = make_principle("foreign", municipality=other_municipality)
    cases = [
        ([services.RatingInput(principle=principles[0], level=7)], TODAY(), "from 0 to 4, not 7"),
        (
            [services.RatingInput(principle=principles[0], level=2, links="ftp://x.org")],
            TODAY(),
            "Line 1",
        ),
        ([services.RatingInput(principle=foreign, level=2)], TODAY(), "not a principle of this"),
        ([], TODAY() + datetime.timedelta(days=3), "future"),
    ]
    for ratings, on, message in cases:
        with pytest.raises(ValidationError) as error:
            services.create_assessment(
                actor=None, initiative=initiative, assessed_on=on, ratings=ratings
            )
        assert message in " ".join(error.value.messages)
    assert not Assessment.objects.exists()
    assert not Rating.objects.exists()


def test_assessor_edits_a_draft(client, assessor, initiative, principles):
    draft = draft_with(initiative, principles, [1, 1, None])
    client.force_login(assessor)
    page = client.get(assessment_url("assessment_edit", draft)).content.decode()
    checked = re.findall(r'<input type="radio" name="level_(\d+)" value="(\d?)"[^>]*checked', page)
    assert checked == [
        (str(principles[0].pk), "1"),
        (str(principles[1].pk), "1"),
        (str(principles[2].pk), ""),
    ]

    response = client.post(
        assessment_url("assessment_edit", draft),
        form_data(principles, [2, None, 4], on=datetime.date(2024, 5, 1)),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.assessed_on == datetime.date(2024, 5, 1)
    assert dict(draft.ratings.values_list("principle__code", "level")) == {"p0": 2, "p2": 4}
    event = AuditEvent.objects.get(object_id=str(draft.pk), action="update")
    assert event.changes["level: p0"] == [1, 2]
    assert event.changes["level: p1"] == [1, None]


def test_edit_keeps_ratings_of_principles_no_longer_listed(
    client, assessor, initiative, principles
):
    draft = draft_with(initiative, principles, [1, 2, 3])
    initiative.principles.remove(principles[2])
    client.force_login(assessor)
    page = client.get(assessment_url("assessment_edit", draft)).content.decode()
    assert f'name="level_{principles[2].pk}"' in page


# --- Finalising -------------------------------------------------------------------------------


def test_finalise_needs_every_principle_rated(client, assessor, initiative, principles):
    draft = draft_with(initiative, principles, [1, None, 3])
    client.force_login(assessor)
    response = client.post(assessment_url("assessment_finalise", draft), follow=True)
    assert "Not rated yet: Principle p1" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert draft.finalised_at is None


def test_finalise_makes_it_final_latest_and_read_only(client, assessor, initiative, principles):
    draft = draft_with(initiative, principles, [1, 2, 3])
    client.force_login(assessor)
    response = client.post(assessment_url("assessment_finalise", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "final"
    assert draft.finalised_at is not None
    assert draft.is_latest
    assert AuditEvent.objects.filter(
        object_id=str(draft.pk), action="update", changes__status=["draft", "final"]
    ).exists()

    # Read-only afterwards: edit page refuses, posting changes nothing, deleting is refused.
    edit = client.get(assessment_url("assessment_edit", draft), follow=True)
    assert "can no longer be changed" in edit.content.decode()
    client.post(assessment_url("assessment_edit", draft), form_data(principles, [0, 0, 0]))
    client.post(assessment_url("assessment_delete", draft))
    client.post(assessment_url("assessment_finalise", draft))
    draft.refresh_from_db()
    assert sorted(draft.ratings.values_list("level", flat=True)) == [1, 2, 3]
    assert Assessment.objects.filter(pk=draft.pk).exists()
    with pytest.raises(ValidationError):
        services.update_assessment(actor=None, assessment=draft, assessed_on=TODAY())
    with pytest.raises(ValidationError):
        services.delete_draft_assessment(actor=None, assessment=draft)
    with pytest.raises(ValidationError):
        services.finalise_assessment(actor=None, assessment=draft)


def test_finalise_asks_for_confirmation_first(client, assessor, initiative, principles):
    draft = draft_with(initiative, principles, [1, 2, 3])
    client.force_login(assessor)
    detail = client.get(assessment_url("assessment_detail", draft)).content.decode()
    confirm_url = assessment_url("assessment_finalise", draft)
    assert f'href="{confirm_url}">Finalise assessment</a>' in detail

    response = client.get(confirm_url)

    page = response.content.decode()
    assert response.status_code == 200
    assert "with its ratings of 3 principles, becomes final." in page
    assert "can no longer be changed or deleted, and this cannot be undone" in page
    assert "Yes, finalise the assessment</button>" in page
    draft.refresh_from_db()
    assert draft.status == "draft"
    client.post(confirm_url)
    draft.refresh_from_db()
    assert draft.status == "final"


def test_the_confirmation_lists_what_is_still_unrated(client, assessor, initiative, principles):
    draft = draft_with(initiative, principles, [1, None, 3])
    client.force_login(assessor)
    page = client.get(assessment_url("assessment_finalise", draft)).content.decode()
    assert "Rate these principles before finalising:" in page
    assert "<li>Principle p1</li>" in page
    assert "Yes, finalise" not in page


def latest_ids(initiative):
    return list(
        Assessment.objects.filter(initiative=initiative, is_latest=True).values_list(
            "pk", flat=True
        )
    )


def test_latest_follows_the_newest_final_assessment(initiative, principles):
    def finalise(on):
        draft = draft_with(initiative, principles, [2, 2, 2], on=on)
        return services.finalise_assessment(actor=None, assessment=draft)

    january = finalise(datetime.date(2024, 1, 10))
    assert latest_ids(initiative) == [january.pk]

    june = finalise(datetime.date(2024, 6, 1))
    assert latest_ids(initiative) == [june.pk]

    # An older assessment finalised later does not take over.
    finalise(datetime.date(2023, 11, 5))
    assert latest_ids(initiative) == [june.pk]

    # A draft never becomes latest.
    draft_with(initiative, principles, [4, 4, 4], on=datetime.date(2024, 12, 1))
    assert latest_ids(initiative) == [june.pk]

    # Same date: the higher id wins.
    same_day = finalise(datetime.date(2024, 6, 1))
    assert latest_ids(initiative) == [same_day.pk]
    assert Assessment.objects.filter(initiative=initiative).count() == 5


def test_latest_is_per_initiative(municipality, principles, initiative):
    other = InitiativeFactory(municipality=municipality, principles=principles)
    first = services.finalise_assessment(
        actor=None, assessment=draft_with(initiative, principles, [1, 1, 1])
    )
    second = services.finalise_assessment(
        actor=None, assessment=draft_with(other, principles, [1, 1, 1])
    )
    assert latest_ids(initiative) == [first.pk]
    assert latest_ids(other) == [second.pk]


def test_database_allows_one_latest_per_initiative(initiative):
    FinalAssessmentFactory(initiative=initiative, is_latest=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        FinalAssessmentFactory(initiative=initiative, is_latest=True)


def test_database_refuses_a_latest_draft(initiative):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(initiative=initiative, is_latest=True)


# --- Deleting drafts --------------------------------------------------------------------------


def test_assessor_deletes_a_draft(client, assessor, initiative, principles):
    draft = draft_with(initiative, principles, [1, 2, None])
    client.force_login(assessor)
    confirm = client.get(assessment_url("assessment_delete", draft))
    assert confirm.status_code == 200
    response = client.post(assessment_url("assessment_delete", draft))
    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert not Rating.objects.filter(assessment_id=draft.pk).exists()
    event = AuditEvent.objects.get(object_id=str(draft.pk), action="delete")
    assert event.subject_id == str(initiative.pk)


# --- Who may do what --------------------------------------------------------------------------


def test_anonymous_writer_is_sent_to_sign_in(client, initiative, principles):
    draft = draft_with(initiative, principles, [1, 2, 3])
    for target in [
        url("assessment_create", initiative),
        assessment_url("assessment_edit", draft),
        assessment_url("assessment_delete", draft),
    ]:
        response = client.post(target, form_data(principles, [0, 0, 0]))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    client.post(assessment_url("assessment_finalise", draft))
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("who", ["editor", "participant", "outsider"])
def test_signed_in_without_assessor_role_gets_403(client, request, who, initiative, principles):
    draft = draft_with(initiative, principles, [1, 2, 3])
    client.force_login(request.getfixturevalue(who))
    assert client.get(url("assessment_create", initiative)).status_code == 403
    assert (
        client.post(
            url("assessment_create", initiative), form_data(principles, [0, 0, 0])
        ).status_code
        == 403
    )
    assert client.post(assessment_url("assessment_finalise", draft)).status_code == 403
    assert client.post(assessment_url("assessment_delete", draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert Assessment.objects.count() == 1


def test_other_municipality_assessor_guessing_ids_changes_nothing(
    client, other_assessor, other_municipality, initiative, internal_initiative, principles
):
    public_draft = draft_with(initiative, principles, [1, 2, 3])
    internal_draft = draft_with(internal_initiative, principles, [1, 2, 3])
    client.force_login(other_assessor)
    # Through their own municipality's address: the initiative is not there.
    for draft in (public_draft, internal_draft):
        for name in (
            "assessment_edit",
            "assessment_finalise",
            "assessment_delete",
            "assessment_detail",
        ):
            response = client.post(assessment_url(name, draft, slug=other_municipality.slug))
            assert response.status_code == 404, name
        assert (
            client.get(
                url("assessment_create", draft.initiative, slug=other_municipality.slug)
            ).status_code
            == 404
        )
    # Through the right address: no role there (public) or not visible at all (internal).
    assert client.post(assessment_url("assessment_finalise", public_draft)).status_code == 403
    assert client.post(assessment_url("assessment_finalise", internal_draft)).status_code == 404
    assert client.post(assessment_url("assessment_delete", internal_draft)).status_code == 404
    assert (
        client.post(
            url("assessment_create", internal_initiative), form_data(principles, [0, 0, 0])
        ).status_code
        == 404
    )
    assert Assessment.objects.filter(status="draft").count() == 2
    assert Assessment.objects.count() == 2


def test_drafts_are_for_members_only(client, initiative, principles, participant, editor):
    draft = draft_with(initiative, principles, [1, 2, 3])
    detail = assessment_url("assessment_detail", draft)
    assert client.get(detail).status_code == 404
    client.force_login(participant)
    assert client.get(detail).status_code == 404
    client.force_login(editor)
    assert client.get(detail).status_code == 200


def test_final_assessments_of_public_initiatives_are_public(client, initiative, principles):
    final = final_assessment(initiative, [1, 2, 3], on=TODAY(), principles=principles)
    response = client.get(assessment_url("assessment_detail", final))
    assert response.status_code == 200
    assert "p1 at level 2" in response.content.decode()


def test_everything_of_internal_initiatives_is_for_members_only(
    client, internal_initiative, principles, outsider, editor
):
    final = final_assessment(internal_initiative, [1, 2, 3], on=TODAY(), principles=principles)
    detail = assessment_url("assessment_detail", final)
    export = url("assessment_export", internal_initiative)
    assert client.get(detail).status_code == 404
    assert client.get(export).status_code == 404
    client.force_login(outsider)
    assert client.get(detail).status_code == 404
    assert client.get(export).status_code == 404
    client.force_login(editor)
    assert client.get(detail).status_code == 200


# --- The detail page --------------------------------------------------------------------------


def test_detail_shows_ratings_and_only_web_links_as_links(client, editor, initiative, principles):
    draft = draft_with(initiative, principles, [1, None, None])
    # Stored directly, as older data or the admin could: not every line is a web address.
    Rating.objects.filter(assessment=draft).update(
        evidence="<b>bold</b> claim",
        links="https://example.org/report?a=1&b=2\njavascript:alert(1)\nhttp://example.org/x",
    )
    client.force_login(editor)
    html = client.get(assessment_url("assessment_detail", draft)).content.decode()
    assert "p0 at level 1" in html
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in html
    assert 'href="https://example.org/report?a=1&amp;b=2" rel="noopener noreferrer"' in html
    assert 'href="http://example.org/x"' in html
    assert 'href="javascript' not in html
    assert "javascript:alert(1)" in html
    assert "Rate these principles before finalising" in html
    assert "Principle p2" in html


# --- The panel on the initiative page ---------------------------------------------------------


@pytest.fixture
def assessed(initiative, principles):
    """Two final assessments (levels before: 1, 3, 2; now: 2, 3, 1) and a newer draft."""
    before = final_assessment(
        initiative, [1, 3, 2], on=datetime.date(2024, 1, 15), principles=principles
    )
    now = final_assessment(
        initiative, [2, 3, 1], on=datetime.date(2024, 9, 1), principles=principles
    )
    draft_with(initiative, principles, [4, 4, 4], on=datetime.date(2024, 10, 1))
    return before, now


def test_panel_shows_change_and_gaps(assessed, initiative, principles, editor):
    before, now = assessed
    panel = assessment_panel(initiative, editor)
    assert panel["latest"] == now
    assert panel["previous"] == before
    assert len(panel["assessments"]) == 3
    assert [(c.principle.code, c.previous, c.latest, c.symbol) for c in panel["changes"]] == [
        ("p0", 1, 2, "↑"),
        ("p1", 3, 3, "="),
        ("p2", 2, 1, "↓"),
    ]
    assert [c.text for c in panel["changes"]] == ["up 1", "unchanged", "down 1"]
    assert [(g.principle.code, g.level, g.next_descriptor) for g in panel["gaps"]] == [
        ("p2", 1, "p2 at level 2"),
        ("p0", 2, "p0 at level 3"),
        ("p1", 3, "p1 at level 4"),
    ]
    assert panel["gaps"][0].questions == ["p2 question 0?", "p2 question 1?"]
    assert panel["chart"].rows == [["Principle p0", 2], ["Principle p1", 3], ["Principle p2", 1]]
    assert not panel["can_assess"]


def test_panel_leaves_top_levels_out_of_gaps(initiative, principles):
    final_assessment(initiative, [4, 0, 4], on=TODAY(), principles=principles)
    panel = assessment_panel(initiative, AnonymousUser())
    assert [gap.principle.code for gap in panel["gaps"]] == ["p1"]
    assert panel["changes"] == []


def test_panel_hides_drafts_from_the_public(assessed, initiative):
    panel = assessment_panel(initiative, AnonymousUser())
    assert [a.status for a in panel["assessments"]] == ["final", "final"]


def test_panel_renders_chart_changes_and_links(assessed, initiative, assessor):
    html = render_to_string(
        "initiatives/assessments/_panel.html",
        {"assessment_panel": assessment_panel(initiative, assessor)},
    )
    assert "<figure" in html and "<svg" in html
    assert "Principle p0" in html
    assert "up 1" in html and "down 1" in html and "unchanged" in html
    assert "p2 at level 2" in html
    assert url("assessment_create", initiative) in html
    assert url("assessment_export", initiative) in html
    for assessment in Assessment.objects.filter(initiative=initiative):
        assert assessment_url("assessment_detail", assessment) in html


def test_initiative_page_includes_the_panel(client, assessed, initiative):
    response = client.get(
        reverse("initiatives:detail", kwargs={"municipality": "fjordvik", "pk": initiative.pk})
    )
    assert response.status_code == 200
    assert "Assessment against the principles" in response.content.decode()


def _panel_queries(initiative, user_pk) -> int:
    user = User.objects.get(pk=user_pk)  # fresh object: roles are looked up again
    with CaptureQueriesContext(transaction.get_connection()) as context:
        panel = assessment_panel(initiative, user)
        render_to_string("initiatives/assessments/_panel.html", {"assessment_panel": panel})
    return len(context.captured_queries)


def test_panel_query_count_does_not_grow(municipality, editor):
    small_principles = [
        make_principle(f"s{n}", municipality=municipality, order=n) for n in range(2)
    ]
    small = InitiativeFactory(municipality=municipality, principles=small_principles)
    for day in (1, 2):
        final_assessment(small, [1, 2], on=datetime.date(2024, 1, day), principles=small_principles)

    many_principles = [
        make_principle(f"m{n}", municipality=municipality, order=n) for n in range(12)
    ]
    large = InitiativeFactory(municipality=municipality, principles=many_principles)
    for day in range(1, 29):
        final_assessment(
            large, [day % 5] * 12, on=datetime.date(2024, 2, day), principles=many_principles
        )
        AssessmentFactory(initiative=large, assessed_on=datetime.date(2024, 3, day))

    assert _panel_queries(small, editor.pk) == _panel_queries(large, editor.pk)


# --- CSV export -------------------------------------------------------------------------------


def read_csv(response):
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_initiative_csv_rows_and_formula_neutralising(client, editor, municipality, principles):
    initiative = InitiativeFactory(
        municipality=municipality, title="=SUM(A1:A9)", principles=principles
    )
    final = final_assessment(
        initiative, [1, 2, 3], on=datetime.date(2024, 3, 1), principles=principles
    )
    Rating.objects.filter(assessment=final, principle=principles[0]).update(
        evidence="+cmd|' /C calc'!A0", links="https://example.org/a\nhttps://example.org/b"
    )
    Rating.objects.filter(assessment=final, principle=principles[1]).update(evidence="@SUM(1)")
    Rating.objects.filter(assessment=final, principle=principles[2]).update(evidence="-2+3")
    draft = draft_with(initiative, principles, [0, None, None])

    rows = read_csv(client.get(url("assessment_export", initiative)))
    assert rows[0] == EXPORT_HEADER
    assert rows[1] == [
        str(initiative.pk),
        "'=SUM(A1:A9)",
        str(final.pk),
        "2024-03-01",
        "final",
        "p0",
        "Principle p0",
        "1",
        "'+cmd|' /C calc'!A0",
        "https://example.org/a\nhttps://example.org/b",
    ]
    assert [row[8] for row in rows[2:4]] == ["'@SUM(1)", "'-2+3"]
    assert len(rows) == 4  # the anonymous visitor does not get the draft

    client.force_login(editor)
    member_rows = read_csv(client.get(url("assessment_export", initiative)))
    assert len(member_rows) == 5
    assert member_rows[4][2:5] == [str(draft.pk), TODAY().isoformat(), "draft"]


def test_municipality_csv_respects_visibility(
    client, editor, municipality, other_municipality, principles
):
    public = InitiativeFactory(
        municipality=municipality, visibility="public", principles=principles
    )
    internal = InitiativeFactory(
        municipality=municipality, visibility="internal", principles=principles
    )
    elsewhere = InitiativeFactory(municipality=other_municipality, visibility="public")
    final_assessment(public, [1, 1, 1], on=TODAY(), principles=principles)
    final_assessment(internal, [2, 2, 2], on=TODAY(), principles=principles)
    draft_with(public, principles, [3, None, None])
    AssessmentFactory(initiative=elsewhere)  # a draft with no ratings: one empty row for members
    export = reverse("municipalities:assessments_csv", kwargs={"municipality": "fjordvik"})

    public_rows = read_csv(client.get(export))[1:]
    assert {(row[0], row[4]) for row in public_rows} == {(str(public.pk), "final")}
    assert len(public_rows) == 3

    client.force_login(editor)
    member_rows = read_csv(client.get(export))[1:]
    assert {(row[0], row[4]) for row in member_rows} == {
        (str(public.pk), "final"),
        (str(public.pk), "draft"),
        (str(internal.pk), "final"),
    }
    assert len(member_rows) == 7
    assert str(elsewhere.pk) not in {row[0] for row in member_rows}


def test_csv_export_query_count_does_not_grow(
    client, editor, municipality, principles, django_assert_max_num_queries
):
    initiative = InitiativeFactory(municipality=municipality, principles=principles)
    for day in range(1, 29):
        final_assessment(
            initiative, [1, 2, 3], on=datetime.date(2024, 1, day), principles=principles
        )
    client.force_login(editor)
    export = reverse("municipalities:assessments_csv", kwargs={"municipality": "fjordvik"})
    with django_assert_max_num_queries(6):
        rows = read_csv(client.get(export))
    assert len(rows) == 1 + 28 * 3


# --- XLSX export and the CSV style ------------------------------------------------------------


@pytest.mark.parametrize("name", ["assessment_export", "assessment_export_xlsx"])
def test_both_exports_of_an_internal_initiative_are_for_members_only(
    client, internal_initiative, principles, outsider, editor, name
):
    final_assessment(internal_initiative, [1, 2, 3], on=TODAY(), principles=principles)
    export = url(name, internal_initiative)
    assert client.get(export).status_code == 404
    client.force_login(outsider)
    assert client.get(export).status_code == 404
    client.force_login(editor)
    assert client.get(export).status_code == 200


def test_initiative_xlsx_has_numbers_dates_and_formulas_as_text(
    client, editor, municipality, principles
):
    initiative = InitiativeFactory(
        municipality=municipality, title="=SUM(A1:A9)", principles=principles
    )
    final = final_assessment(
        initiative, [1, 2, 3], on=datetime.date(2024, 3, 1), principles=principles
    )
    draft_with(initiative, principles, [0, None, None])

    response = client.get(url("assessment_export_xlsx", initiative))

    assert (
        f"fjordvik-initiative-{initiative.pk}-assessments.xlsx" in (response["Content-Disposition"])
    )
    records = xlsx_records(response)
    assert len(records) == 3  # the anonymous visitor does not get the draft
    first = records[0]
    assert list(first) == EXPORT_HEADER
    assert first["initiative id"].value == initiative.pk
    assert first["assessment id"].value == final.pk
    assert isinstance(first["level"].value, int) and first["level"].value == 1
    assert first["assessment date"].is_date
    assert first["assessment date"].value.date() == datetime.date(2024, 3, 1)
    assert (first["initiative title"].value, first["initiative title"].data_type) == (
        "=SUM(A1:A9)",
        "s",
    )
    client.force_login(editor)
    assert len(xlsx_records(client.get(url("assessment_export_xlsx", initiative)))) == 4


def test_municipality_xlsx_respects_visibility_as_the_csv_does(
    client, editor, municipality, principles
):
    public = InitiativeFactory(
        municipality=municipality, visibility="public", principles=principles
    )
    internal = InitiativeFactory(
        municipality=municipality, visibility="internal", principles=principles
    )
    final_assessment(public, [1, 1, 1], on=TODAY(), principles=principles)
    final_assessment(internal, [2, 2, 2], on=TODAY(), principles=principles)
    draft_with(public, principles, [3, None, None])
    export = reverse("municipalities:assessments_xlsx", kwargs={"municipality": "fjordvik"})

    public_records = xlsx_records(client.get(export))
    assert {record["initiative id"].value for record in public_records} == {public.pk}
    assert len(public_records) == 3
    client.force_login(editor)
    member_records = xlsx_records(client.get(export))
    assert {record["initiative id"].value for record in member_records} == {public.pk, internal.pk}
    assert len(member_records) == 7


def test_assessment_csv_under_norwegian_uses_semicolons(client, municipality, principles, settings):
    initiative = InitiativeFactory(municipality=municipality, principles=principles)
    final_assessment(initiative, [1, 2, 3], on=datetime.date(2024, 3, 1), principles=principles)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"

    rows = csv_table(client.get(url("assessment_export", initiative)), delimiter=";")

    assert len(rows[0]) == 10
    assert (rows[0][0], rows[0][3]) == ("tiltak-id", "vurderingsdato")
    assert rows[1][2:5] == [str(initiative.assessments.get().pk), "2024-03-01", "final"]
    assert rows[1][7] == "1"


def test_dashboard_offers_both_files_and_says_how_the_csv_is_written(
    client, municipality, settings
):
    page = client.get(reverse("municipalities:dashboard", kwargs={"municipality": "fjordvik"}))
    html = page.content.decode()
    assert reverse("municipalities:assessments_xlsx", kwargs={"municipality": "fjordvik"}) in html
    assert "Download all assessments (XLSX)" in html
    assert "CSV with commas and decimal points" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    html = client.get(
        reverse("municipalities:dashboard", kwargs={"municipality": "fjordvik"})
    ).content.decode()
    assert "CSV med semikolon og desimalkomma" in html

"""The initiative services on their own: transactions, scope checks, audit changes."""

import pytest
from django.core.exceptions import ValidationError

from roadmap.core.models import AuditEvent
from roadmap.framework.models import ActionArea, Barrier, BarrierCategory, Principle
from roadmap.initiatives import services
from roadmap.initiatives.models import Initiative, Partner


@pytest.fixture
def initiative(municipality, editor):
    return services.create_initiative(
        actor=editor,
        municipality=municipality,
        data={"title": "Harbour sensors", "summary": "s", "sdg_goals": [14, 4, 14]},
        partners=[{"organisation": "Sensor AS", "sector": "business", "role": ""}],
    )


def test_create_keeps_goals_sorted_once_and_records_non_empty_values(initiative, editor):
    assert initiative.sdg_goals == [4, 14]
    assert initiative.created_by == editor
    event = AuditEvent.objects.get()
    assert event.changes == {
        "title": "Harbour sensors",
        "summary": "s",
        "status": "idea",
        "visibility": "internal",
        "sdg_goals": [4, 14],
        "partners": ["Sensor AS (Business)"],
    }


def test_update_without_changes_records_no_event(initiative, editor):
    services.update_initiative(
        actor=editor,
        initiative=initiative,
        data={"title": "Harbour sensors"},
        partners=[{"organisation": "Sensor AS", "sector": "business", "role": ""}],
    )
    assert AuditEvent.objects.filter(action="update").count() == 0


def test_update_diffs_many_to_many(initiative, editor):
    area = ActionArea.objects.get(code="inclusion")
    services.update_initiative(
        actor=editor, initiative=initiative, data={"action_areas": [area]}, partners=[]
    )
    event = AuditEvent.objects.get(action="update")
    assert event.changes == {
        "action_areas": [[], ["Inclusion"]],
        "partners": [["Sensor AS (Business)"], []],
    }
    assert not Partner.objects.exists()


def test_principle_of_another_municipality_is_refused(initiative, editor, other_municipality):
    foreign = Principle.objects.create(
        municipality=other_municipality, code="river", name="River", summary="-", source="local"
    )
    with pytest.raises(ValidationError):
        services.update_initiative(
            actor=editor,
            initiative=initiative,
            data={"title": "Changed", "principles": [foreign]},
            partners=[],
        )
    initiative.refresh_from_db()
    assert initiative.title == "Harbour sensors"  # the transaction rolled back
    assert initiative.partners.count() == 1


def test_barrier_of_another_municipality_is_refused(initiative, editor, other_municipality):
    category = BarrierCategory.objects.create(code="rivers", name="Rivers")
    foreign = Barrier.objects.create(
        municipality=other_municipality, category=category, code="floods", name="Floods"
    )
    with pytest.raises(ValidationError):
        services.add_barrier_encounter(
            actor=editor,
            initiative=initiative,
            data={"barrier": foreign, "description": "", "mitigation": "", "status": "open"},
        )
    assert not initiative.barriers_met.exists()


def test_changing_a_part_marks_the_initiative_updated(initiative, editor):
    before = Initiative.objects.get(pk=initiative.pk).updated_at
    services.add_lesson(actor=editor, initiative=initiative, data={"text": "Listen."})
    assert Initiative.objects.get(pk=initiative.pk).updated_at > before


def test_delete_records_event_that_outlives_the_initiative(initiative, editor, municipality):
    pk = initiative.pk
    services.add_pilot(
        actor=editor,
        initiative=initiative,
        data={
            "title": "Buoy",
            "hypothesis": "h",
            "start_date": None,
            "end_date": None,
            "result": "",
            "decision": "",
        },
    )
    services.delete_initiative(actor=editor, initiative=initiative)
    assert not Initiative.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="delete")
    assert (event.object_id, event.object_repr, event.municipality) == (
        str(pk),
        "Harbour sensors",
        municipality,
    )

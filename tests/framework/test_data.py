"""The shipped framework data: complete in English and Norwegian, validated, loaded idempotently."""

import copy

import pytest

from roadmap.framework import loader
from roadmap.framework.loader import FrameworkDataError, load_framework, read_data
from roadmap.framework.models import (
    ActionArea,
    Barrier,
    BarrierCategory,
    FrameworkRelease,
    GuidingQuestion,
    MaturityLevel,
    Principle,
    Purpose,
    Value,
)

pytestmark = pytest.mark.django_db

MODELS = (
    Value,
    Purpose,
    ActionArea,
    Principle,
    Principle.action_areas.through,
    GuidingQuestion,
    MaturityLevel,
    BarrierCategory,
    Barrier,
    FrameworkRelease,
)


def framework_state() -> dict:
    """Every framework row, with ids and every language column."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def shared_principles():
    return Principle.objects.filter(municipality__isnull=True).prefetch_related(
        "action_areas", "guiding_questions", "maturity_levels"
    )


def test_release_version_is_recorded():
    assert FrameworkRelease.objects.filter(version="2026.11").exists()


def test_seven_values_five_purposes_five_action_areas_in_both_languages():
    assert Value.objects.count() == 7
    assert set(Purpose.objects.values_list("code", flat=True)) == {
        "liveable",
        "dynamic",
        "inclusive",
        "green",
        "resilient",
    }
    assert set(ActionArea.objects.values_list("code", flat=True)) == {
        "leadership",
        "inclusion",
        "living-environment",
        "digital-communities",
        "health-wellbeing",
    }
    for value in Value.objects.all():
        assert value.name_nb and value.description_en and value.description_nb
    for purpose in Purpose.objects.all():
        assert purpose.description_en and purpose.description_nb
        assert purpose.replaces_en and purpose.replaces_nb
    for area in ActionArea.objects.all():
        assert area.scope_en and area.scope_nb


def test_each_purpose_replaces_a_different_old_state():
    assert sorted(Purpose.objects.values_list("replaces_en", flat=True)) == [
        "linear",
        "polluting",
        "resource-demanding",
        "unequal",
        "unsafe",
    ]


def test_every_principle_is_complete_in_english_and_norwegian():
    principles = list(shared_principles())
    assert 10 <= len(principles) <= 12
    for principle in principles:
        assert principle.name_nb and principle.summary_nb, principle.code
        assert principle.source_note_en and principle.source_note_nb, principle.code
        assert 1 <= len(principle.action_areas.all()) <= 3, principle.code
        questions = principle.guiding_questions.all()
        assert 3 <= len(questions) <= 5, principle.code
        assert all(q.text_en and q.text_nb for q in questions), principle.code
        levels = principle.maturity_levels.all()
        assert [level.level for level in levels] == [0, 1, 2, 3, 4], principle.code
        assert all(level.descriptor_en and level.descriptor_nb for level in levels), principle.code


def test_principles_cover_the_norwegian_eight_and_the_roadmap_approach():
    sources = dict(shared_principles().values_list("code", "source"))
    assert list(sources.values()).count("norwegian") == 8
    for code in (
        "technology-as-enabler",
        "municipality-as-facilitator",
        "protect-and-empower",
        "every-community-counts",
    ):
        assert sources[code] == "roadmap"


def test_every_action_area_has_principles():
    for area in ActionArea.objects.all():
        assert area.principles.filter(municipality__isnull=True).exists(), area.code


def test_barrier_catalogue_has_categories_of_three_to_five_barriers():
    categories = BarrierCategory.objects.prefetch_related("barriers")
    assert categories.count() >= 7
    for category in categories:
        assert category.name_nb and category.description_nb
        barriers = category.barriers.filter(municipality__isnull=True)
        assert 3 <= barriers.count() <= 5, category.code
        for barrier in barriers:
            assert barrier.description_en and barrier.name_nb and barrier.description_nb


def test_loading_twice_changes_nothing():
    before = framework_state()
    load_framework()
    load_framework()
    assert framework_state() == before


def test_a_changed_text_is_updated_in_place():
    data = read_data()
    data["principles"][0]["summary"]["en"] = "A sharper summary."
    del data["principles"][0]["summary"]["nb"]
    principle_id = Principle.objects.get(code=data["principles"][0]["code"]).pk
    load_framework(data)
    principle = Principle.objects.get(pk=principle_id)
    assert principle.summary_en == "A sharper summary."
    assert principle.summary_nb is None


def test_fewer_guiding_questions_in_the_file_remove_the_extra_ones():
    data = read_data()
    entry = data["principles"][0]
    entry["guiding_questions"] = entry["guiding_questions"][:3]
    load_framework(data)
    principle = Principle.objects.get(code=entry["code"], municipality__isnull=True)
    assert principle.guiding_questions.count() == 3


def test_a_malformed_entry_raises_a_clear_error_and_changes_nothing():
    before = framework_state()
    data = read_data()
    data["values"][0]["name"]["en"] = "Changed before the broken entry"
    broken = data["principles"][1]
    broken["guiding_questions"] = broken["guiding_questions"][:2]
    with pytest.raises(FrameworkDataError) as error:
        load_framework(data)
    message = str(error.value)
    assert f"principles[1] '{broken['code']}'" in message
    assert "needs 3 to 5 guiding questions, found 2" in message
    assert "nothing was loaded" in message
    assert framework_state() == before


@pytest.mark.parametrize(
    ("break_it", "expected"),
    [
        (lambda d: d["values"][2]["name"].pop("en"), "values[2] 'sustainable-living' name"),
        (lambda d: d["principles"][0].update(action_areas=["mobility"]), "unknown action areas"),
        (lambda d: d["principles"][0]["maturity"].pop(), "needs 5 maturity descriptors"),
        (lambda d: d["principles"][0].update(source="local"), "'source' must be one of"),
        (lambda d: d["principles"][0].update(action_areas=[]), "needs 1 to 3 action areas"),
        (lambda d: d["purposes"][1].update(code="liveable"), "the code is used twice"),
        (lambda d: d["purposes"][1]["name"].update(xx="?"), "unknown languages ['xx']"),
        (lambda d: d["barrier_categories"][0]["barriers"][0].pop("description"), "missing"),
    ],
)
def test_validation_names_the_problem(break_it, expected):
    data = copy.deepcopy(read_data())
    break_it(data)
    with pytest.raises(FrameworkDataError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        load_framework(data)


def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    before = framework_state()
    data = read_data()
    data["values"][0]["name"]["en"] = "Written before the failure"

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(loader, "_load_principle", fail)
    with pytest.raises(RuntimeError):
        load_framework(data)
    assert framework_state() == before

"""Two municipalities with public and internal data of every kind the API shows."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from roadmap.framework.models import Principle
from roadmap.indicators.models import Indicator, InitiativeIndicator, Observation, Target
from roadmap.initiatives.models import BarrierEncounter, Lesson, Pilot
from roadmap.opinions.models import OpinionMap, Statement
from roadmap.participation.models import Phase, Visibility
from roadmap.workshops.models import Synthesis
from tests.factories import FinalAssessmentFactory, InitiativeFactory, PartnerFactory, RatingFactory
from tests.participation.factories import (
    CommentFactory,
    PhaseFactory,
    ProcessFactory,
    ProposalFactory,
)
from tests.workshops.factories import NoteFactory, PromptFactory, ThemeFactory, WorkshopFactory

SECRET = "Secret"  # in the title or text of everything that must never appear


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def add_world(municipality, tag: str) -> dict:
    """One of each public thing, and its internal twin (titled with SECRET)."""
    public = InitiativeFactory(municipality=municipality, title=f"{tag} harbour sensors")
    InitiativeFactory(municipality=municipality, title=f"{SECRET} {tag}", visibility="internal")
    PartnerFactory(initiative=public, organisation=f"{tag} University", sector="academia")
    Pilot.objects.create(initiative=public, title=f"{tag} pilot", hypothesis="Sensors help.")
    BarrierEncounter.objects.create(initiative=public, description="Procurement rules.")
    Lesson.objects.create(initiative=public, text=f"{tag} lesson: start small.")
    indicator = Indicator.objects.filter(municipality__isnull=True, direction="higher").first()
    InitiativeIndicator.objects.create(initiative=public, indicator=indicator, effect="increase")
    principle = Principle.objects.filter(municipality__isnull=True).first()
    assessment = FinalAssessmentFactory(initiative=public, is_latest=True, summary=f"{tag} review")
    RatingFactory(assessment=assessment, principle=principle, level=3)
    hidden_initiative = InitiativeFactory(
        municipality=municipality, title=f"{SECRET} assessed {tag}", visibility="internal"
    )
    FinalAssessmentFactory(initiative=hidden_initiative, summary=f"{SECRET} review")

    process = ProcessFactory(municipality=municipality, slug="harbour", title=f"{tag} harbour")
    ProcessFactory(municipality=municipality, slug="draft", title=SECRET, is_published=False)
    phase = PhaseFactory(process=process)
    proposal = ProposalFactory(phase=phase, title=f"{tag} benches", answer="We will build them.")
    ProposalFactory(phase=phase, title=f"{SECRET} pending", visibility=Visibility.PENDING)
    ProposalFactory(phase=phase, title=f"{SECRET} hidden", visibility=Visibility.HIDDEN)
    CommentFactory(proposal=proposal, body=f"{tag} agrees")
    CommentFactory(proposal=proposal, body=f"{SECRET} comment", visibility=Visibility.PENDING)

    workshop_phase = PhaseFactory(process=process, kind=Phase.Kind.WORKSHOP)
    prompt = PromptFactory(workshop=WorkshopFactory(phase=workshop_phase), text=f"{tag} prompt")
    theme = ThemeFactory(prompt=prompt, name="Mobility")
    NoteFactory(prompt=prompt, theme=theme)
    NoteFactory(prompt=prompt, theme=theme, visibility=Visibility.HIDDEN, text=SECRET)
    Synthesis.objects.create(
        prompt=prompt, computed_at=timezone.now(), note_count=1, terms=[["bench", 1]], phrases=[]
    )

    map_phase = PhaseFactory(process=process, kind=Phase.Kind.OPINION_MAP)
    agreed = Statement.objects.create(phase=map_phase, text=f"{tag} wants trees", language="en")
    split = Statement.objects.create(phase=map_phase, text=f"{tag} wants cars", language="en")
    finding = {"direction": "agree", "share": 0.9, "other_share": 0.2, "majority": True}
    OpinionMap.objects.create(
        phase=map_phase,
        status=OpinionMap.Status.READY,
        computed_at=timezone.now(),
        result={
            "participants_counted": 12,
            "groups": [
                {
                    "label": 0,
                    "size": 7,
                    "centroid": [0.5, 0.1],
                    "distinguishing": [{"statement": split.pk, **finding}],
                },
                {"label": 1, "size": 5, "centroid": [-0.5, 0.1], "distinguishing": []},
            ],
            "consensus": [{"statement": agreed.pk, **finding}],
            "positions": [[0.51, 0.11, 0], [-0.49, 0.09, 1]],
        },
    )
    Observation.objects.create(
        municipality=municipality, indicator=indicator, period=datetime.date(2024, 1, 1), value=40
    )
    Target.objects.create(
        municipality=municipality, indicator=indicator, target_value=80, target_year=2030
    )
    return {"initiative": public, "proposal": proposal, "indicator": indicator}


@pytest.fixture
def world(municipality, other_municipality):
    return {
        "fjordvik": add_world(municipality, "Fjordvik"),
        "elvdal": add_world(other_municipality, "Elvdal"),
    }

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone

from roadmap.indicators.models import ImportBatch
from roadmap.initiatives.models import Pilot
from roadmap.municipalities.models import Municipality
from roadmap.opinions.models import Statement
from roadmap.participation.models import Flag, Phase, Visibility
from roadmap.workshops.models import NoteFlag
from tests.conftest import member
from tests.factories import (
    AssessmentFactory,
    FinalAssessmentFactory,
    InitiativeFactory,
    UserFactory,
)
from tests.participation.factories import CommentFactory, PhaseFactory, ProposalFactory
from tests.workshops.factories import NoteFactory, PromptFactory, WorkshopFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@dataclass
class Waiting:
    """One of everything an office shows, in one municipality."""

    pending_proposal: object
    pending_comment: object
    proposal_flag: Flag
    comment_flag: Flag
    statement: Statement
    note_flag: NoteFlag
    draft: object
    never_assessed: object
    long_ago: object
    batch: ImportBatch
    pilot: Pilot


def make_waiting(municipality: Municipality, label: str) -> Waiting:
    """Everything waiting in `municipality`, its texts starting with `label`."""
    proposals_phase = PhaseFactory(process__municipality=municipality)
    process = proposals_phase.process
    published = ProposalFactory(phase=proposals_phase, title=f"{label} published proposal")
    pending_proposal = ProposalFactory(
        phase=proposals_phase, title=f"{label} pending proposal", visibility=Visibility.PENDING
    )
    pending_comment = CommentFactory(
        proposal=published, body=f"{label} pending comment", visibility=Visibility.PENDING
    )
    reported_comment = CommentFactory(proposal=published, body=f"{label} reported comment")
    proposal_flag = Flag.objects.create(
        proposal=published, reporter=UserFactory(), reason=f"{label} proposal is rude"
    )
    comment_flag = Flag.objects.create(
        comment=reported_comment, reporter=UserFactory(), reason=f"{label} comment is spam"
    )
    opinion_phase = PhaseFactory(
        process=process, kind=Phase.Kind.OPINION_MAP, propose="anyone", vote="anyone"
    )
    statement = Statement.objects.create(
        phase=opinion_phase,
        author=UserFactory(),
        text=f"{label} pending statement",
        language="en",
        status=Statement.Status.PENDING,
    )
    workshop_phase = PhaseFactory(process=process, kind=Phase.Kind.WORKSHOP, post_notes="anyone")
    prompt = PromptFactory(workshop=WorkshopFactory(phase=workshop_phase))
    note = NoteFactory(prompt=prompt, text=f"{label} reported note")
    note_flag = NoteFlag.objects.create(
        note=note, reporter=UserFactory(), reason=f"{label} note insults"
    )
    today = timezone.localdate()
    assessed = InitiativeFactory(municipality=municipality, title=f"{label} drafted initiative")
    FinalAssessmentFactory(initiative=assessed, is_latest=True)
    draft = AssessmentFactory(initiative=assessed)
    never = InitiativeFactory(municipality=municipality, title=f"{label} never assessed")
    old = InitiativeFactory(municipality=municipality, title=f"{label} assessed long ago")
    long_ago = FinalAssessmentFactory(
        initiative=old, is_latest=True, assessed_on=today - datetime.timedelta(days=400)
    )
    batch = ImportBatch.objects.create(
        municipality=municipality,
        filename=f"{label}-observations.csv",
        status=ImportBatch.Status.PREVIEW,
    )
    pilot = Pilot.objects.create(
        initiative=assessed,
        title=f"{label} ended pilot",
        hypothesis="People share bikes.",
        start_date=today - datetime.timedelta(days=90),
        end_date=today - datetime.timedelta(days=1),
    )
    return Waiting(
        pending_proposal=pending_proposal,
        pending_comment=pending_comment,
        proposal_flag=proposal_flag,
        comment_flag=comment_flag,
        statement=statement,
        note_flag=note_flag,
        draft=draft,
        never_assessed=never,
        long_ago=long_ago,
        batch=batch,
        pilot=pilot,
    )


@pytest.fixture
def waiting(municipality):
    return make_waiting(municipality, "Fjordvik")


@pytest.fixture
def waiting_elsewhere(other_municipality):
    return make_waiting(other_municipality, "Elvdal")


@pytest.fixture
def moderator(municipality):
    return member(municipality, "moderator")

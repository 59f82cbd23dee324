"""factory_boy factories for workshop tests."""

import factory
from django.db.models import F
from django.urls import reverse

from roadmap.participation.models import Audience, Phase
from roadmap.workshops.models import Note, NoteFlag, NoteVote, Prompt, Theme, Workshop
from tests.factories import UserFactory
from tests.participation.factories import PhaseFactory


class WorkshopPhaseFactory(PhaseFactory):
    """A workshop phase open now, where anyone with an account may post notes."""

    kind = Phase.Kind.WORKSHOP
    propose = Audience.NOBODY
    comment = Audience.NOBODY
    support = Audience.NOBODY
    post_notes = Audience.ANYONE


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    phase = factory.SubFactory(WorkshopPhaseFactory)


class PromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prompt

    workshop = factory.SubFactory(WorkshopFactory)
    text = factory.Sequence(lambda n: f"Prompt {n}: what should we take along?")
    order = factory.Sequence(lambda n: n)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    prompt = factory.SubFactory(PromptFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    prompt = factory.SubFactory(PromptFactory)
    author = factory.SubFactory(UserFactory)
    language = "en"
    text = factory.Sequence(lambda n: f"More benches by the harbour, idea {n}")


class NoteFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoteFlag

    note = factory.SubFactory(NoteFactory)
    reporter = factory.SubFactory(UserFactory)
    reason = "Insults a neighbour"


class NoteVoteFactory(factory.django.DjangoModelFactory):
    """A +1 with the note's stored count raised, as the service does."""

    class Meta:
        model = NoteVote
        skip_postgeneration_save = True

    note = factory.SubFactory(NoteFactory)
    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def count_on_note(self, create, extracted, **kwargs):
        if create:
            Note.objects.filter(pk=self.note_id).update(vote_count=F("vote_count") + 1)


def workshop_url(name: str, phase, **kwargs) -> str:
    return reverse(
        f"workshops:{name}",
        kwargs={
            "municipality": phase.process.municipality.slug,
            "process": phase.process.slug,
            "phase": phase.pk,
            **kwargs,
        },
    )

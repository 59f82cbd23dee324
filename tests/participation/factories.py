"""factory_boy factories for participation tests."""

import datetime

import factory
from django.db.models import F
from django.utils import timezone

from roadmap.core.text import render_markdown
from roadmap.participation.models import (
    Audience,
    Comment,
    Phase,
    Process,
    Proposal,
    Support,
)
from tests.factories import MunicipalityFactory, UserFactory


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Process {n}")
    slug = factory.Sequence(lambda n: f"process-{n}")
    summary = "Tell us how the harbour area should change."
    description = "We collect ideas in two phases."
    data_statement = "We store your name and your contributions to show them with the process."
    is_published = True


class PhaseFactory(factory.django.DjangoModelFactory):
    """A phase open now, where anyone with an account may propose, comment and support."""

    class Meta:
        model = Phase

    process = factory.SubFactory(ProcessFactory)
    kind = Phase.Kind.PROPOSALS
    title = factory.Sequence(lambda n: f"Phase {n}")
    order = factory.Sequence(lambda n: n)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    propose = Audience.ANYONE
    comment = Audience.ANYONE
    support = Audience.ANYONE


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    phase = factory.SubFactory(PhaseFactory)
    process = factory.SelfAttribute("phase.process")
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    body = "More **benches** along the harbour."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment
        skip_postgeneration_save = True

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    body = "I agree, and the square needs shade too."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)
    parent = None

    @factory.post_generation
    def count_on_proposal(self, create, extracted, **kwargs):
        if create:
            Proposal.objects.filter(pk=self.proposal_id).update(
                comment_count=F("comment_count") + 1
            )


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support
        skip_postgeneration_save = True

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def count_on_proposal(self, create, extracted, **kwargs):
        if create:
            Proposal.objects.filter(pk=self.proposal_id).update(
                support_count=F("support_count") + 1
            )

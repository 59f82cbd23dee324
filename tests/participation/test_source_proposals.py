import pytest
from django.urls import reverse

from tests.factories import InitiativeFactory
from tests.participation.factories import PhaseFactory, ProcessFactory, ProposalFactory


@pytest.mark.django_db
def test_initiative_page_shows_the_published_proposals_it_came_from(client, municipality):
    initiative = InitiativeFactory(municipality=municipality, visibility="public")
    phase = PhaseFactory(process=ProcessFactory(municipality=municipality))
    ProposalFactory(
        phase=phase,
        title="Benches by the fjord",
        status="accepted",
        answer="We will.",
        initiative=initiative,
    )
    ProposalFactory(
        phase=phase,
        title="Hidden idea",
        status="accepted",
        initiative=initiative,
        visibility="hidden",
    )
    url = reverse(
        "initiatives:detail", kwargs={"municipality": municipality.slug, "pk": initiative.pk}
    )
    body = client.get(url).content.decode()
    assert "Benches by the fjord" in body
    assert "We will." in body
    assert "Hidden idea" not in body


@pytest.mark.django_db
def test_proposal_page_offers_answer_report_and_moderation_by_role(client, municipality):
    from tests.conftest import member

    proposal = ProposalFactory(
        phase=PhaseFactory(process=ProcessFactory(municipality=municipality))
    )
    url = reverse(
        "participation:proposal_detail",
        kwargs={
            "municipality": municipality.slug,
            "process": proposal.process.slug,
            "pk": proposal.pk,
        },
    )
    assert "Report this proposal" not in client.get(url).content.decode()
    client.force_login(member(municipality, "editor"))
    body = client.get(url).content.decode()
    assert "Answer this proposal" in body and "Report this proposal" in body
    assert "Moderation</a>" not in body
    client.force_login(member(municipality, "moderator"))
    body = client.get(url).content.decode()
    assert "Moderation</a>" in body and "Answer this proposal" not in body

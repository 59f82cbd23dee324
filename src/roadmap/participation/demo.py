"""Deterministic demo data for participation in Fjordvik: two processes (one collecting
proposals and supports now, one showing its results), residents, a partner organisation,
proposals with threads, supports, answers, moderation and notifications.

Texts come from data/demo.yaml, read and checked against SCHEMA before anything is written;
who wrote, commented and supported what is drawn from one seeded generator, so two builds give
the same data. Dates are offsets from the build day.
Stored counts (supports, comments) are set from the rows created, so count == rows.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.core.datafiles import (
    OPTIONAL,
    Boolean,
    Choice,
    Integer,
    ListOf,
    Record,
    Reference,
    Text,
    load,
)
from roadmap.core.text import render_markdown
from roadmap.initiatives.demo import PortfolioData
from roadmap.initiatives.demo import demo_data as portfolio_data
from roadmap.initiatives.models import Initiative
from roadmap.municipalities.models import Municipality

from .activity_services import rebuild_process_activity
from .models import (
    Audience,
    Category,
    Comment,
    Notification,
    Organisation,
    Phase,
    Process,
    Proposal,
    ProposalStatus,
    ResidentVerification,
    Support,
    Visibility,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"
SEED = 20260413


@dataclass(frozen=True)
class ParticipantSpec:
    username: str
    # None: an account the portfolio demo makes (initiatives.demo); it is only verified here.
    display_name: str | None = None
    # District where verified as a resident, or None.
    resident_of: str | None = None


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    sector: str
    member: str


@dataclass(frozen=True)
class HiddenCommentSpec:
    proposal: str
    text: str
    reason: str


@dataclass(frozen=True)
class ProposalSpec:
    title: str
    body: str
    category: str
    district: str
    status: str = ProposalStatus.SUBMITTED
    answer: str = ""
    # Title of the Fjordvik initiative that carries out an accepted proposal.
    initiative: str = ""
    by_organisation: bool = False
    visibility: str = Visibility.PUBLISHED


@dataclass(frozen=True)
class PhaseSpec:
    kind: str
    title: str
    # Days from the build day to the start and end of the phase.
    starts: int
    ends: int
    propose: str = Audience.NOBODY
    comment: str = Audience.NOBODY
    support: str = Audience.NOBODY


@dataclass(frozen=True)
class ProcessSpec:
    title: str
    slug: str
    summary: str
    description: str
    initiatives: tuple[str, ...]
    categories: tuple[str, ...]
    phases: tuple[PhaseSpec, ...]
    # Index of the phase the proposals were made in.
    proposal_phase: int
    proposals: tuple[ProposalSpec, ...]


@dataclass(frozen=True)
class ProcessTexts:
    """A one-phase process that another app's demo builds (a workshop, an opinion map)."""

    title: str
    summary: str
    description: str
    data_statement: str


@dataclass(frozen=True)
class PhaseDates:
    title: str
    # Days from the build day to the start and end of the phase.
    starts: int
    ends: int


PROCESS_TEXTS = Record(
    ProcessTexts,
    {"title": Text(), "summary": Text(), "description": Text(), "data_statement": Text()},
    label="title",
)
PHASE_DATES = Record(
    PhaseDates, {"title": Text(), "starts": Integer(), "ends": Integer()}, label="title"
)


@dataclass(frozen=True)
class ParticipationData:
    participants: tuple[ParticipantSpec, ...]
    organisation: OrganisationSpec
    data_statement: str
    comments: tuple[str, ...]
    replies: tuple[str, ...]
    hidden_comment: HiddenCommentSpec
    processes: tuple[ProcessSpec, ...]


_PROPOSAL = Record(
    ProposalSpec,
    {
        "title": Text(),
        "body": Text(),
        "category": Reference("category"),
        "district": Reference("district"),
        "status": Choice(ProposalStatus, default=OPTIONAL),
        "answer": Text(default=OPTIONAL),
        "initiative": Reference("initiative", default=OPTIONAL),
        "by_organisation": Boolean(default=OPTIONAL),
        "visibility": Choice(Visibility, default=OPTIONAL),
    },
    label="title",
)
_PHASE = Record(
    PhaseSpec,
    {
        "kind": Choice(Phase.Kind),
        "title": Text(),
        "starts": Integer(),
        "ends": Integer(),
        "propose": Choice(Audience, default=OPTIONAL),
        "comment": Choice(Audience, default=OPTIONAL),
        "support": Choice(Audience, default=OPTIONAL),
    },
    label="title",
)
SCHEMA = Record(
    ParticipationData,
    {
        "participants": ListOf(
            Record(
                ParticipantSpec,
                {
                    "username": Text(),
                    "display_name": Text(default=OPTIONAL),
                    "resident_of": Reference("district", default=OPTIONAL),
                },
                label="username",
            ),
            min_items=1,
        ),
        "organisation": Record(
            OrganisationSpec,
            {
                "name": Text(),
                "sector": Choice(Organisation.Sector),
                "member": Reference("participant"),
            },
            label="name",
        ),
        "data_statement": Text(),
        "comments": ListOf(Text(), min_items=1),
        "replies": ListOf(Text(), min_items=1),
        "hidden_comment": Record(
            HiddenCommentSpec,
            {"proposal": Reference("proposal"), "text": Text(), "reason": Text()},
        ),
        "processes": ListOf(
            Record(
                ProcessSpec,
                {
                    "title": Text(),
                    "slug": Text(),
                    "summary": Text(),
                    "description": Text(),
                    "initiatives": ListOf(Reference("initiative")),
                    "categories": ListOf(Text(), min_items=1),
                    "phases": ListOf(_PHASE, min_items=1),
                    "proposal_phase": Integer(minimum=0),
                    "proposals": ListOf(_PROPOSAL),
                },
                label="title",
            ),
            min_items=1,
        ),
    },
)


def demo_data(portfolio: PortfolioData | None = None) -> ParticipationData:
    """The participation data file, checked completely (DataFileError names every problem).

    Initiatives and districts are those of the portfolio demo's municipality.
    """
    portfolio = portfolio or portfolio_data()

    def known(data: ParticipationData) -> dict[str, list[str]]:
        initiatives = portfolio.municipality.initiatives
        return {
            "initiative": [initiative.title for initiative in initiatives],
            "district": list(portfolio.municipality.districts),
            "participant": [participant.username for participant in data.participants],
            "category": [name for process in data.processes for name in process.categories],
            "proposal": [item.title for process in data.processes for item in process.proposals],
        }

    return load(DATA_FILE, SCHEMA, known)


def demo_usernames(data: ParticipationData | None = None) -> list[str]:
    """The accounts this module creates (not those of the portfolio demo it verifies)."""
    data = data or demo_data()
    return [participant.username for participant in data.participants if participant.display_name]


@transaction.atomic
def build_participation_demo(
    *,
    municipality: Municipality,
    today: datetime.date,
    password: str,
    data: ParticipationData | None = None,
) -> list[Process]:
    """Build Fjordvik's processes; `password` is the hashed demo password."""
    data = data or demo_data()
    builder = _ParticipationBuilder(data, municipality, today, password)
    processes = [builder.process(spec) for spec in data.processes]
    # The demo writes its rows in bulk, past the services: count its figures once at the end.
    rebuild_process_activity([process.pk for process in processes])
    return processes


class _ParticipationBuilder:
    def __init__(
        self,
        data: ParticipationData,
        municipality: Municipality,
        today: datetime.date,
        password: str,
    ):
        self.data = data
        self.municipality = municipality
        self.rng = random.Random(SEED)
        self.now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
        self.official = User.objects.get(username="demo-editor")
        self.participants = self._participants(password)
        self.verified = self._verify_residents()
        self.organisation = self._organisation()

    def _participants(self, password: str) -> list[User]:
        # A rebuild removes the previous demo participants first (their rows go with them).
        User.objects.filter(username__in=demo_usernames(self.data)).delete()
        User.objects.bulk_create(
            User(
                username=participant.username,
                email=f"{participant.username}@demo.example",
                display_name=participant.display_name,
                password=password,
            )
            for participant in self.data.participants
            if participant.display_name
        )
        usernames = [participant.username for participant in self.data.participants]
        by_name = User.objects.in_bulk(usernames, field_name="username")
        return [by_name[username] for username in usernames]

    def _verify_residents(self) -> list[User]:
        districts = {district.name: district for district in self.municipality.districts.all()}
        admin = User.objects.get(username="demo-admin")
        residents = [
            (user, districts[district])
            for user, participant in zip(self.participants, self.data.participants, strict=True)
            if (district := participant.resident_of)
        ]
        ResidentVerification.objects.bulk_create(
            ResidentVerification(
                municipality=self.municipality, user=user, district=district, verified_by=admin
            )
            for user, district in residents
        )
        return [user for user, _ in residents]

    def _organisation(self) -> Organisation:
        organisation = Organisation.objects.create(
            municipality=self.municipality,
            name=self.data.organisation.name,
            sector=self.data.organisation.sector,
        )
        organisation.members.add(self._user(self.data.organisation.member))
        return organisation

    def _user(self, username: str) -> User:
        return next(user for user in self.participants if user.username == username)

    def _at(self, days: float) -> datetime.datetime:
        return self.now + datetime.timedelta(days=days)

    # Processes ---------------------------------------------------------------------------

    def process(self, spec: ProcessSpec) -> Process:
        process = Process.objects.create(
            municipality=self.municipality,
            title=spec.title,
            slug=spec.slug,
            summary=spec.summary,
            description=spec.description,
            data_statement=self.data.data_statement,
            is_published=True,
            created_by=self.official,
        )
        process.initiatives.set(
            Initiative.objects.filter(municipality=self.municipality, title__in=spec.initiatives)
        )
        Category.objects.bulk_create(
            Category(process=process, name=name) for name in spec.categories
        )
        categories = {category.name: category for category in process.categories.all()}
        phases = Phase.objects.bulk_create(
            Phase(
                process=process,
                kind=phase.kind,
                title=phase.title,
                order=order,
                starts_at=self._at(phase.starts),
                ends_at=self._at(phase.ends),
                propose=phase.propose,
                comment=phase.comment,
                support=phase.support,
            )
            for order, phase in enumerate(spec.phases)
        )
        phase, dates = phases[spec.proposal_phase], spec.phases[spec.proposal_phase]
        # Proposals were made in their phase, and not later than yesterday.
        phase_days = (dates.starts, min(dates.ends, -1))
        for item in spec.proposals:
            self._proposal(process, phase, categories[item.category], item, phase_days)
        return process

    def _proposal(
        self,
        process: Process,
        phase: Phase,
        category: Category,
        item: ProposalSpec,
        phase_days: tuple[int, int],
    ) -> None:
        if item.by_organisation:
            author = self._user(self.data.organisation.member)
        else:
            author = self.rng.choice(self.participants)
        created = self._at(self.rng.uniform(*phase_days))
        answered = item.status not in (ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW)
        proposal = Proposal.objects.create(
            process=process,
            phase=phase,
            author=author,
            organisation=self.organisation if item.by_organisation else None,
            title=item.title,
            body=item.body,
            body_html=render_markdown(item.body),
            category=category,
            location_name=item.district,
            status=item.status,
            answer=item.answer,
            answered_at=self._at(-20) if answered else None,
            answered_by=self.official if answered else None,
            initiative=(
                Initiative.objects.get(municipality=self.municipality, title=item.initiative)
                if item.initiative
                else None
            ),
            visibility=item.visibility,
        )
        if item.visibility == Visibility.PUBLISHED:
            self._supports(proposal, author)
            self._comments(proposal, author, created)
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=created,
            updated_at=created,
            support_count=proposal.supports.count(),
            comment_count=proposal.comments.count(),
        )
        if answered:
            self._notify_answer(proposal)

    def _supports(self, proposal: Proposal, author: User) -> None:
        """Verified residents other than the author support some proposals."""
        supporters = [user for user in self.verified if user != author]
        chosen = self.rng.sample(supporters, self.rng.randint(0, len(supporters)))
        Support.objects.bulk_create(Support(proposal=proposal, user=user) for user in chosen)

    def _comments(self, proposal: Proposal, author: User, created: datetime.datetime) -> None:
        """Zero to three comments, some with replies two levels deep; one is hidden."""
        others = [user for user in self.participants if user != author]
        comments, replies = self.data.comments, self.data.replies
        for _ in range(self.rng.randint(0, 3)):
            commenter = self.rng.choice(others)
            top = self._comment(proposal, commenter, self.rng.choice(comments))
            if self.rng.random() < 0.5:
                reply = self._comment(proposal, author, self.rng.choice(replies), parent=top)
                if self.rng.random() < 0.5:
                    self._comment(proposal, commenter, self.rng.choice(replies), parent=reply)
            Notification.objects.create(
                user=author,
                proposal=proposal,
                message=f"New comment on your proposal “{proposal.title}”.",
            )
        hidden_comment = self.data.hidden_comment
        if proposal.title == hidden_comment.proposal:
            hidden = self._comment(proposal, self.rng.choice(others), hidden_comment.text)
            hidden.visibility = Visibility.HIDDEN
            hidden.moderation_reason = hidden_comment.reason
            hidden.save(update_fields=["visibility", "moderation_reason"])

    def _comment(
        self, proposal: Proposal, author: User, body: str, parent: Comment | None = None
    ) -> Comment:
        return Comment.objects.create(
            proposal=proposal,
            author=author,
            body=body,
            body_html=render_markdown(body),
            parent=parent,
            depth=parent.depth + 1 if parent else 0,
        )

    def _notify_answer(self, proposal: Proposal) -> None:
        """The author and the supporters hear about the answer."""
        assert proposal.author is not None, "demo proposals keep their authors"
        readers = {
            proposal.author,
            *(support.user for support in proposal.supports.select_related("user")),
        }
        Notification.objects.bulk_create(
            Notification(
                user=user,
                proposal=proposal,
                message=f"The municipality answered “{proposal.title}”: "
                f"{proposal.get_status_display()}.",
            )
            for user in sorted(readers, key=lambda user: user.username)
        )

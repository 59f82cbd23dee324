"""Deterministic demo data for participation in Fjordvik: two processes (one collecting
proposals and supports now, one showing its results), residents, a partner organisation,
proposals with threads, supports, answers, moderation and notifications.

Texts are hand-written below; who wrote, commented and supported what is drawn from one
seeded generator, so two builds give the same data. Dates are offsets from the build day.
Stored counts (supports, comments) are set from the rows created, so count == rows.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.core.text import render_markdown
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

SEED = 20260413
# Demo participants: (username, display name, district where verified as resident or None).
PARTICIPANTS = (
    ("demo-participant", None, "Strandvika"),  # made by core.demo; verified here
    ("demo-resident-liv", "Liv Aasen", "Strandvika"),
    ("demo-resident-omar", "Omar Haddad", "Lia"),
    ("demo-resident-eirik", "Eirik Solheim", "Havnebyen"),
    ("demo-resident-sunniva", "Sunniva Dahl", "Sentrum"),
    ("demo-resident-tobias", "Tobias Rønning", "Nordre Fjordvik"),
    ("demo-resident-maja", "Maja Kristiansen", "Øvre dal"),
    ("demo-resident-nils", "Nils Brekke", None),
    ("demo-resident-hanne", "Hanne Lie", None),
    ("demo-resident-yusuf", "Yusuf Ali", None),
)
PARTNER_ORGANISATION = "Friends of Strandvika Beach"
PARTNER_MEMBER = "demo-resident-liv"
DATA_STATEMENT = (
    "We store your account name, what you write and which proposals you support, to run "
    "this process and report back. Residents' districts are used only for anonymous "
    "figures (groups under five are not shown). You can download or delete your data from "
    "your account page."
)


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


PARK_PROPOSALS = (
    ProposalSpec(
        "Skate bowl by the old pier",
        "A small concrete bowl for skaters and scooters, away from the benches.",
        "Play and activity",
        "Strandvika",
    ),
    ProposalSpec(
        "Covered barbecue area",
        "A roofed place with fixed grills so families can meet even when it rains.",
        "Meeting places",
        "Strandvika",
    ),
    ProposalSpec(
        "Keep the old pine trees",
        "The three pines by the beach give shade and shelter. Please design around them.",
        "Nature and water",
        "Strandvika",
        by_organisation=True,
    ),
    ProposalSpec(
        "Outdoor gym for all ages",
        "Simple equipment that works for teenagers and for the seniors from the care centre.",
        "Play and activity",
        "Lia",
    ),
    ProposalSpec(
        "Night lighting along the path",
        "Low lights that point down, so the path feels safe in winter without lighting up the sky.",
        "Meeting places",
        "Strandvika",
    ),
    ProposalSpec(
        "Kayak launch and storage",
        "A ramp into the water and lockers for kayaks and paddle boards.",
        "Nature and water",
        "Havnebyen",
    ),
    ProposalSpec(
        "Stage for school concerts",
        "A small open stage where the schools and youth clubs can play in summer.",
        "Meeting places",
        "Sentrum",
    ),
    ProposalSpec(
        "Rain garden instead of asphalt",
        "Let the rain soak into planted beds instead of running into the fjord.",
        "Nature and water",
        "Strandvika",
    ),
    ProposalSpec(
        "Public toilets open all year",
        "Without toilets nobody stays long. They should be open in winter too.",
        "Meeting places",
        "Nordre Fjordvik",
    ),
    ProposalSpec(
        "Climbing rocks for small children",
        "Natural rocks to climb instead of a plastic playground.",
        "Play and activity",
        "Lia",
    ),
    ProposalSpec(
        "Drinking water fountain",
        "A fountain by the beach so nobody has to buy bottled water.",
        "Nature and water",
        "Strandvika",
    ),
    ProposalSpec(
        "Benches facing the sunset",
        "Most benches face the road. Turn some of them towards the fjord.",
        "Meeting places",
        "Øvre dal",
    ),
    ProposalSpec(
        "Cheap sunglasses for everyone",
        "Great deals at www.sunny-deals.example every day!",
        "Meeting places",
        "Sentrum",
        visibility=Visibility.PENDING,
    ),
)

CLIMATE_PROPOSALS = (
    ProposalSpec(
        "Heat pumps in the remaining schools",
        "Lia School saved more than half its energy. Do the same in the other schools.",
        "Energy",
        "Lia",
        status=ProposalStatus.ACCEPTED,
        answer="You said: finish the heat-pump retrofits in the schools. We did: the climate "
        "budget funds four more schools in 2027 through the heat-pump programme.",
        initiative="Heat-pump retrofits in municipal buildings",
    ),
    ProposalSpec(
        "More e-bikes at the ferry hub",
        "The hub runs out of e-bikes every morning. Double the number.",
        "Transport",
        "Havnebyen",
        status=ProposalStatus.PARTLY_ACCEPTED,
        answer="You said: more e-bikes at the ferry. We did: ten more e-bikes from May; the "
        "operator will report on use before we add more.",
    ),
    ProposalSpec(
        "Free buses on Saturdays",
        "Free buses at weekends would get people out of their cars.",
        "Transport",
        "Sentrum",
        status=ProposalStatus.REJECTED,
        answer="Buses are run by the county, so the municipality cannot make them free. We "
        "have passed the proposal on to the county council.",
    ),
    ProposalSpec(
        "Solar panels on the sports hall",
        "The big flat roof of the sports hall is perfect for solar panels.",
        "Energy",
        "Nordre Fjordvik",
        status=ProposalStatus.UNDER_REVIEW,
    ),
    ProposalSpec(
        "Food waste collection for flats",
        "Blocks of flats should get food waste bins like houses have.",
        "Food and waste",
        "Sentrum",
        status=ProposalStatus.IMPLEMENTED,
        answer="You said: food waste bins for flats. We did: all blocks with more than eight "
        "flats got brown bins in March.",
    ),
    ProposalSpec(
        "Repair café in the library",
        "A monthly evening where volunteers help fix clothes, bikes and electronics.",
        "Food and waste",
        "Sentrum",
        status=ProposalStatus.ACCEPTED,
        answer="You said: a repair café. We did: the library hosts one on the first Thursday "
        "of every month.",
    ),
    ProposalSpec(
        "Charging points at the cabins",
        "Cabin owners in Øvre dal drive far. Put chargers at the parking by the lake.",
        "Transport",
        "Øvre dal",
    ),
    ProposalSpec(
        "Shared tool library",
        "Borrow a drill instead of buying one.",
        "Food and waste",
        "Lia",
    ),
    ProposalSpec(
        "Insulation grants for old houses",
        "Help owners of houses from the 1960s insulate their walls.",
        "Energy",
        "Nordre Fjordvik",
        status=ProposalStatus.UNDER_REVIEW,
    ),
    ProposalSpec(
        "Safe bike lane to Lia School",
        "Parents drive because the road has no bike lane.",
        "Transport",
        "Lia",
    ),
    ProposalSpec(
        "Local food market every Saturday",
        "Let farmers from the valley sell directly at the harbour.",
        "Food and waste",
        "Havnebyen",
    ),
    ProposalSpec(
        "Car-free Sundays in the centre",
        "Close the main street to cars on summer Sundays.",
        "Transport",
        "Sentrum",
    ),
)

COMMENTS = (
    "Yes, please! My children would use this every day.",
    "Good idea, but who will maintain it?",
    "We did something similar in our old town and it worked well.",
    "I agree, as long as it does not take away space for others.",
    "Could this be combined with one of the other proposals?",
    "Please think about people in wheelchairs too.",
)
REPLIES = (
    "Good point, the youth council discussed the same thing.",
    "The volunteers in our association could help.",
    "Agreed.",
    "Maybe the county has money for this.",
)
HIDDEN_COMMENT = "Everyone who supports this is an idiot."
HIDDEN_REASON = "Hidden because it insults other participants (rule 2: be respectful)."


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


PROCESSES = (
    ProcessSpec(
        title="Strandvika park co-design",
        slug="strandvika-park",
        summary="Tell us what the new park at Strandvika should have, and support the ideas "
        "you like best.",
        description="The old car park at Strandvika becomes a park. Young people and everyone "
        "else in Fjordvik can propose ideas, discuss them and support them. The youth "
        "council's design workshops start from the most supported proposals.",
        initiatives=("Youth co-design of Strandvika park",),
        categories=("Meeting places", "Nature and water", "Play and activity"),
        phases=(
            PhaseSpec("information", "Get to know the site", -60, -30),
            PhaseSpec(
                "proposals",
                "Proposals and support",
                -30,
                21,
                propose=Audience.ANYONE,
                comment=Audience.ANYONE,
                support=Audience.VERIFIED,
            ),
            PhaseSpec("workshop", "Design workshops", 21, 60),
            PhaseSpec("results", "The chosen design", 60, 120),
        ),
        proposal_phase=1,
        proposals=PARK_PROPOSALS,
    ),
    ProcessSpec(
        title="Climate budget 2027",
        slug="climate-budget-2027",
        summary="Inhabitants proposed how to spend next year's climate budget; here is what "
        "the municipality decided.",
        description="Proposals were collected in spring and supported by residents. The "
        "municipality has answered every proposal with enough support.",
        initiatives=(
            "Heat-pump retrofits in municipal buildings",
            "Mobility hub pilot at the Havnebyen ferry terminal",
        ),
        categories=("Energy", "Food and waste", "Transport"),
        phases=(
            PhaseSpec(
                "proposals",
                "Proposals",
                -150,
                -100,
                propose=Audience.ANYONE,
                comment=Audience.ANYONE,
            ),
            PhaseSpec(
                "support",
                "Support",
                -100,
                -70,
                comment=Audience.ANYONE,
                support=Audience.VERIFIED,
            ),
            PhaseSpec("results", "You said, we did", -30, 335),
        ),
        proposal_phase=0,
        proposals=CLIMATE_PROPOSALS,
    ),
)


def demo_usernames() -> list[str]:
    """The accounts this module creates (demo-participant belongs to core.demo)."""
    return [username for username, display_name, _ in PARTICIPANTS if display_name]


@transaction.atomic
def build_participation_demo(
    *, municipality: Municipality, today: datetime.date, password: str
) -> list[Process]:
    """Build Fjordvik's processes; `password` is the hashed demo password."""
    builder = _ParticipationBuilder(municipality, today, password)
    processes = [builder.process(spec) for spec in PROCESSES]
    # The demo writes its rows in bulk, past the services: count its figures once at the end.
    rebuild_process_activity([process.pk for process in processes])
    return processes


class _ParticipationBuilder:
    def __init__(self, municipality: Municipality, today: datetime.date, password: str):
        self.municipality = municipality
        self.rng = random.Random(SEED)
        self.now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
        self.official = User.objects.get(username="demo-editor")
        self.participants = self._participants(password)
        self.verified = self._verify_residents()
        self.organisation = self._organisation()

    def _participants(self, password: str) -> list[User]:
        # A rebuild removes the previous demo participants first (their rows go with them).
        User.objects.filter(username__in=demo_usernames()).delete()
        User.objects.bulk_create(
            User(
                username=username,
                email=f"{username}@demo.example",
                display_name=display_name,
                password=password,
            )
            for username, display_name, _ in PARTICIPANTS
            if display_name
        )
        by_name = User.objects.in_bulk(
            [username for username, *_ in PARTICIPANTS], field_name="username"
        )
        return [by_name[username] for username, *_ in PARTICIPANTS]

    def _verify_residents(self) -> list[User]:
        districts = {district.name: district for district in self.municipality.districts.all()}
        admin = User.objects.get(username="demo-admin")
        residents = [
            (user, districts[district])
            for user, (_, _, district) in zip(self.participants, PARTICIPANTS, strict=True)
            if district
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
            name=PARTNER_ORGANISATION,
            sector=Organisation.Sector.VOLUNTARY,
        )
        organisation.members.add(self._user(PARTNER_MEMBER))
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
            data_statement=DATA_STATEMENT,
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
            author = self._user(PARTNER_MEMBER)
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
        for _ in range(self.rng.randint(0, 3)):
            commenter = self.rng.choice(others)
            top = self._comment(proposal, commenter, self.rng.choice(COMMENTS))
            if self.rng.random() < 0.5:
                reply = self._comment(proposal, author, self.rng.choice(REPLIES), parent=top)
                if self.rng.random() < 0.5:
                    self._comment(proposal, commenter, self.rng.choice(REPLIES), parent=reply)
            Notification.objects.create(
                user=author,
                proposal=proposal,
                message=f"New comment on your proposal “{proposal.title}”.",
            )
        if proposal.title == PARK_PROPOSALS[0].title:
            hidden = self._comment(proposal, self.rng.choice(others), HIDDEN_COMMENT)
            hidden.visibility = Visibility.HIDDEN
            hidden.moderation_reason = HIDDEN_REASON
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

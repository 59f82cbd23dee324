"""The portfolio part of the demo: a fictional Norwegian municipality with a full portfolio and
a smaller Swedish neighbour, their districts and demo accounts, and Fjordvik's own principle.

Texts come from data/demo.yaml, read and checked against SCHEMA before anything is written;
everything else (principles chosen, barriers met, ratings, dates) is drawn from one seeded
random generator, so two builds give the same data. Dates are offsets from the day of the
build so the demo always looks current. Shared principles and catalogue barriers are picked
from the loaded framework, never named in the data.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from roadmap.accounts.models import User
from roadmap.core import audit
from roadmap.core.datafiles import (
    Boolean,
    Choice,
    Integer,
    ListOf,
    MappingOf,
    Number,
    Record,
    Reference,
    Text,
    Translated,
    load,
)
from roadmap.framework.loader import MATURITY_LEVELS, translated
from roadmap.framework.models import (
    ActionArea,
    Barrier,
    GuidingQuestion,
    MaturityLevel,
    Principle,
    Purpose,
)
from roadmap.municipalities.demo import PUBLISHER_SCHEMA, PublisherSpec
from roadmap.municipalities.models import Country, District, Membership, Municipality, Role

from .models import (
    Assessment,
    AssessmentStatus,
    BarrierEncounter,
    BarrierStatus,
    Initiative,
    Lesson,
    Partner,
    Pilot,
    PilotDecision,
    Rating,
    Sector,
    Status,
    Visibility,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"
DEMO_SLUG = "fjordvik"
NEIGHBOUR_SLUG = "solbacka"
SEED = 20260412
LOCAL_PRINCIPLE_ORDER = 100

# How many assessments an initiative has by status, and roughly how mature it starts out.
ASSESSMENTS_BY_STATUS = {
    Status.IDEA: 1,
    Status.PLANNED: 2,
    Status.PILOTING: 3,
    Status.SCALING: 3,
    Status.OPERATION: 4,
    Status.ENDED: 3,
}
STARTING_LEVEL = {
    Status.IDEA: 0.4,
    Status.PLANNED: 0.8,
    Status.PILOTING: 1.0,
    Status.SCALING: 1.3,
    Status.OPERATION: 1.4,
    Status.ENDED: 1.2,
}


@dataclass(frozen=True)
class PilotSpec:
    title: str
    hypothesis: str
    result: str
    decision: str


@dataclass(frozen=True)
class BarrierSpec:
    """A barrier described in free text, not found in the catalogue."""

    description: str
    mitigation: str
    status: str


@dataclass(frozen=True)
class PartnerSpec:
    organisation: str
    role: str


@dataclass(frozen=True)
class InitiativeSpec:
    title: str
    summary: str
    description: str
    status: Status
    action_areas: tuple[str, ...]
    purposes: tuple[str, ...]
    sdgs: tuple[int, ...]
    budget: int | None
    district: str
    partners: tuple[PartnerSpec, ...]
    pilots: tuple[PilotSpec, ...]
    free_barriers: tuple[BarrierSpec, ...]
    lessons: tuple[str, ...]
    internal: bool


@dataclass(frozen=True)
class UserSpec:
    username: str
    display_name: str
    # None: an account without a role here.
    role: str | None
    platform_administrator: bool


@dataclass(frozen=True)
class MunicipalitySpec:
    name: str
    country: str
    population: int
    currency: str
    languages: tuple[str, ...]
    description: str
    districts: tuple[str, ...]
    centre: tuple[float, float]
    users: tuple[UserSpec, ...]
    initiatives: tuple[InitiativeSpec, ...]
    publisher: PublisherSpec


@dataclass(frozen=True)
class LocalPrincipleSpec:
    code: str
    name: dict[str, str]
    summary: dict[str, str]
    action_areas: tuple[str, ...]
    guiding_questions: tuple[dict[str, str], ...]
    maturity: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class PortfolioData:
    # Organisation name → sector; partners name organisations from here.
    organisations: dict[str, str]
    municipality: MunicipalitySpec
    neighbour: MunicipalitySpec
    local_principle: LocalPrincipleSpec
    # Evidence texts for a rating, by level 0-4.
    evidence: tuple[tuple[str, ...], ...]
    mitigations: tuple[str, ...]
    # By assessment step; later steps reuse the last one.
    assessment_summaries: tuple[str, ...]
    draft_summary: str

    @property
    def usernames(self) -> list[str]:
        return [
            user.username for spec in (self.municipality, self.neighbour) for user in spec.users
        ]


_TEXTS = ListOf(Text(), default=())
_INITIATIVE = Record(
    InitiativeSpec,
    {
        "title": Text(),
        "summary": Text(),
        "description": Text(),
        "status": Choice(Status),
        "action_areas": ListOf(Reference("action area"), min_items=1),
        "purposes": ListOf(Reference("purpose"), min_items=1),
        "sdgs": ListOf(Integer(minimum=1)),
        "budget": Integer(minimum=0, null=True),
        "district": Reference("district"),
        "partners": ListOf(
            Record(
                PartnerSpec,
                {"organisation": Reference("organisation"), "role": Text()},
                label="organisation",
            ),
            min_items=1,
        ),
        "pilots": ListOf(
            Record(
                PilotSpec,
                {
                    "title": Text(),
                    "hypothesis": Text(),
                    "result": Text(default=""),
                    "decision": Choice(PilotDecision, default=PilotDecision.PENDING),
                },
                label="title",
            ),
            default=(),
        ),
        "free_barriers": ListOf(
            Record(
                BarrierSpec,
                {
                    "description": Text(),
                    "mitigation": Text(),
                    "status": Choice(BarrierStatus),
                },
                label="description",
            ),
            default=(),
        ),
        "lessons": _TEXTS,
        "internal": Boolean(default=False),
    },
    label="title",
)
_MUNICIPALITY = Record(
    MunicipalitySpec,
    {
        "name": Text(),
        "country": Choice(Country),
        "population": Integer(minimum=0),
        "currency": Text(),
        "languages": ListOf(Text(), min_items=1),
        "description": Text(),
        "districts": ListOf(Text(), min_items=1),
        "centre": ListOf(Number(), min_items=2, max_items=2),
        "users": ListOf(
            Record(
                UserSpec,
                {
                    "username": Text(),
                    "display_name": Text(),
                    "role": Choice(Role, default=None),
                    "platform_administrator": Boolean(default=False),
                },
                label="username",
            ),
            min_items=1,
        ),
        "initiatives": ListOf(_INITIATIVE),
        "publisher": PUBLISHER_SCHEMA,
    },
    label="name",
)
SCHEMA = Record(
    PortfolioData,
    {
        "organisations": MappingOf(Text(), Choice(Sector)),
        "municipality": _MUNICIPALITY,
        "neighbour": _MUNICIPALITY,
        "local_principle": Record(
            LocalPrincipleSpec,
            {
                "code": Text(),
                "name": Translated(),
                "summary": Translated(),
                "action_areas": ListOf(Reference("action area"), min_items=1),
                "guiding_questions": ListOf(Translated(), min_items=1),
                "maturity": ListOf(
                    Translated(), min_items=MATURITY_LEVELS, max_items=MATURITY_LEVELS
                ),
            },
            label="code",
        ),
        "evidence": ListOf(
            ListOf(Text(), min_items=1), min_items=MATURITY_LEVELS, max_items=MATURITY_LEVELS
        ),
        "mitigations": ListOf(Text(), min_items=1),
        "assessment_summaries": ListOf(Text(), min_items=1),
        "draft_summary": Text(),
    },
)


def _known(data: PortfolioData) -> dict[str, list[str]]:
    return {
        "organisation": list(data.organisations),
        "action area": list(ActionArea.objects.values_list("code", flat=True)),
        "purpose": list(Purpose.objects.values_list("code", flat=True)),
        "district": [*data.municipality.districts, *data.neighbour.districts],
    }


def demo_data() -> PortfolioData:
    """The portfolio data file, checked completely (DataFileError names every problem)."""
    return load(DATA_FILE, SCHEMA, _known)


def build_portfolio_demo(
    *, data: PortfolioData, today: datetime.date, password: str
) -> tuple[Municipality, Municipality]:
    """Build the demo municipality and its neighbour; `password` is the hashed demo password."""
    builder = _PortfolioBuilder(data, random.Random(SEED), today, password)
    municipality = builder.build_municipality(data.municipality, DEMO_SLUG)
    builder.add_local_principle(municipality)
    builder.build_portfolio(municipality, data.municipality)
    neighbour = builder.build_municipality(data.neighbour, NEIGHBOUR_SLUG)
    builder.build_portfolio(neighbour, data.neighbour)
    builder.record_audit_trail(municipality)
    return municipality, neighbour


def _months(count: float) -> datetime.timedelta:
    return datetime.timedelta(days=round(count * 30.4))


class _PortfolioBuilder:
    def __init__(
        self, data: PortfolioData, rng: random.Random, today: datetime.date, password: str
    ):
        self.data = data
        self.rng = rng
        self.today = today
        self.password = password
        self.users: dict[str, User] = {}
        self.areas = {area.code: area for area in ActionArea.objects.all()}
        self.purposes = {purpose.code: purpose for purpose in Purpose.objects.all()}
        self.barriers = list(
            Barrier.objects.filter(municipality__isnull=True).order_by(
                "category__order", "order", "code"
            )
        )
        principles = Principle.objects.filter(municipality__isnull=True).order_by("order", "code")
        self.shared_principles = list(principles.prefetch_related("action_areas"))

    # Municipality, districts, users ----------------------------------------------------

    def build_municipality(self, spec: MunicipalitySpec, slug: str) -> Municipality:
        municipality = Municipality.objects.create(
            name=spec.name,
            slug=slug,
            country=spec.country,
            population=spec.population,
            currency=spec.currency,
            languages=list(spec.languages),
            description=spec.description,
            **asdict(spec.publisher),
        )
        District.objects.bulk_create(
            District(municipality=municipality, name=name) for name in spec.districts
        )
        for account in spec.users:
            user = User.objects.create(
                username=account.username,
                email=f"{account.username}@demo.example",
                display_name=account.display_name,
                password=self.password,
                is_staff=account.platform_administrator,
                is_superuser=account.platform_administrator,
            )
            self.users[account.username] = user
            if account.role:
                Membership.objects.create(user=user, municipality=municipality, role=account.role)
        return municipality

    def add_local_principle(self, municipality: Municipality) -> None:
        spec = self.data.local_principle
        principle = Principle.objects.create(
            municipality=municipality,
            code=spec.code,
            **translated("name", spec.name),
            **translated("summary", spec.summary),
            source=Principle.Source.LOCAL,
            order=LOCAL_PRINCIPLE_ORDER,
        )
        principle.action_areas.set([self.areas[code] for code in spec.action_areas])
        GuidingQuestion.objects.bulk_create(
            GuidingQuestion(principle=principle, order=order, **translated("text", text))
            for order, text in enumerate(spec.guiding_questions)
        )
        MaturityLevel.objects.bulk_create(
            MaturityLevel(principle=principle, level=level, **translated("descriptor", text))
            for level, text in enumerate(spec.maturity)
        )

    # Portfolio ---------------------------------------------------------------------------

    def build_portfolio(self, municipality: Municipality, spec: MunicipalitySpec) -> None:
        editor = self._member(spec, Role.EDITOR)
        assessor = self._member(spec, Role.ASSESSOR)
        principles_in_scope = self.shared_principles + list(
            Principle.objects.filter(municipality=municipality).order_by("order", "code")
        )
        initiatives = []
        for index, item in enumerate(spec.initiatives):
            initiative, registered = self._initiative(municipality, spec, item, editor)
            self._partners(initiative, item)
            self._pilots(initiative, item)
            self._barriers(initiative, item)
            self._lessons(initiative, item, editor)
            # Every fifth initiative has a review in progress on top of its final ones.
            last_assessed = self._assessments(
                initiative,
                item,
                assessor,
                principles_in_scope,
                registered=registered,
                with_draft=index % 5 == 3,
            )
            initiative.created_at = self._moment(registered)
            initiative.updated_at = self._moment(last_assessed)
            initiatives.append(initiative)
        # Timestamps as if the portfolio had been kept over the years (auto_now is bypassed).
        Initiative.objects.bulk_update(initiatives, ["created_at", "updated_at"])

    def _member(self, spec: MunicipalitySpec, role: str) -> User:
        """The spec's user with this role, else its administrator (who holds every role)."""
        by_role = {user.role: user.username for user in spec.users}
        return self.users[by_role.get(role) or by_role[Role.ADMINISTRATOR]]

    def _initiative(
        self, municipality: Municipality, spec: MunicipalitySpec, item: InitiativeSpec, editor: User
    ) -> tuple[Initiative, datetime.date]:
        start, end, registered = self._dates(item.status)
        latitude, longitude = (
            coordinate + self.rng.uniform(-0.03, 0.03) for coordinate in spec.centre
        )
        initiative = Initiative.objects.create(
            municipality=municipality,
            title=item.title,
            summary=item.summary,
            description=item.description,
            status=item.status,
            start_date=start,
            end_date=end,
            budget=Decimal(item.budget) if item.budget is not None else None,
            sdg_goals=list(item.sdgs),
            location_name=item.district,
            latitude=Decimal(f"{latitude:.6f}"),
            longitude=Decimal(f"{longitude:.6f}"),
            visibility=Visibility.INTERNAL if item.internal else Visibility.PUBLIC,
            created_by=editor,
        )
        initiative.action_areas.set([self.areas[code] for code in item.action_areas])
        initiative.purposes.set([self.purposes[code] for code in item.purposes])
        initiative.principles.set(self._chosen_principles(item))
        return initiative, registered

    def _dates(
        self, status: Status
    ) -> tuple[datetime.date | None, datetime.date | None, datetime.date]:
        """Start and end dates that fit the status, and the day the initiative was registered."""
        today, uniform = self.today, self.rng.uniform
        if status == Status.IDEA:
            return None, None, today - _months(uniform(1, 8))
        if status == Status.PLANNED:
            start = today + _months(uniform(1, 6))
            return start, start + _months(uniform(12, 24)), today - _months(uniform(6, 14))
        if status == Status.ENDED:
            start = today - _months(uniform(36, 54))
            end = today - _months(uniform(2, 10))
        else:
            ago = {Status.PILOTING: (5, 14), Status.SCALING: (18, 30), Status.OPERATION: (30, 48)}
            start = today - _months(uniform(*ago[status]))
            end = start + _months(uniform(24, 36)) if status == Status.PILOTING else None
        return start, end, start - _months(uniform(3, 9))

    def _chosen_principles(self, item: InitiativeSpec) -> list[Principle]:
        """Two to four principles, preferring those tied to the initiative's action areas."""
        related = [
            principle
            for principle in self.shared_principles
            if {area.code for area in principle.action_areas.all()} & set(item.action_areas)
        ]
        pool = related if len(related) >= 2 else self.shared_principles
        return self.rng.sample(pool, min(len(pool), self.rng.randint(2, 4)))

    def _partners(self, initiative: Initiative, item: InitiativeSpec) -> None:
        Partner.objects.bulk_create(
            Partner(
                initiative=initiative,
                organisation=partner.organisation,
                sector=self.data.organisations[partner.organisation],
                role=partner.role,
            )
            for partner in item.partners
        )

    def _pilots(self, initiative: Initiative, item: InitiativeSpec) -> None:
        pilots = []
        initiative_start = initiative.start_date or self.today
        for pilot in item.pilots:
            start = initiative_start + _months(self.rng.uniform(0.5, 3))
            end = start + _months(self.rng.uniform(4, 12))
            if pilot.decision != PilotDecision.PENDING and end >= self.today:
                # A decided pilot has finished: move its end into the past.
                end = self.today - _months(self.rng.uniform(0.5, 1.5))
                start = max(initiative_start, min(start, end - _months(4)))
            pilots.append(
                Pilot(
                    initiative=initiative,
                    title=pilot.title,
                    hypothesis=pilot.hypothesis,
                    start_date=start,
                    end_date=end,
                    result=pilot.result,
                    decision=pilot.decision,
                )
            )
        Pilot.objects.bulk_create(pilots)

    def _barriers(self, initiative: Initiative, item: InitiativeSpec) -> None:
        """Barriers from the catalogue (more of them resolved the further the initiative got)."""
        resolved_share = {
            Status.IDEA: 0.0,
            Status.PLANNED: 0.2,
            Status.PILOTING: 0.4,
            Status.SCALING: 0.6,
            Status.OPERATION: 0.8,
            Status.ENDED: 0.7,
        }[item.status]
        count = min(len(self.barriers), self.rng.randint(1, 3))
        encounters = []
        for barrier in self.rng.sample(self.barriers, count):
            if self.rng.random() < resolved_share:
                status = self.rng.choice([BarrierStatus.MITIGATED, BarrierStatus.OVERCOME])
                mitigation = self.rng.choice(self.data.mitigations)
            else:
                status, mitigation = BarrierStatus.OPEN, ""
            encounters.append(
                BarrierEncounter(
                    initiative=initiative, barrier=barrier, status=status, mitigation=mitigation
                )
            )
        encounters += [
            BarrierEncounter(
                initiative=initiative,
                description=free.description,
                mitigation=free.mitigation,
                status=free.status,
            )
            for free in item.free_barriers
        ]
        BarrierEncounter.objects.bulk_create(encounters)

    def _lessons(self, initiative: Initiative, item: InitiativeSpec, author) -> None:
        Lesson.objects.bulk_create(
            Lesson(initiative=initiative, text=text, author=author) for text in item.lessons
        )

    def _assessments(
        self,
        initiative: Initiative,
        item: InitiativeSpec,
        assessor: User,
        principles: list[Principle],
        *,
        registered: datetime.date,
        with_draft: bool,
    ) -> datetime.date:
        """Final assessments from registration until recently, usually improving; every
        principle in scope is rated. Returns the date of the newest assessment."""
        count = ASSESSMENTS_BY_STATUS[item.status]
        first = registered + _months(self.rng.uniform(0.3, 1))
        last = self.today - _months(self.rng.uniform(0.5, 3))
        span = max((last - first).days, 0)
        dates = [
            first + datetime.timedelta(days=span * step // max(count - 1, 1))
            for step in range(count)
        ]
        chosen = set(initiative.principles.all())
        levels = {
            principle: self._start_level(item.status, principle in chosen)
            for principle in principles
        }
        assessments, ratings = [], []
        summaries = self.data.assessment_summaries
        for step, assessed_on in enumerate(dates):
            if step:
                levels = {p: self._next_level(level, item) for p, level in levels.items()}
            assessment = Assessment(
                initiative=initiative,
                municipality=initiative.municipality,
                assessor=assessor,
                assessed_on=assessed_on,
                status=AssessmentStatus.FINAL,
                summary=summaries[min(step, len(summaries) - 1)],
                finalised_at=self._moment(assessed_on + datetime.timedelta(days=3)),
                is_latest=step == count - 1,
            )
            assessments.append(assessment)
            ratings.append((assessment, dict(levels)))
        if with_draft:
            draft = Assessment(
                initiative=initiative,
                municipality=initiative.municipality,
                assessor=assessor,
                assessed_on=self.today - datetime.timedelta(days=self.rng.randint(2, 12)),
                status=AssessmentStatus.DRAFT,
                summary=self.data.draft_summary,
            )
            assessments.append(draft)
            ratings.append(
                (draft, {p: self._next_level(level, item) for p, level in levels.items()})
            )
        Assessment.objects.bulk_create(assessments)
        Rating.objects.bulk_create(
            Rating(
                assessment=assessment,
                principle=principle,
                level=level,
                evidence=self.rng.choice(self.data.evidence[level]),
            )
            for assessment, by_principle in ratings
            for principle, level in by_principle.items()
        )
        return assessments[-1].assessed_on

    def _start_level(self, status: Status, chosen: bool) -> int:
        level = STARTING_LEVEL[status] + (0.7 if chosen else 0) + self.rng.uniform(-0.7, 0.7)
        return max(0, min(4, round(level)))

    def _next_level(self, level: int, item: InitiativeSpec) -> int:
        """Usually a step up or steady; a stopped pilot may lose ground."""
        stopped = any(pilot.decision == PilotDecision.STOP for pilot in item.pilots)
        change = self.rng.choice((-1, 0, 0, 1) if stopped else (0, 0, 0, 1, 1))
        return max(0, min(4, level + change))

    def _moment(self, day: datetime.date) -> datetime.datetime:
        hour = self.rng.randint(8, 15)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    # Audit trail ---------------------------------------------------------------------------

    def record_audit_trail(self, municipality: Municipality) -> None:
        """A few events by the demo editor, so the audit trail is not empty."""
        editor = self.users["demo-editor"]
        initiatives = Initiative.objects.filter(municipality=municipality).order_by("id")
        for initiative in initiatives[:6]:
            audit.record(
                actor=editor,
                action="create",
                obj=initiative,
                municipality=municipality,
                changes={"title": initiative.title, "status": Status.IDEA.value},
            )
            if initiative.status != Status.IDEA:
                audit.record(
                    actor=editor,
                    action="update",
                    obj=initiative,
                    municipality=municipality,
                    changes={"status": [Status.IDEA.value, initiative.status]},
                )
        for pilot in Pilot.objects.filter(initiative__municipality=municipality).order_by("id")[:3]:
            audit.record(
                actor=editor,
                action="create",
                obj=pilot,
                municipality=municipality,
                subject=pilot.initiative,
                changes={"title": pilot.title},
            )

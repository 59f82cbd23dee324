"""Reads for processes, phases, residents and organisations, and the process's inclusion figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Prefetch,
    QuerySet,
    Sum,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roadmap.accounts.models import User
from roadmap.core.charts import DARK_TEXT, PALETTE, Chart, base_spec
from roadmap.municipalities.models import Municipality
from roadmap.municipalities.permissions import is_member

from ..models import (
    Audience,
    Organisation,
    Phase,
    Process,
    ProcessActivity,
    ResidentVerification,
)
from ..permissions import ACTIONS, Decision, action_decision

if TYPE_CHECKING:
    from roadmap.initiatives.models import Initiative

# --- phases -------------------------------------------------------------------------------


def current_phase(process: Process) -> Phase | None:
    """The phase running now (starts_at <= now < ends_at), or None between or outside phases."""
    now = timezone.now()
    return (
        process.phases.filter(starts_at__lte=now, ends_at__gt=now)
        .select_related("process")
        .order_by("starts_at")
        .first()
    )


ACTION_LABELS = {
    "propose": _("Make proposals"),
    "comment": _("Comment"),
    "support": _("Support proposals"),
    "post_notes": _("Post workshop notes"),
    "vote": _("Vote on statements"),
}
# In an opinion map, "propose" is adding statements (see permissions.ACTIONS).
STATEMENTS_LABEL = _("Add statements")
AUDIENCE_WORDS = {
    Audience.NOBODY: _("nobody"),
    Audience.ANYONE: _("anyone with an account"),
    Audience.VERIFIED: _("only residents confirmed by the municipality"),
}


@dataclass
class PhaseEntry:
    """A phase on the process's timeline: when it runs and who may do what in it."""

    phase: Phase
    state: str  # "past", "current" or "future"
    open_to: list[tuple[str, str]]  # (action, who may take it), in plain words


def _action_label(phase: Phase, action: str) -> str:
    if action == "propose" and phase.kind == Phase.Kind.OPINION_MAP:
        return str(STATEMENTS_LABEL)
    return str(ACTION_LABELS[action])


def _open_actions(phase: Phase) -> list[str]:
    """The actions this phase opens to someone; the others are not worth a line each."""
    return [action for action in ACTIONS if getattr(phase, action) != Audience.NOBODY]


def phase_timeline(process: Process) -> list[PhaseEntry]:
    """The process's phases in order, from its prefetched phases (no further queries)."""
    now = timezone.now()
    entries = []
    for phase in process.phases.all():
        if phase.ends_at <= now:
            state = "past"
        elif phase.starts_at <= now:
            state = "current"
        else:
            state = "future"
        open_to = [
            (_action_label(phase, action), str(AUDIENCE_WORDS[getattr(phase, action)]))
            for action in _open_actions(phase)
        ]
        entries.append(PhaseEntry(phase=phase, state=state, open_to=open_to))
    return entries


# Kinds of phase that take proposals (and their comments and supports); kinds that count their
# participants on their own pages (workshop notes, opinion-map votes).
PROPOSAL_KINDS = frozenset({Phase.Kind.PROPOSALS, Phase.Kind.DEBATE, Phase.Kind.SUPPORT})
DELIBERATION_KINDS = frozenset({Phase.Kind.WORKSHOP, Phase.Kind.OPINION_MAP})


@dataclass(frozen=True)
class PhaseKinds:
    proposals: bool  # some phase takes proposals: the process has a proposals page
    deliberation: bool  # some phase is a workshop or an opinion map


def phase_kinds(process: Process) -> PhaseKinds:
    """What the process's phases hold, from its prefetched phases (no further queries)."""
    kinds = {phase.kind for phase in process.phases.all()}
    return PhaseKinds(
        proposals=bool(kinds & PROPOSAL_KINDS), deliberation=bool(kinds & DELIBERATION_KINDS)
    )


@dataclass
class PhaseBanner:
    """What the current user can do in the current phase, for `_phase_banner.html`."""

    phase: Phase | None
    decisions: list[tuple[str, Decision]]  # (action label, decision)

    @property
    def needs_sign_in(self) -> bool:
        return any(decision.sign_in for _label, decision in self.decisions)


def phase_banner(process: Process, user: User | AnonymousUser) -> PhaseBanner:
    phase = current_phase(process)
    if phase is None:
        return PhaseBanner(phase=None, decisions=[])
    return PhaseBanner(
        phase=phase,
        decisions=[
            (_action_label(phase, action), action_decision(user, phase, action))
            for action in _open_actions(phase)
        ],
    )


# --- processes ----------------------------------------------------------------------------


def process_list(municipality: Municipality, user: User | AnonymousUser) -> QuerySet[Process]:
    """Published processes for everyone; drafts too for the municipality's members."""
    processes = Process.objects.filter(municipality=municipality)
    if not is_member(user, municipality):
        processes = processes.filter(is_published=True)
    return processes.prefetch_related("phases")


def process_for_page(municipality: Municipality, user: User | AnonymousUser, slug: str) -> Process:
    """A process looked up through its municipality; drafts are 404 to non-members."""
    processes = Process.objects.filter(municipality=municipality).prefetch_related(
        "categories",
        "phases",
        Prefetch("initiatives", queryset=_initiatives_shown(municipality, user)),
    )
    if not is_member(user, municipality):
        processes = processes.filter(is_published=True)
    return get_object_or_404(processes, slug=slug)


def _initiatives_shown(
    municipality: Municipality, user: User | AnonymousUser
) -> QuerySet[Initiative]:
    from roadmap.initiatives.models import Initiative

    initiatives = Initiative.objects.filter(municipality=municipality).order_by("title")
    if not is_member(user, municipality):
        initiatives = initiatives.filter(visibility="public")
    return initiatives


# --- residents and organisations ------------------------------------------------------------


def verified_residents(municipality: Municipality) -> QuerySet[ResidentVerification]:
    return (
        ResidentVerification.objects.filter(municipality=municipality)
        .select_related("user", "district", "verified_by")
        .order_by("user__username")
    )


def organisations(municipality: Municipality) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(municipality=municipality)
        .prefetch_related("members")
        .order_by("name")
    )


def organisations_of(
    user: User | AnonymousUser, municipality: Municipality
) -> QuerySet[Organisation]:
    """The partner organisations of this municipality the user may speak for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(municipality=municipality, members=user).order_by("name")


# --- inclusion figures --------------------------------------------------------------------

SUPPRESSION_THRESHOLD = 5
MAX_BUCKETS = 30
MEASURES = (
    ("participants", _("Participants")),
    ("proposals", _("Proposals")),
    ("comments", _("Comments")),
    ("supports", _("Supports")),
)


@dataclass
class ProcessFigures:
    over_time: Chart | None
    by_district: Chart | None


def shown_count(count: int) -> str:
    """A count as published: small numbers could point to people, so they are not shown."""
    if count < SUPPRESSION_THRESHOLD:
        return gettext("fewer than %(threshold)s") % {"threshold": SUPPRESSION_THRESHOLD}
    return str(count)


def _bucket_kind(first: datetime.date, last: datetime.date) -> str:
    weeks = (last - first).days // 7 + 2  # the partial weeks at both ends count too
    return "week" if weeks <= MAX_BUCKETS else "month"


def _bucket_of(kind: str, day: datetime.date) -> datetime.date:
    if kind == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day.replace(day=1)


def _bucket_starts(kind: str, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every week or month from the first to the last contribution, gaps included."""
    if kind == "week":
        start = _bucket_of(kind, first)
        return [start + datetime.timedelta(weeks=n) for n in range((last - start).days // 7 + 1)]
    months = (last.year - first.year) * 12 + last.month - first.month
    return [
        datetime.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
        for n in range(months + 1)
    ]


def _activity_by(process: Process, key: str) -> dict[Any, list[int]]:
    """The process's stored counts summed per day or per district: a few hundred rows at most."""
    sums = {name: Sum(name) for name, _label in MEASURES}
    rows = ProcessActivity.objects.filter(process=process).values(key).annotate(**sums).order_by()
    return {row[key]: [row[name] for name, _label in MEASURES] for row in rows}


def _figures_over_time(process: Process) -> Chart | None:
    by_day = {day: counts for day, counts in _activity_by(process, "day").items() if any(counts)}
    if not by_day:
        return None
    first, last = min(by_day), max(by_day)
    kind = _bucket_kind(first, last)
    buckets = _bucket_starts(kind, first, last)
    grid = {bucket: [0] * len(MEASURES) for bucket in buckets}
    for day, counts in by_day.items():
        row = grid[_bucket_of(kind, day)]
        for index, count in enumerate(counts):
            row[index] += count
    labels = [
        bucket.isoformat() if kind == "week" else bucket.strftime("%Y-%m") for bucket in buckets
    ]
    period_title = _("Week starting") if kind == "week" else _("Month")
    return _figure(
        chart_id="process-figures-time",
        caption=gettext("Participation over time"),
        description=gettext(
            "Participants are counted in the period they first took part. Counts below "
            "%(threshold)s are shown as “fewer than %(threshold)s” to protect privacy."
        )
        % {"threshold": SUPPRESSION_THRESHOLD},
        category_title=str(period_title),
        categories=labels,
        grid=[grid[bucket] for bucket in buckets],
        horizontal=False,
    )


def _figures_by_district(process: Process) -> Chart | None:
    districts = list(process.municipality.districts.order_by("name").values_list("pk", "name"))
    if not districts:
        return None
    by_district = _activity_by(process, "district_key")
    unknown = [0] * len(MEASURES)
    known = {pk for pk, _name in districts}
    # A district deleted since is counted with the unknown ones.
    for key, counts in by_district.items():
        if key not in known:
            unknown = [total + count for total, count in zip(unknown, counts, strict=True)]
    empty = [0] * len(MEASURES)
    return _figure(
        chart_id="process-figures-district",
        caption=gettext("Participation by district"),
        description=gettext(
            "Districts come from the municipality's confirmation of residents; others are in "
            "“unknown district”. Counts below %(threshold)s are shown as “fewer than "
            "%(threshold)s”."
        )
        % {"threshold": SUPPRESSION_THRESHOLD},
        category_title=gettext("District"),
        categories=[*(name for _pk, name in districts), gettext("Unknown district")],
        grid=[*(by_district.get(pk, empty) for pk, _name in districts), unknown],
        horizontal=True,
    )


def _figure(
    *,
    chart_id: str,
    caption: str,
    description: str,
    category_title: str,
    categories: list[str],
    grid: list[list[int]],
    horizontal: bool,
) -> Chart:
    """Chart and table of the four measures per category, with small counts suppressed."""
    values: list[dict[str, object]] = []
    for category, counts in zip(categories, grid, strict=True):
        for (_name, measure), count in zip(MEASURES, counts, strict=True):
            suppressed = count < SUPPRESSION_THRESHOLD
            values.append(
                {
                    "category": category,
                    "measure": str(measure),
                    # A suppressed bar is drawn at zero and labelled, never at its height.
                    "value": 0 if suppressed else count,
                    "label": "<5" if suppressed else str(count),
                }
            )
    return Chart(
        caption=caption,
        description=description,
        spec=_small_multiples_spec(values, categories, category_title, horizontal),
        columns=[category_title, *(str(label) for _name, label in MEASURES)],
        rows=[
            [category, *(shown_count(count) for count in counts)]
            for category, counts in zip(categories, grid, strict=True)
        ],
        chart_id=chart_id,
    )


def _small_multiples_spec(
    values: list[dict[str, object]], categories: list[str], category_title: str, horizontal: bool
) -> dict[str, Any]:
    """One small bar chart per measure, every bar labelled ("<5" where suppressed)."""
    measures = [str(label) for _name, label in MEASURES]
    category: dict[str, Any] = {
        "field": "category",
        "type": "ordinal" if not horizontal else "nominal",
        "sort": categories,
        "title": category_title,
    }
    value = {"field": "value", "type": "quantitative", "title": None, "axis": None}
    if horizontal:
        encoding = {"y": category, "x": value}
        label_mark = {"type": "text", "align": "left", "dx": 4, "color": DARK_TEXT}
        size = {"width": 160, "height": max(24 * len(categories), 24)}
    else:
        category["axis"] = {"labelAngle": -45}
        encoding = {"x": category, "y": value}
        label_mark = {"type": "text", "baseline": "bottom", "dy": -2, "color": DARK_TEXT}
        size = {"width": max(26 * len(categories), 120), "height": 90}
    facet = {"field": "measure", "type": "nominal", "sort": measures, "title": None}
    return base_spec(
        title={
            "text": gettext("“<5” means fewer than 5: small counts are hidden for privacy."),
            "anchor": "start",
            "fontSize": 12,
            "fontWeight": "normal",
        },
        data={"values": values},
        facet={"column" if horizontal else "row": facet},
        resolve={"scale": {"x" if horizontal else "y": "independent"}},
        spec={
            **size,
            "encoding": encoding,
            "layer": [
                {"mark": {"type": "bar", "color": PALETTE[0]}},
                {"mark": label_mark, "encoding": {"text": {"field": "label"}}},
            ],
        },
    )


def process_figures(process: Process) -> ProcessFigures:
    """Inclusion figures of a process, from its stored day-and-district counts."""
    return ProcessFigures(
        over_time=_figures_over_time(process), by_district=_figures_by_district(process)
    )

"""Reads for processes, phases, residents and organisations, and the process's inclusion figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DateTimeField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth, TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roadmap.core.charts import DARK_TEXT, PALETTE, Chart, base_spec
from roadmap.municipalities.permissions import is_member

from .models import (
    Audience,
    Comment,
    Organisation,
    Phase,
    Process,
    Proposal,
    ResidentVerification,
    Support,
    Visibility,
)
from .permissions import ACTIONS, Decision, action_decision

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
            (str(ACTION_LABELS[action]), str(AUDIENCE_WORDS[getattr(phase, action)]))
            for action in _open_actions(phase)
        ]
        entries.append(PhaseEntry(phase=phase, state=state, open_to=open_to))
    return entries


@dataclass
class PhaseBanner:
    """What the current user can do in the current phase, for `_phase_banner.html`."""

    phase: Phase | None
    decisions: list[tuple[str, Decision]]  # (action label, decision)


def phase_banner(process: Process, user) -> PhaseBanner:
    phase = current_phase(process)
    if phase is None:
        return PhaseBanner(phase=None, decisions=[])
    return PhaseBanner(
        phase=phase,
        decisions=[
            (str(ACTION_LABELS[action]), action_decision(user, phase, action))
            for action in _open_actions(phase)
        ],
    )


# --- processes ----------------------------------------------------------------------------


def process_list(municipality, user) -> QuerySet[Process]:
    """Published processes for everyone; drafts too for the municipality's members."""
    processes = Process.objects.filter(municipality=municipality)
    if not is_member(user, municipality):
        processes = processes.filter(is_published=True)
    return processes.prefetch_related("phases")


def process_for_page(municipality, user, slug: str) -> Process:
    """A process looked up through its municipality; drafts are 404 to non-members."""
    processes = Process.objects.filter(municipality=municipality).prefetch_related(
        "categories",
        "phases",
        Prefetch("initiatives", queryset=_initiatives_shown(municipality, user)),
    )
    if not is_member(user, municipality):
        processes = processes.filter(is_published=True)
    return get_object_or_404(processes, slug=slug)


def _initiatives_shown(municipality, user):
    from roadmap.initiatives.models import Initiative

    initiatives = Initiative.objects.filter(municipality=municipality).order_by("title")
    if not is_member(user, municipality):
        initiatives = initiatives.filter(visibility="public")
    return initiatives


# --- residents and organisations ------------------------------------------------------------


def verified_residents(municipality) -> QuerySet[ResidentVerification]:
    return (
        ResidentVerification.objects.filter(municipality=municipality)
        .select_related("user", "district", "verified_by")
        .order_by("user__username")
    )


def organisations(municipality) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(municipality=municipality)
        .prefetch_related("members")
        .order_by("name")
    )


def organisations_of(user, municipality) -> QuerySet[Organisation]:
    """The partner organisations of this municipality the user may speak for."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(municipality=municipality, members=user).order_by("name")


# --- inclusion figures --------------------------------------------------------------------

SUPPRESSION_THRESHOLD = 5
MAX_BUCKETS = 30
# Stands in for "no contribution" so Least/Greatest can compare times on every database.
FAR_FUTURE = datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC)
FAR_PAST = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
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


def _published_contributions(process: Process) -> dict[str, QuerySet]:
    """Only published contributions on published proposals count, with their participant."""
    published = Visibility.PUBLISHED
    return {
        "proposals": Proposal.objects.filter(process=process, visibility=published),
        "comments": Comment.objects.filter(
            proposal__process=process, proposal__visibility=published, visibility=published
        ),
        "supports": Support.objects.filter(
            proposal__process=process, proposal__visibility=published
        ),
    }


PARTICIPANT_FIELD = {"proposals": "author", "comments": "author", "supports": "user"}


def _participants(contributions: dict[str, QuerySet]) -> QuerySet:
    """Users who took part, each with the times of their first and latest contribution."""

    def edge(name: str, ordering: str, fallback: datetime.datetime):
        times = (
            contributions[name]
            .filter(**{PARTICIPANT_FIELD[name]: OuterRef("pk")})
            .order_by(ordering)
            .values("created_at")[:1]
        )
        return Coalesce(Subquery(times), Value(fallback, output_field=DateTimeField()))

    took_part = Q()
    for name, queryset in contributions.items():
        took_part |= Q(pk__in=queryset.values(PARTICIPANT_FIELD[name]))
    return (
        get_user_model()
        .objects.filter(took_part)
        .annotate(
            first_at=Least(*(edge(name, "created_at", FAR_FUTURE) for name in contributions)),
            last_at=Greatest(*(edge(name, "-created_at", FAR_PAST) for name in contributions)),
        )
        .order_by()
    )


def _bucket_kind(first: datetime.datetime, last: datetime.datetime) -> str:
    weeks = (last - first).days // 7 + 2  # the partial weeks at both ends count too
    return "week" if weeks <= MAX_BUCKETS else "month"


def _bucket_starts(kind: str, first: datetime.datetime, last: datetime.datetime) -> list:
    """Every week or month from the first to the last contribution, gaps included."""
    first, last = timezone.localtime(first).date(), timezone.localtime(last).date()
    if kind == "week":
        start = first - datetime.timedelta(days=first.weekday())
        return [start + datetime.timedelta(weeks=n) for n in range((last - start).days // 7 + 1)]
    months = (last.year - first.year) * 12 + last.month - first.month
    return [
        datetime.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
        for n in range(months + 1)
    ]


def _counts_by(queryset: QuerySet, key) -> dict:
    rows = queryset.order_by().values(key=key).annotate(count=Count("pk", distinct=True))
    return {row["key"]: row["count"] for row in rows}


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _figures_over_time(contributions, participants) -> Chart | None:
    span = participants.aggregate(first=Min("first_at"), last=Max("last_at"))
    if span["first"] is None:
        return None
    kind = _bucket_kind(span["first"], span["last"])
    trunc = TruncWeek if kind == "week" else TruncMonth
    counts = {"participants": _counts_by(participants, trunc("first_at"))}
    for name, queryset in contributions.items():
        counts[name] = _counts_by(queryset, trunc("created_at"))
    counts = {
        name: {_as_date(key): count for key, count in by_bucket.items()}
        for name, by_bucket in counts.items()
    }
    buckets = _bucket_starts(kind, span["first"], span["last"])
    labels = [
        bucket.isoformat() if kind == "week" else bucket.strftime("%Y-%m") for bucket in buckets
    ]
    period_title = _("Week starting") if kind == "week" else _("Month")
    grid = [[counts[name].get(bucket, 0) for name, _label in MEASURES] for bucket in buckets]
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
        grid=grid,
        horizontal=False,
    )


def _figures_by_district(process, contributions, participants) -> Chart | None:
    districts = list(process.municipality.districts.values_list("name", flat=True))
    if not districts:
        return None

    def district_of(user_field: str):
        return Subquery(
            ResidentVerification.objects.filter(
                municipality_id=process.municipality_id, user=OuterRef(user_field)
            ).values("district__name")[:1]
        )

    counts = {"participants": _counts_by(participants, district_of("pk"))}
    for name, queryset in contributions.items():
        counts[name] = _counts_by(queryset, district_of(PARTICIPANT_FIELD[name]))
    unknown = gettext("Unknown district")
    rows = [*districts, None]
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
        categories=[name or unknown for name in rows],
        grid=[[counts[name].get(row, 0) for name, _label in MEASURES] for row in rows],
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
    values = []
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


def _small_multiples_spec(values, categories, category_title, horizontal: bool) -> dict:
    """One small bar chart per measure, every bar labelled ("<5" where suppressed)."""
    measures = [str(label) for _name, label in MEASURES]
    category = {
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
    """Inclusion figures of a process, every count aggregated in the database."""
    contributions = _published_contributions(process)
    participants = _participants(contributions)
    return ProcessFigures(
        over_time=_figures_over_time(contributions, participants),
        by_district=_figures_by_district(process, contributions, participants),
    )

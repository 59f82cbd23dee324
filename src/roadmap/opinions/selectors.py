"""Reads for opinion maps. Each function owns its joins; none loads votes as model instances."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from roadmap.accounts.models import User
from roadmap.core.charts import PALETTE, Chart, base_spec
from roadmap.participation.models import Phase, Process
from roadmap.participation.permissions import can_moderate

from . import mapping
from .models import OpinionMap, Statement, Vote


def opinion_phase(process: Process, pk: int) -> Phase:
    """An opinion-map phase of this (already visible) process, or 404."""
    phase = get_object_or_404(
        Phase.objects.select_related("process__municipality"), process=process, pk=pk
    )
    if phase.kind != Phase.Kind.OPINION_MAP:
        raise Http404
    return phase


def statement_for_vote(phase: Phase, pk: int) -> Statement:
    """A statement of this phase to vote on (any status: the service refuses non-approved)."""
    return get_object_or_404(
        Statement.objects.select_related("phase__process__municipality"), phase=phase, pk=pk
    )


def _voted_statement_ids(phase: Phase, user: User) -> QuerySet[Vote, int]:
    return Vote.objects.filter(voter__phase=phase, voter__user=user).values_list(
        "statement_id", flat=True
    )


def next_statement(
    phase: Phase, user: User | AnonymousUser, opinion_map: OpinionMap | None
) -> Statement | None:
    """The next approved statement this user has not voted on (two queries, any data size)."""
    candidates = Statement.objects.filter(phase=phase, status=Statement.Status.APPROVED)
    if user.is_authenticated:
        candidates = candidates.exclude(pk__in=_voted_statement_ids(phase, user))
    rows = list(
        candidates.values_list(
            "pk", "agree_count", "disagree_count", "pass_count", "text", "language"
        )
    )
    if not rows:
        return None
    shown = {row[0]: row[4:] for row in rows}
    user_key = user.pk if user.is_authenticated else 0
    # Deterministic per user, phase and progress, so a reload shows the same statement.
    seed = (phase.pk * 1_000_003 + user_key) * 1_009 + len(rows)
    chosen = mapping.next_statement(
        [mapping.Candidate(row[0], row[1], row[2], row[3]) for row in rows],
        seed=seed,
        divisiveness=mapping.divisiveness(opinion_map.result) if opinion_map else None,
    )
    assert chosen is not None, "there are candidates"
    text, language = shown[chosen]
    # Built from the row already read, not fetched again.
    return Statement(pk=chosen, phase=phase, text=text, language=language)


def stored_map(phase: Phase) -> OpinionMap | None:
    return OpinionMap.objects.filter(phase=phase).first()


def progress(phase: Phase, user: User | AnonymousUser) -> tuple[int, int]:
    """(statements this user voted on, approved statements)."""
    approved = Statement.objects.filter(phase=phase, status=Statement.Status.APPROVED).count()
    if not user.is_authenticated:
        return 0, approved
    return Vote.objects.filter(voter__phase=phase, voter__user=user).count(), approved


def own_pending_statements(phase: Phase, user: User | AnonymousUser) -> list[Statement]:
    if not user.is_authenticated:
        return []
    return list(Statement.objects.filter(phase=phase, author=user, status=Statement.Status.PENDING))


def pending_statements(phase: Phase) -> QuerySet[Statement]:
    return Statement.objects.filter(phase=phase, status=Statement.Status.PENDING).order_by(
        "created_at", "id"
    )


def may_moderate(user: User | AnonymousUser, phase: Phase) -> bool:
    return can_moderate(user, phase.process.municipality)


# --- the map page -------------------------------------------------------------------------


def group_name(label: int) -> str:
    """Groups are named by letter, as in Polis: "Group A", "Group B"…"""
    return _("Group %(letter)s") % {"letter": string.ascii_uppercase[label]}


@dataclass
class FindingRow:
    statement: Statement | None  # None if the statement is no longer approved
    direction: str
    share_percent: int
    other_percent: int


@dataclass
class GroupRow:
    name: str
    size: int
    distinguishing: list[FindingRow]


@dataclass
class MapPage:
    opinion_map: OpinionMap
    groups: list[GroupRow]
    consensus: list[FindingRow]
    chart: Chart | None
    result: dict[str, Any]


CONSENSUS_SHOWN = 10


def map_page(phase: Phase) -> MapPage | None:
    """The stored map with the statements it names (two queries, whatever the data size)."""
    opinion_map = stored_map(phase)
    if opinion_map is None or not opinion_map.result:
        return None
    result = opinion_map.result
    consensus = result.get("consensus", [])[:CONSENSUS_SHOWN]
    named = {item["statement"] for item in consensus}
    for group in result.get("groups", []):
        named.update(item["statement"] for item in group["distinguishing"])
    statements = Statement.objects.filter(phase=phase, status=Statement.Status.APPROVED).in_bulk(
        named
    )

    def rows(items: list[dict[str, Any]]) -> list[FindingRow]:
        return [
            FindingRow(
                statement=statements.get(item["statement"]),
                direction=item["direction"],
                share_percent=round(100 * item["share"]),
                other_percent=round(100 * item["other_share"]),
            )
            for item in items
            if item["statement"] in statements
        ]

    groups = [
        GroupRow(
            name=group_name(group["label"]),
            size=group["size"],
            distinguishing=rows(group["distinguishing"]),
        )
        for group in result.get("groups", [])
    ]
    return MapPage(
        opinion_map=opinion_map,
        groups=groups,
        consensus=rows(consensus),
        chart=map_chart(result) if groups else None,
        result=result,
    )


# One symbol per group (Vega's names), so groups differ by shape as well as colour.
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge"]


def map_chart(result: dict[str, Any]) -> Chart:
    """Scatter of a sample of participants coloured by group, with each group's centre marked
    and labelled (so colour is never the only cue)."""
    names = [group_name(group["label"]) for group in result["groups"]]
    points = [
        {"x": x, "y": y, "group": names[label]} for x, y, label in result.get("positions", [])
    ]
    centres = [
        {
            "x": group["centroid"][0],
            "y": group["centroid"][1],
            "group": names[index],
            "label": f"{names[index]} ({group['size']})",
        }
        for index, group in enumerate(result["groups"])
    ]
    colour = {
        "field": "group",
        "type": "nominal",
        "title": _("Opinion group"),
        "scale": {"domain": names, "range": PALETTE[: len(names)]},
        "legend": {"orient": "bottom", "columns": 3, "symbolOpacity": 1, "symbolSize": 120},
    }
    # Shape is a second cue besides colour. Its scale must name symbol shapes: giving it the
    # colour scale (hex codes) left every mark without a path, i.e. an empty chart.
    shape = {
        "field": "group",
        "type": "nominal",
        "title": _("Opinion group"),
        "scale": {"domain": names, "range": SHAPES[: len(names)]},
        "legend": None,
    }
    axis_x = {"field": "x", "type": "quantitative", "title": _("First direction of opinion")}
    axis_y = {"field": "y", "type": "quantitative", "title": _("Second direction of opinion")}
    spec = base_spec(
        width=460,
        height=360,
        layer=[
            {
                "data": {"values": points},
                "mark": {"type": "point", "filled": True, "size": 30, "opacity": 0.6},
                "encoding": {"x": axis_x, "y": axis_y, "color": colour, "shape": shape},
            },
            {
                "data": {"values": centres},
                "mark": {"type": "point", "filled": True, "size": 220, "stroke": "#000"},
                "encoding": {"x": axis_x, "y": axis_y, "color": colour, "shape": shape},
            },
            {
                "data": {"values": centres},
                "mark": {"type": "text", "dy": -16, "fontWeight": "bold", "color": "#1e2b3c"},
                "encoding": {"x": axis_x, "y": axis_y, "text": {"field": "label"}},
            },
        ],
    )
    return Chart(
        caption=_(
            "Opinion groups: each dot is a participant (a sample of at most %(count)d), "
            "placed near people who voted like them; large marks are the groups' centres."
        )
        % {"count": mapping.POSITIONS_SAMPLE},
        spec=spec,
        columns=[_("Group"), _("Participants"), _("Centre (first, second direction)")],
        rows=[
            [names[index], group["size"], f"{group['centroid'][0]:.2f}, {group['centroid'][1]:.2f}"]
            for index, group in enumerate(result["groups"])
        ],
        chart_id="opinion-map",
    )

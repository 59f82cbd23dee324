"""Reads for the moderators' queue and for finding a moderated item inside a municipality."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from roadmap.accounts.models import User
from roadmap.municipalities.models import Municipality

from ..models import Block, Comment, Flag, Proposal, Visibility

QUEUE_SECTION_SIZE = 20
ITEM_KINDS = ("proposals", "comments")


def items_of(municipality: Municipality, kind: str) -> QuerySet[Proposal | Comment]:
    """Proposals or comments of the municipality's processes, each with what pages show."""
    if kind == "proposals":
        return Proposal.objects.filter(process__municipality=municipality).select_related(
            "process", "author"
        )
    if kind == "comments":
        return Comment.objects.filter(proposal__process__municipality=municipality).select_related(
            "proposal__process", "author"
        )
    raise Http404


def item_in(municipality: Municipality, kind: str, pk: int) -> Proposal | Comment:
    """One item looked up through its municipality: another municipality's ids are 404."""
    return get_object_or_404(items_of(municipality, kind), pk=pk)


def open_flags(municipality: Municipality) -> QuerySet[Flag]:
    return (
        Flag.objects.filter(resolved_at__isnull=True)
        .filter(
            Q(proposal__process__municipality=municipality)
            | Q(comment__proposal__process__municipality=municipality)
        )
        .select_related(
            "reporter",
            "proposal__process",
            "proposal__author",
            "comment__proposal__process",
            "comment__author",
        )
        .order_by("created_at", "id")
    )


def flag_in(municipality: Municipality, pk: int) -> Flag:
    return get_object_or_404(open_flags(municipality), pk=pk)


def _section(queryset: QuerySet[Any]) -> dict[str, Any]:
    """The first rows of a queue section and how many there are in all (two queries)."""
    return {"items": list(queryset[:QUEUE_SECTION_SIZE]), "total": queryset.count()}


def moderation_queue(municipality: Municipality) -> dict[str, Any]:
    """Everything a moderator acts on, oldest waiting first; a fixed number of queries."""
    return {
        "pending_proposals": _section(
            items_of(municipality, "proposals")
            .filter(visibility=Visibility.PENDING)
            .order_by("created_at", "id")
        ),
        "pending_comments": _section(
            items_of(municipality, "comments")
            .filter(visibility=Visibility.PENDING)
            .order_by("created_at", "id")
        ),
        "hidden_proposals": _section(
            items_of(municipality, "proposals")
            .filter(visibility=Visibility.HIDDEN)
            .order_by("-updated_at", "-id")
        ),
        "hidden_comments": _section(
            items_of(municipality, "comments")
            .filter(visibility=Visibility.HIDDEN)
            .order_by("-updated_at", "-id")
        ),
        "blocks": _section(
            Block.objects.filter(municipality=municipality)
            .select_related("user", "blocked_by")
            .order_by("-created_at", "-id")
        ),
    }


def blockable_user(municipality: Municipality, user_id: int) -> User:
    """A user who wrote in this municipality's processes or is blocked there; others 404,
    so moderators cannot browse accounts unrelated to their municipality."""
    involved = (
        Q(pk__in=Proposal.objects.filter(process__municipality=municipality).values("author_id"))
        | Q(
            pk__in=Comment.objects.filter(proposal__process__municipality=municipality).values(
                "author_id"
            )
        )
        | Q(pk__in=Block.objects.filter(municipality=municipality).values("user_id"))
    )
    return get_object_or_404(User.objects.filter(involved), pk=user_id)

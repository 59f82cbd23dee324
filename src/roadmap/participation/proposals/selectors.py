"""Reads for proposals, their comments and supports. Each function owns its joins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from roadmap.accounts.models import User
from roadmap.framework.models import ActionArea

from ..models import Category, Comment, Process, Proposal, Support, Visibility
from ..permissions import can_moderate, can_view_process

# Random order: sort by (id * multiplier + offset) mod a prime, a permutation of the ids for any
# multiplier in 1..PRIME-1. The product stays below 2**63 for ids up to about 4 billion, so the
# same integer expression works on SQLite and PostgreSQL and every page uses the same order.
RANDOM_PRIME = 2_147_483_647  # 2**31 - 1

SORT_NEWEST = "newest"
SORT_MOST_SUPPORTED = "supported"
SORT_RANDOM = "random"


def visible_process(municipality_slug: str, user: User | AnonymousUser, slug: str) -> Process:
    """A process of this municipality the user may see, with its municipality; otherwise 404
    (drafts stay unknown)."""
    process = get_object_or_404(
        Process.objects.select_related("municipality"),
        municipality__slug=municipality_slug,
        slug=slug,
    )
    if not can_view_process(user, process):
        raise Http404
    return process


def _visible_to(user: User | AnonymousUser, process: Process) -> Q:
    """Published and hidden proposals (hidden ones show only why), plus the viewer's own pending
    ones; moderators see every pending one too."""
    shown = Q(visibility__in=[Visibility.PUBLISHED, Visibility.HIDDEN])
    if can_moderate(user, process.municipality):
        return shown | Q(visibility=Visibility.PENDING)
    if getattr(user, "is_authenticated", False):
        return shown | Q(visibility=Visibility.PENDING, author=user)
    return shown


@dataclass(frozen=True)
class ProposalFilters:
    text: str = ""
    status: str = ""
    category: Category | None = None
    action_area: ActionArea | None = None
    sort: str = SORT_NEWEST
    random_seed: tuple[int, int] = field(default=(1, 0))


def proposal_list(
    process: Process, user: User | AnonymousUser, filters: ProposalFilters
) -> QuerySet[Proposal]:
    proposals = (
        Proposal.objects.filter(process=process)
        .filter(_visible_to(user, process))
        .select_related("author", "organisation", "category", "action_area")
        .defer("body", "body_html", "answer")
    )
    if filters.text:
        # Hidden text is not searchable: a match would reveal what the moderator removed.
        proposals = proposals.exclude(visibility=Visibility.HIDDEN).filter(
            Q(title__icontains=filters.text) | Q(body__icontains=filters.text)
        )
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    if filters.category:
        proposals = proposals.filter(category=filters.category)
    if filters.action_area:
        proposals = proposals.filter(action_area=filters.action_area)
    if filters.sort == SORT_MOST_SUPPORTED:
        return proposals.order_by("-support_count", "-created_at", "-id")
    if filters.sort == SORT_RANDOM:
        multiplier, offset = filters.random_seed
        return proposals.annotate(
            shuffle_key=(F("id") * multiplier + offset) % RANDOM_PRIME
        ).order_by("shuffle_key", "id")
    return proposals.order_by("-created_at", "-id")


def proposal_detail(process: Process, user: User | AnonymousUser, pk: int) -> Proposal:
    """A proposal of this process the user may see: pending ones only for the author and
    moderators; anything else is a 404."""
    proposal = get_object_or_404(
        Proposal.objects.filter(process=process)
        .filter(_visible_to(user, process))
        .select_related("author", "organisation", "category", "action_area", "initiative"),
        pk=pk,
    )
    proposal.process = process  # already loaded, with its municipality
    return proposal


def proposal_to_support(process: Process, pk: int) -> Proposal:
    """The proposal a support or withdrawal is about; 404 unless it is published or hidden.
    Only those ever carry supports, and they are visible to everyone, so unlike the page this
    needs no lookup of the viewer's roles (supports are the most frequent request)."""
    proposal = get_object_or_404(
        Proposal.objects.filter(
            process=process, visibility__in=[Visibility.PUBLISHED, Visibility.HIDDEN]
        ),
        pk=pk,
    )
    proposal.process = process  # already loaded, with its municipality
    return proposal


def has_supported(user: User | AnonymousUser, proposal: Proposal) -> bool:
    if not user.is_authenticated:
        return False
    return Support.objects.filter(proposal=proposal, user=user).exists()


@dataclass
class CommentNode:
    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)


# Threads (a top-level comment with its replies) per page: bounds the page however long the
# discussion grows.
THREADS_PER_PAGE = 20


def _comments_shown(proposal: Proposal, user: User | AnonymousUser) -> QuerySet[Comment]:
    """Pending comments show only to their author."""
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    return Comment.objects.filter(proposal=proposal).exclude(
        Q(visibility=Visibility.PENDING) & ~Q(author_id=user_id)
    )


def comment_threads(proposal: Proposal, user: User | AnonymousUser) -> QuerySet[Comment]:
    """The top-level comments shown to this user, oldest first: paginate these."""
    return (
        _comments_shown(proposal, user)
        .filter(parent=None)
        .select_related("author", "organisation")
        .order_by("created_at", "id")
    )


def comment_tree(
    proposal: Proposal, user: User | AnonymousUser, threads: Iterable[Comment]
) -> list[CommentNode]:
    """These top-level comments with their replies as a tree, the replies read in ONE query.

    Replies under a comment that is not shown are left out with it."""
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in threads:
        nodes[comment.pk] = CommentNode(comment)
        roots.append(nodes[comment.pk])
    replies = (
        _comments_shown(proposal, user)
        .filter(Q(parent_id__in=list(nodes)) | Q(parent__parent_id__in=list(nodes)))
        .select_related("author", "organisation")
        .order_by("depth", "created_at", "id")
    )
    for comment in replies:
        if comment.parent_id in nodes:
            nodes[comment.pk] = CommentNode(comment)
            nodes[comment.parent_id].replies.append(nodes[comment.pk])
    return roots


def thread_page_number(comment: Comment, user: User | AnonymousUser) -> int:
    """The page of `comment_threads` that shows this comment's thread."""
    root = comment
    while root.parent is not None:  # no query at the top: parent_id is None there
        root = root.parent
    earlier = (
        comment_threads(root.proposal, user)
        .filter(Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, pk__lt=root.pk))
        .count()
    )
    return earlier // THREADS_PER_PAGE + 1

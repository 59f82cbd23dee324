"""A user's opinion-map data for the account export, and what deleting the account leaves.

On deletion the statements stay without author (their text scrubbed of the user's names) and the
votes stay as anonymous data: the voter row loses its user (SET_NULL), so the map keeps the row.
"""

from __future__ import annotations

from typing import Any

from roadmap.accounts.privacy import Scrubber, as_iso

from .models import STATEMENT_MAX_LENGTH, Statement, Vote


def export_opinions(user) -> dict[str, list[dict[str, Any]]]:
    return {
        "opinion_statements": [
            {
                "id": statement.pk,
                "phase": statement.phase.title,
                "process": statement.phase.process.title,
                "text": statement.text,
                "language": statement.language,
                "status": statement.status,
                "created_at": as_iso(statement.created_at),
            }
            for statement in Statement.objects.filter(author=user)
            .select_related("phase__process")
            .order_by("created_at", "id")
        ],
        "opinion_votes": [
            {
                "statement_id": vote.statement_id,
                "statement": vote.statement.text,
                "value": vote.value,
                "created_at": as_iso(vote.created_at),
            }
            for vote in Vote.objects.filter(voter__user=user)
            .select_related("statement")
            .order_by("created_at", "id")
        ],
    }


def release_statements(user, scrubber: Scrubber) -> None:
    """The user's statements stay, without author and without their name in the text."""
    statements = list(Statement.objects.filter(author=user))
    for statement in statements:
        statement.author = None
        statement.text = scrubber.text(statement.text)[:STATEMENT_MAX_LENGTH]
    Statement.objects.bulk_update(statements, ["author", "text"])

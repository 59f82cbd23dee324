"""Opinion maps: statements, votes on them, and the stored map computed from the votes.

A vote belongs to a `Voter` (a participant in one phase), not straight to the user: when an
account is deleted the voter row stays without a user, so the votes stay in the map as anonymous
data. Vote counts shown on pages are stored on the statement and changed in the vote's
transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from roadmap.core.models import TimeStampedModel

STATEMENT_MAX_LENGTH = 280


class Statement(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    phase = models.ForeignKey(
        "participation.Phase", on_delete=models.CASCADE, related_name="statements"
    )
    # Null once the author deleted their account: the statement stays, anonymised.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPROVED
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    pass_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [models.Index(fields=["phase", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="statement_status_valid",
            ),
            models.CheckConstraint(
                condition=GreaterThan(Length(Trim("text")), 0), name="statement_text_not_blank"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), STATEMENT_MAX_LENGTH),
                name="statement_text_max_length",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def vote_count(self) -> int:
        return self.agree_count + self.disagree_count + self.pass_count


class Voter(models.Model):
    """One participant of one opinion-map phase: a row of the vote matrix."""

    phase = models.ForeignKey("participation.Phase", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["phase", "user"], name="voter_one_per_user")]

    def __str__(self) -> str:
        return f"voter {self.pk} · {self.phase_id}"


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        PASS = 0, _("Pass / unsure")
        DISAGREE = -1, _("Disagree")

    # The phase again, so the whole matrix of a phase is read without a join.
    phase = models.ForeignKey("participation.Phase", on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        indexes = [models.Index(fields=["voter", "statement"])]
        constraints = [
            models.UniqueConstraint(fields=["statement", "voter"], name="vote_one_per_voter"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.statement_id}: {self.value}"


class OpinionMap(models.Model):
    """The last computed map of a phase, and the marks that schedule the next computation."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Not computed yet")
        READY = "ready", _("Ready")
        FAILED = "failed", _("The last computation failed")

    phase = models.OneToOneField(
        "participation.Phase", on_delete=models.CASCADE, related_name="opinion_map"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    computed_at = models.DateTimeField(null=True, blank=True)
    votes_seen = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    # Set by the first vote after a computation; cleared when a computation claims the work.
    dirty_since = models.DateTimeField(null=True, blank=True)
    # Set while a computation runs, so a second worker does not start the same one.
    computing_since = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "ready", "failed"]),
                name="opinion_map_status_valid",
            )
        ]

    def __str__(self) -> str:
        return str(self.phase)

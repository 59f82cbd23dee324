"""Co-creation: organisation (municipality) → process → phase → what participants may do there.

Counts shown on pages (supports, comments) are stored on the proposal and changed in the same
transaction as the rows they count, so a page never counts rows to show a number.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from roadmap.core.models import TimeStampedModel


class Process(TimeStampedModel):
    """A participatory process run by a municipality, optionally about some initiatives."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="processes"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    summary = models.CharField(_("summary"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    # What personal data the process collects and why (shown on every page of the process).
    data_statement = models.TextField(_("what data we collect and why"))
    initiatives = models.ManyToManyField(
        "initiatives.Initiative",
        related_name="processes",
        blank=True,
        verbose_name=_("initiatives"),
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("participatory process")
        verbose_name_plural = _("participatory processes")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="process_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title


class Category(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    """Who may take an action in a phase."""

    NOBODY = "nobody", _("Nobody (closed)")
    ANYONE = "anyone", _("Anyone with an account")
    VERIFIED = "verified", _("Verified residents only")


class Phase(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        PROPOSALS = "proposals", _("Proposals")
        DEBATE = "debate", _("Debate")
        SUPPORT = "support", _("Support")
        WORKSHOP = "workshop", _("Workshop")
        OPINION_MAP = "opinion_map", _("Opinion map")
        RESULTS = "results", _("Results")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    propose = models.CharField(
        _("who may propose"), max_length=10, choices=Audience.choices, default=Audience.NOBODY
    )
    comment = models.CharField(
        _("who may comment"), max_length=10, choices=Audience.choices, default=Audience.NOBODY
    )
    support = models.CharField(
        _("who may support"), max_length=10, choices=Audience.choices, default=Audience.NOBODY
    )
    post_notes = models.CharField(
        _("who may post workshop notes"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.NOBODY,
    )
    vote = models.CharField(
        _("who may vote on statements"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.NOBODY,
    )
    anonymous_notes = models.BooleanField(
        _("workshop notes are anonymous"),
        default=False,
        help_text=_("Notes are shown without the name of the person who wrote them."),
    )
    hold_statements = models.BooleanField(
        _("hold new statements for moderation"),
        default=False,
        help_text=_("New opinion-map statements are shown only after a moderator approves them."),
    )

    class Meta:
        ordering = ["order", "starts_at", "id"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="phase_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(propose__in=Audience.values)
                & Q(comment__in=Audience.values)
                & Q(support__in=Audience.values)
                & Q(post_notes__in=Audience.values)
                & Q(vote__in=Audience.values),
                name="phase_audiences_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ResidentVerification(TimeStampedModel):
    """The municipality confirmed that this user is a resident (optionally of a district)."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="verified_residents"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifications"
    )
    district = models.ForeignKey(
        "municipalities.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verified resident")
        verbose_name_plural = _("verified residents")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"], name="verification_unique_resident"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.municipality}"


class Organisation(TimeStampedModel):
    """A partner organisation that takes part as such (business, academia, voluntary sector)."""

    class Sector(models.TextChoices):
        BUSINESS = "business", _("Business")
        ACADEMIA = "academia", _("Academia")
        VOLUNTARY = "voluntary", _("Voluntary sector")

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=160)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organisations",
        blank=True,
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organisation_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTED = "implemented", _("Implemented")


class Visibility(models.TextChoices):
    """Moderation state of a contribution."""

    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Waiting for approval")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Contribution(TimeStampedModel):
    """What proposals and comments share: an author (or organisation), text and moderation."""

    # Null once the author deleted their account: the text stays as "deleted participant".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text"))
    # Markdown rendered and sanitised (nh3) when saved; templates show this, never `body`.
    body_html = models.TextField(editable=False)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    moderation_reason = models.TextField(_("reason given by the moderator"), blank=True)

    class Meta:
        abstract = True


class Proposal(Contribution):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="proposals")
    # RESTRICT, not PROTECT: a phase with proposals can't be deleted alone, but deleting the
    # process (or municipality) takes both.
    phase = models.ForeignKey(Phase, on_delete=models.RESTRICT, related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    action_area = models.ForeignKey(
        "framework.ActionArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action area"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("category"),
    )
    location_name = models.CharField(_("location"), max_length=160, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    answer = models.TextField(_("the municipality's answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The initiative that carries out an accepted proposal.
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_proposals",
        verbose_name=_("initiative that carries it out"),
    )
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["process", "visibility", "-created_at"]),
            models.Index(fields=["process", "visibility", "-support_count"]),
            models.Index(fields=["process", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="proposal_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Comment(Contribution):
    MAX_DEPTH = 2  # replies go two levels deep

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        # The page reads a proposal's threads (parent IS NULL) in order, then their replies.
        indexes = [models.Index(fields=["proposal", "parent", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(depth__lte=2), name="comment_depth_at_most_2"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="comment_depth_matches_parent",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="comment_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="support_one_per_user")
        ]
        indexes = [models.Index(fields=["user", "proposal"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal}"


class Flag(TimeStampedModel):
    """A signed-in user's report of a proposal or comment, for the moderators' queue."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, comment__isnull=True)
                | Q(proposal__isnull=True, comment__isnull=False),
                name="flag_targets_one_item",
            ),
        ]

    def __str__(self) -> str:
        return self.reason[:80]


class Block(TimeStampedModel):
    """A user blocked from taking part in a municipality's processes."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="blocks"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("blocked user")
        verbose_name_plural = _("blocked users")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "user"], name="block_unique_user")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Notification(models.Model):
    """A message in the platform for one user, e-mailed by their chosen frequency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["emailed_at", "user"]),
        ]

    def __str__(self) -> str:
        return self.message[:80]


class ProcessParticipant(models.Model):
    """That a user took part in a process, and when first: the figures count each person once.

    Any contribution counts (proposal, comment or support, whatever moderators decide later);
    the row is written in the same transaction as the user's first contribution.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="process_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.process_id} since {self.first_day}"


class ProcessActivity(models.Model):
    """Counts of a process's published contributions per local day and district.

    The process page draws its inclusion figures from these few rows instead of counting
    millions of contributions per request. Every write that adds, removes, hides or restores a
    contribution moves them in its own transaction; `rebuild_process_activity` recounts them.
    `district_key` is the district's id, or 0 for people without a known district (a nullable
    column would let two "unknown" rows slip past the unique constraint).
    """

    UNKNOWN_DISTRICT = 0

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="activity")
    day = models.DateField()
    district_key = models.PositiveIntegerField(default=UNKNOWN_DISTRICT)
    participants = models.IntegerField(default=0)
    proposals = models.IntegerField(default=0)
    comments = models.IntegerField(default=0)
    supports = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "day", "district_key"], name="process_activity_bucket"
            )
        ]

    def __str__(self) -> str:
        return f"{self.process_id} {self.day} district {self.district_key}"

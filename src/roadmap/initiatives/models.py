from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from roadmap.core.models import TimeStampedModel


class Status(models.TextChoices):
    """The lifecycle of an initiative, in order."""

    IDEA = "idea", _("Idea")
    PLANNED = "planned", _("Planned")
    PILOTING = "piloting", _("Piloting")
    SCALING = "scaling", _("Scaling")
    OPERATION = "operation", _("In operation")
    ENDED = "ended", _("Ended")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal to the municipality")


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    BUSINESS = "business", _("Business")
    ACADEMIA = "academia", _("Academia")
    VOLUNTARY = "voluntary", _("Voluntary sector")
    INHABITANTS = "inhabitants", _("Inhabitants")


class PilotDecision(models.TextChoices):
    PENDING = "", _("Not decided yet")
    SCALE = "scale", _("Scale")
    ADJUST = "adjust", _("Adjust")
    STOP = "stop", _("Stop")


class BarrierStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATED = "mitigated", _("Mitigated")
    OVERCOME = "overcome", _("Overcome")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class Initiative(TimeStampedModel):
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="initiatives"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("lifecycle status"), max_length=20, choices=Status.choices, default=Status.IDEA
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    action_areas = models.ManyToManyField(
        "framework.ActionArea",
        related_name="initiatives",
        blank=True,
        verbose_name=_("action areas"),
    )
    purposes = models.ManyToManyField(
        "framework.Purpose", related_name="initiatives", blank=True, verbose_name=_("purposes")
    )
    principles = models.ManyToManyField(
        "framework.Principle", related_name="initiatives", blank=True, verbose_name=_("principles")
    )
    # UN Sustainable Development Goals by number, 1–17.
    sdg_goals = models.JSONField(_("SDG goals"), default=list, blank=True)
    location_name = models.CharField(_("location"), max_length=160, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        indexes = [
            models.Index(fields=["municipality", "-updated_at"]),
            models.Index(fields=["municipality", "status"]),
            # Public initiatives of one municipality; both equality columns first, so SQLite picks
            # it over the network-wide index below even without planner statistics.
            models.Index(fields=["municipality", "visibility", "-updated_at"]),
            # Public initiatives across the network, newest first (principle pages).
            models.Index(fields=["visibility", "-updated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="initiative_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="initiative_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="initiative_budget_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="initiative_location_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class Partner(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="partners")
    organisation = models.CharField(_("organisation"), max_length=160)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    role = models.CharField(_("role"), max_length=160, blank=True)

    class Meta:
        ordering = ["organisation", "id"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        indexes = [models.Index(fields=["sector", "initiative"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="partner_sector_valid"
            ),
            models.UniqueConstraint(
                fields=["initiative", "organisation"], name="partner_unique_per_initiative"
            ),
        ]

    def __str__(self) -> str:
        return self.organisation


class Pilot(TimeStampedModel):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="pilots")
    title = models.CharField(_("title"), max_length=200)
    hypothesis = models.TextField(_("hypothesis"))
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=PilotDecision.choices, default="", blank=True
    )

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=PilotDecision.values), name="pilot_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="pilot_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BarrierEncounter(TimeStampedModel):
    """A barrier an initiative met: from the catalogue or described freely."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="barriers_met"
    )
    barrier = models.ForeignKey(
        "framework.Barrier",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="encounters",
        verbose_name=_("barrier from the catalogue"),
    )
    description = models.TextField(_("description"), blank=True)
    mitigation = models.TextField(_("mitigation"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BarrierStatus.choices, default=BarrierStatus.OPEN
    )

    class Meta:
        ordering = ["status", "id"]
        verbose_name = _("barrier met")
        verbose_name_plural = _("barriers met")
        indexes = [models.Index(fields=["initiative", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(barrier__isnull=False) | ~Q(description=""),
                name="barrier_encounter_has_barrier_or_text",
            ),
            models.CheckConstraint(
                condition=Q(status__in=BarrierStatus.values),
                name="barrier_encounter_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.barrier) if self.barrier_id else self.description[:80]


class Lesson(TimeStampedModel):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="lessons")
    text = models.TextField(_("lesson learned"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")

    def __str__(self) -> str:
        return self.text[:80]


class Assessment(TimeStampedModel):
    """A dated rating of an initiative against the principles. All assessments are kept."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="assessments")
    # Copied from the initiative so portfolio aggregates need no join through initiatives.
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assessed_on = models.DateField(_("assessment date"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    # The newest final assessment of its initiative; maintained by the finalise service.
    is_latest = models.BooleanField(default=False)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["initiative", "status", "-assessed_on"]),
            models.Index(fields=["municipality", "is_latest"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values),
                name="assessment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="final", finalised_at__isnull=False)
                | Q(status="draft", finalised_at__isnull=True, is_latest=False),
                name="assessment_final_has_timestamp",
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=Q(is_latest=True),
                name="assessment_one_latest_per_initiative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.assessed_on}"


class Rating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    # RESTRICT: a principle with ratings cannot be deleted on its own, but deleting a whole
    # municipality (its local principles and its assessments together) still works.
    principle = models.ForeignKey(
        "framework.Principle", on_delete=models.RESTRICT, related_name="ratings"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    evidence = models.TextField(_("evidence"), blank=True)
    # Supporting links, one URL per line.
    links = models.TextField(_("links"), blank=True)

    class Meta:
        ordering = ["principle__order", "principle__code"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "principle"], name="rating_unique_principle"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=0, level__lte=4), name="rating_level_0_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.principle}: {self.level}"

"""Impact indicators: the U4SSC catalogue, municipalities' own indicators, observations,
targets, import batches and the initiatives that claim to move an indicator.

Shared catalogue rows have no municipality and come from data/u4ssc.yaml (loader.py); rows with
a municipality are its own indicators. Scores are never stored: scoring.py derives them from an
observation and its target, so they always follow the documented method.
"""

import datetime
import os
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from roadmap.core.models import TimeStampedModel


class Dimension(models.TextChoices):
    ECONOMY = "EC", _("Economy")
    ENVIRONMENT = "EN", _("Environment")
    SOCIETY = "SC", _("Society and culture")


class SubDimension(models.TextChoices):
    ICT = "EC-ICT", _("ICT")
    PRODUCTIVITY = "EC-P", _("Productivity")
    INFRASTRUCTURE = "EC-I", _("Infrastructure")
    ENVIRONMENT = "EN-EN", _("Environment")
    ENERGY = "EN-E", _("Energy")
    EDUCATION_HEALTH_CULTURE = "SC-EH", _("Education, health and culture")
    SAFETY_HOUSING_INCLUSION = "SC-SH", _("Safety, housing and social inclusion")
    LOCAL = "local", _("Local")


class Level(models.TextChoices):
    CORE = "core", _("Core")
    ADVANCED = "advanced", _("Advanced")
    LOCAL = "local", _("Local")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")
    TARGET = "target", _("Closest to an ideal value is best")
    CONTEXT = "context", _("Context only, not scored")


class Quality(models.TextChoices):
    """The six data-quality grades of the U4SSC data collection template."""

    MEASURED = "measured", _("Based on accurate measurements")
    SURVEY = "survey", _("Extrapolated from a survey of inhabitants")
    HIGHER_LEVEL = "higher-level", _("Extrapolated from higher-level data")
    ASSUMPTIONS = "assumptions", _("Estimate based on assumptions")
    PERSONAL = "personal", _("Personal estimate")
    UNKNOWN = "unknown", _("Unknown or untraceable method")


class Granularity(models.TextChoices):
    YEAR = "year", _("Year")
    MONTH = "month", _("Month")
    DAY = "day", _("Day")


class CatalogueRelease(models.Model):
    """Which version of the catalogue file is loaded, so loading is idempotent and visible."""

    version = models.CharField(max_length=20, unique=True)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.version


class IndicatorCategory(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator category")
        verbose_name_plural = _("indicator categories")

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_indicators",
        verbose_name=_("municipality"),
    )
    code = models.CharField(_("code"), max_length=40)
    slug = models.SlugField(_("short name in addresses"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))
    formula = models.TextField(_("formula"), blank=True)
    dimension = models.CharField(_("dimension"), max_length=2, choices=Dimension.choices)
    sub_dimension = models.CharField(_("sub-dimension"), max_length=8, choices=SubDimension.choices)
    category = models.ForeignKey(
        IndicatorCategory,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("category"),
    )
    level = models.CharField(_("core or advanced"), max_length=10, choices=Level.choices)
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.CharField(_("better direction"), max_length=10, choices=Direction.choices)
    ideal_value = models.FloatField(_("ideal value"), null=True, blank=True)
    min_value = models.FloatField(_("lowest plausible value"), null=True, blank=True)
    max_value = models.FloatField(_("highest plausible value"), null=True, blank=True)
    sdg_targets = models.JSONField(_("SDG targets"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # The default mapping to the roadmap; a municipality may replace it (MappingAdjustment).
    purposes = models.ManyToManyField(
        "framework.Purpose", related_name="indicators", blank=True, verbose_name=_("purposes")
    )
    action_areas = models.ManyToManyField(
        "framework.ActionArea",
        related_name="indicators",
        blank=True,
        verbose_name=_("action areas"),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(municipality__isnull=True),
                name="indicator_shared_code",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(municipality__isnull=True),
                name="indicator_shared_slug",
            ),
            models.UniqueConstraint(fields=["municipality", "code"], name="indicator_local_code"),
            models.UniqueConstraint(fields=["municipality", "slug"], name="indicator_local_slug"),
            models.CheckConstraint(
                condition=Q(municipality__isnull=True) & ~Q(level="local")
                | Q(municipality__isnull=False, level="local"),
                name="indicator_local_iff_municipality",
            ),
            models.CheckConstraint(
                condition=~Q(direction="target") | Q(ideal_value__isnull=False),
                name="indicator_target_direction_has_ideal",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="indicator_min_not_above_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_percentage(self) -> bool:
        return self.unit.startswith("%")


class SubIndicator(models.Model):
    """A part of a multi-value KPI (a pollutant, a transport mode), written in the wild as
    "<code> - <key>" (`EN: EN: AQ: 1C - pm_2.5`). Its observations are the indicator's
    observations in the series `series`; its unit may differ from the indicator's (Open Data
    counts datasets and gives a percentage)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="sub_indicators"
    )
    key = models.CharField(_("key"), max_length=40)
    series = models.CharField(_("series"), max_length=60)
    unit = models.CharField(_("unit"), max_length=60)
    min_value = models.FloatField(_("lowest plausible value"), null=True, blank=True)
    max_value = models.FloatField(_("highest plausible value"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["indicator", "order"]
        verbose_name = _("sub-indicator")
        verbose_name_plural = _("sub-indicators")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "key"], name="sub_indicator_key"),
            models.UniqueConstraint(fields=["indicator", "series"], name="sub_indicator_series"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} - {self.key}"


class UpdateFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    EVERY_OTHER_YEAR = "every-other-year", _("Every other year")
    OTHER = "other", _("Other")


class EvaluationLevel(models.TextChoices):
    """Where in the chain from resources to effects an indicator measures (KS's levels)."""

    INPUT = "input", _("Input")
    ACTIVITY = "activity", _("Activity")
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")


class Impact(models.TextChoices):
    """KS's triple bottom line."""

    PEOPLE = "people", _("People")
    PLANET = "planet", _("Planet")
    PROSPERITY = "prosperity", _("Prosperity")


class NationalConcept(models.Model):
    """A concept of KS's national U4SSC vocabulary (data.norge.no) and the catalogue KPI it
    matches: the whole KPI (series "") or one sub-indicator's series. Loaded by
    vocabulary.load_national_vocabulary, with what KS adds to the ITU definition."""

    uri = models.URLField(_("concept URI"), max_length=200, unique=True)
    notation = models.CharField(_("KS notation"), max_length=60)
    title = models.CharField(_("KS title"), max_length=200)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="national_concepts"
    )
    series = models.CharField(_("series"), max_length=60, blank=True, default="")
    sdg_goals = models.JSONField(_("SDG goals"), default=list, blank=True)
    update_frequency = models.CharField(
        _("update frequency"), max_length=20, choices=UpdateFrequency.choices
    )
    quality_class = models.PositiveSmallIntegerField(_("quality class"))
    evaluation_level = models.CharField(
        _("evaluation level"), max_length=10, choices=EvaluationLevel.choices
    )
    impact = models.CharField(_("impact"), max_length=10, choices=Impact.choices)

    class Meta:
        ordering = ["indicator", "series"]
        verbose_name = _("national concept")
        verbose_name_plural = _("national concepts")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "series"], name="national_concept_per_series"
            ),
            models.CheckConstraint(
                condition=Q(quality_class__gte=1, quality_class__lte=3),
                name="national_concept_quality_class_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return self.uri


class MappingAdjustment(models.Model):
    """A municipality's own mapping of one indicator to purposes and action areas."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="adjustments")
    purposes = models.ManyToManyField(
        "framework.Purpose", related_name="+", blank=True, verbose_name=_("purposes")
    )
    action_areas = models.ManyToManyField(
        "framework.ActionArea", related_name="+", blank=True, verbose_name=_("action areas")
    )

    class Meta:
        verbose_name = _("mapping adjustment")
        verbose_name_plural = _("mapping adjustments")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "indicator"], name="mapping_adjustment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} · {self.indicator}"


def import_source_path(batch: "ImportBatch", filename: str) -> str:
    """imports/<municipality>/<year>/<random token>/<name>. The token keeps uploads apart and
    their paths unguessable; the name keeps only ASCII letters, digits and hyphens of the
    original (any folders in it dropped), so it is safe as a path and as an S3 key."""
    stem, extension = os.path.splitext(PurePosixPath(filename.replace("\\", "/")).name)
    name = slugify(stem)[:80] or "upload"
    if extension := slugify(extension)[:10]:
        name = f"{name}.{extension}"
    year = timezone.localdate().year
    return f"imports/{batch.municipality.slug}/{year}/{get_random_string(20)}/{name}"


class ImportBatch(TimeStampedModel):
    """An uploaded file between preview and commit. The parsed rows wait here, not in memory,
    so any app process can commit them. A large file is checked and committed by background
    tasks (indicators.tasks), during which the batch is CHECKING or COMMITTING."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        PREVIEW = "preview", _("Waiting for confirmation")
        COMMITTING = "committing", _("Writing the observations")
        COMMITTED = "committed", _("Committed")
        REFUSED = "refused", _("Refused")

    IN_PROGRESS = (Status.CHECKING, Status.COMMITTING)
    # Far beyond the longest measured background run (a million rows: under a minute), so a
    # batch still in progress after it has lost its task (see is_abandoned).
    GIVEN_UP_AFTER = datetime.timedelta(minutes=15)

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    # The uploaded original, as provenance; never at a public address (views.import_source
    # streams it to the municipality's editors). Empty for files over the size limit.
    source = models.FileField(
        _("uploaded file"), upload_to=import_source_path, max_length=255, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Valid rows column by column: one list per imports.ROW_FIELDS entry (empty once
    # committed); problems as {"row", "column", "message"}.
    columns = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["checking", "preview", "committing", "committed", "refused"]
                ),
                name="import_batch_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def is_abandoned(self) -> bool:
        """Still checking or committing long after its task should have finished: the task
        never ran or died where no one reran it, so the person is told to upload again."""
        return self.is_in_progress and timezone.now() - self.updated_at > self.GIVEN_UP_AFTER

    @property
    def has_failed(self) -> bool:
        """Nothing was or will be saved: refused, given up, or checked and found wrong."""
        return (
            self.status == self.Status.REFUSED
            or self.is_abandoned
            or (self.status == self.Status.PREVIEW and bool(self.summary.get("problems")))
        )

    @property
    def outcome(self) -> str:
        """The status as the editor reads it: a file with problems waits for no confirmation."""
        if self.is_abandoned:
            return str(_("Did not finish"))
        if self.status == self.Status.PREVIEW and self.summary.get("problems"):
            return str(_("Has problems; nothing was saved"))
        return str(self.get_status_display())


class Observation(models.Model):
    # No single-column indexes on the foreign keys: the unique constraint starts with the
    # municipality and observation_by_indicator with the indicator, and every extra index
    # slows million-row imports. Batches are never deleted by the application, so the batch
    # link (which rows an import wrote) needs no index either.
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    # A part of a multi-part indicator (a pollutant, a transport mode); "" for the whole.
    series = models.CharField(_("series"), max_length=60, blank=True, default="")
    granularity = models.CharField(
        _("period type"), max_length=5, choices=Granularity.choices, default=Granularity.YEAR
    )
    # The first day of the period: 1 January for a year, the 1st for a month.
    period = models.DateField(_("period"))
    value = models.FloatField(_("value"))
    source = models.CharField(_("source"), max_length=200, blank=True, default="")
    quality = models.CharField(
        _("data quality"), max_length=15, choices=Quality.choices, blank=True, default=""
    )
    note = models.TextField(_("note"), blank=True, default="")
    verified = models.BooleanField(_("verified"), default=False)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["indicator", "series", "period"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "indicator", "series", "granularity", "period"],
                name="observation_unique_period",
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"], name="observation_by_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"

    @property
    def period_label(self) -> str:
        if self.granularity == Granularity.YEAR:
            return f"{self.period:%Y}"
        if self.granularity == Granularity.MONTH:
            return f"{self.period:%Y-%m}"
        return self.period.isoformat()


class Target(TimeStampedModel):
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.FloatField(_("target value"))
    target_year = models.PositiveSmallIntegerField(_("target year"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "indicator"], name="target_unique"),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(baseline_year__lte=models.F("target_year")),
                name="target_baseline_not_after_target",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True, baseline_year__isnull=True)
                | Q(baseline_value__isnull=False, baseline_year__isnull=False),
                name="target_baseline_value_and_year_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.target_value} ({self.target_year})"


class ExpectedEffect(models.TextChoices):
    INCREASE = "increase", _("Expected to increase")
    DECREASE = "decrease", _("Expected to decrease")


class InitiativeIndicator(models.Model):
    """An initiative's claim that it moves an indicator, and which way."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="indicator_claims"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="claims")
    effect = models.CharField(_("expected effect"), max_length=10, choices=ExpectedEffect.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator__order", "indicator__code"]
        verbose_name = _("indicator claimed by an initiative")
        verbose_name_plural = _("indicators claimed by initiatives")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "indicator"], name="initiative_indicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} → {self.indicator.code}"

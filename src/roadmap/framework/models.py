"""The Nordic Smart City Roadmap as data.

Rows with no municipality belong to the shared roadmap and are loaded from the versioned
data file (framework/data/roadmap.yaml); rows with a municipality are that municipality's
local additions. Text fields are translated with modeltranslation (see translation.py).
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # modeltranslation swaps the translated models' managers at runtime; the stubs' plugin
    # resolves their related managers (municipality.local_principles, ...) only if the
    # manager's module is loaded. Once here covers every app.
    import modeltranslation.manager  # noqa: F401


class FrameworkRelease(models.Model):
    """Which version of the data file is loaded, so loading is idempotent and visible."""

    version = models.CharField(max_length=20, unique=True)
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.version


class OrderedEntry(models.Model):
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=160)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Value(OrderedEntry):
    description = models.TextField(_("description"), blank=True)

    class Meta(OrderedEntry.Meta):
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [models.UniqueConstraint(fields=["code"], name="value_unique_code")]


class Purpose(OrderedEntry):
    """One of the five purposes/qualities: liveable, dynamic, inclusive, green, resilient."""

    description = models.TextField(_("description"), blank=True)
    replaces = models.CharField(_("the state it replaces"), max_length=120, blank=True)

    class Meta(OrderedEntry.Meta):
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")
        constraints = [models.UniqueConstraint(fields=["code"], name="purpose_unique_code")]


class ActionArea(OrderedEntry):
    scope = models.TextField(_("scope"), blank=True)

    class Meta(OrderedEntry.Meta):
        verbose_name = _("action area")
        verbose_name_plural = _("action areas")
        constraints = [models.UniqueConstraint(fields=["code"], name="action_area_unique_code")]


class Principle(OrderedEntry):
    class Source(models.TextChoices):
        ROADMAP = "roadmap", _("Stated in the Nordic roadmap's approach")
        NORWEGIAN = "norwegian", _("From the Norwegian roadmap's eight principles")
        DERIVED = "derived", _("Derived by this platform from the roadmap")
        LOCAL = "local", _("Added by the municipality")

    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_principles",
        verbose_name=_("municipality"),
    )
    summary = models.TextField(_("summary"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_note = models.TextField(_("where it comes from"), blank=True)
    action_areas = models.ManyToManyField(
        ActionArea, related_name="principles", verbose_name=_("action areas")
    )

    class Meta(OrderedEntry.Meta):
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(municipality__isnull=True),
                name="principle_unique_shared_code",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"], name="principle_unique_local_code"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(municipality__isnull=True) & ~models.Q(source="local")
                    | models.Q(municipality__isnull=False, source="local")
                ),
                name="principle_local_iff_municipality",
            ),
        ]


class GuidingQuestion(models.Model):
    principle = models.ForeignKey(
        Principle, on_delete=models.CASCADE, related_name="guiding_questions"
    )
    text = models.TextField(_("question"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")

    def __str__(self) -> str:
        return self.text


class MaturityLevel(models.Model):
    """One step of a principle's 0–4 maturity scale, with what that level looks like."""

    principle = models.ForeignKey(
        Principle, on_delete=models.CASCADE, related_name="maturity_levels"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    descriptor = models.TextField(_("descriptor"))

    class Meta:
        ordering = ["level"]
        verbose_name = _("maturity level")
        verbose_name_plural = _("maturity levels")
        constraints = [
            models.UniqueConstraint(fields=["principle", "level"], name="maturity_unique_level"),
            models.CheckConstraint(
                condition=models.Q(level__gte=0, level__lte=4), name="maturity_level_0_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.descriptor}"


class BarrierCategory(OrderedEntry):
    description = models.TextField(_("description"), blank=True)

    class Meta(OrderedEntry.Meta):
        verbose_name = _("barrier category")
        verbose_name_plural = _("barrier categories")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="barrier_category_unique_code")
        ]


class Barrier(OrderedEntry):
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_barriers",
        verbose_name=_("municipality"),
    )
    category = models.ForeignKey(
        BarrierCategory,
        on_delete=models.PROTECT,
        related_name="barriers",
        verbose_name=_("category"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta(OrderedEntry.Meta):
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(municipality__isnull=True),
                name="barrier_unique_shared_code",
            ),
            models.UniqueConstraint(
                fields=["municipality", "code"], name="barrier_unique_local_code"
            ),
        ]

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from roadmap.core.models import TimeStampedModel


class Country(models.TextChoices):
    NORWAY = "NO", _("Norway")
    SWEDEN = "SE", _("Sweden")
    DENMARK = "DK", _("Denmark")
    FINLAND = "FI", _("Finland")
    ICELAND = "IS", _("Iceland")
    FAROE_ISLANDS = "FO", _("Faroe Islands")
    GREENLAND = "GL", _("Greenland")
    ALAND = "AX", _("Åland")
    OTHER = "XX", _("Other")


# Brønnøysundregistrene's check digit: modulus 11 over the first eight digits with these weights.
ORGANISATION_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def validate_organisation_number(value: str) -> None:
    """A Norwegian organisation number: nine digits, the last a valid modulus 11 check digit."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("An organisation number is nine digits, like 974760673."), code="format"
        )
    weighted = zip(value, ORGANISATION_NUMBER_WEIGHTS, strict=False)
    remainder = sum(int(digit) * weight for digit, weight in weighted) % 11
    check = (11 - remainder) % 11
    if check == 10 or check != int(value[8]):
        raise ValidationError(
            _("%(value)s is not a valid organisation number: its check digit does not match."),
            code="check_digit",
            params={"value": value},
        )


class DataLicence(models.TextChoices):
    """The licences a municipality may publish its open data under, as EU licence URIs."""

    NLOD_2_0 = (
        "http://publications.europa.eu/resource/authority/licence/NLOD_2_0",
        _("Norwegian Licence for Open Government Data (NLOD) 2.0"),
    )
    CC_BY_4_0 = (
        "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
        _("Creative Commons Attribution 4.0 International (CC BY 4.0)"),
    )


class Municipality(TimeStampedModel):
    """The tenant: every municipal row carries it and every page query is scoped by it."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    # Languages the municipality publishes in, as language codes (e.g. ["nb", "en"]).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The national statistics office's municipality number (Norway 0301, Sweden 0180,
    # Finland 091): how a statistics-office export names the municipality's rows.
    region_code = models.CharField(_("statistics region code"), max_length=10, blank=True)
    # The publisher of the municipality's open data, as the data catalogue names it.
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Nine digits, from the Central Coordinating Register for Legal Entities."),
    )
    contact_email = models.EmailField(
        _("contact e-mail for open data"),
        blank=True,
        help_text=_("Where people who reuse the data can ask about it."),
    )
    website = models.URLField(_("website"), blank=True)
    data_licence = models.CharField(
        _("data licence"),
        max_length=100,
        choices=DataLicence.choices,
        default=DataLicence.NLOD_2_0,
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation_number="")
                | models.Q(organisation_number__regex=r"^[0-9]{9}$"),
                name="municipality_organisation_number_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(data_licence__in=DataLicence.values),
                name="municipality_data_licence_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts"
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="district_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    EDITOR = "editor", _("Editor")
    ASSESSOR = "assessor", _("Assessor")
    MODERATOR = "moderator", _("Moderator")


class Membership(TimeStampedModel):
    """A role a user holds in one municipality. A user may hold several roles there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.municipality} · {self.get_role_display()}"

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

# The date of the terms of use and privacy notice (roadmap.information) that sign-up asks
# people to accept; change it when their text changes, so each account records which it accepted.
TERMS_VERSION = "2026-12-03"


class User(AbstractUser):
    """The platform's user; roles are per municipality (see municipalities.Membership)."""

    email = models.EmailField(_("e-mail address"))
    display_name = models.CharField(_("display name"), max_length=120, blank=True)

    class NotificationFrequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DAILY = "daily", _("Daily digest")
        NONE = "none", _("No e-mail")

    notification_frequency = models.CharField(
        _("e-mail notifications"),
        max_length=10,
        choices=NotificationFrequency.choices,
        default=NotificationFrequency.IMMEDIATE,
    )
    language = models.CharField(
        _("preferred language"), max_length=8, blank=True, choices=settings.ALL_LANGUAGES
    )

    # Only self-service accounts wait: staff, the demo and commands create confirmed ones.
    awaiting_email_confirmation = models.BooleanField(
        _("e-mail address not yet confirmed"), default=False
    )
    terms_version = models.CharField(_("terms of use accepted"), max_length=20, blank=True)
    terms_accepted_at = models.DateTimeField(_("terms of use accepted at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=Q(terms_version="", terms_accepted_at__isnull=True)
                | (~Q(terms_version="") & Q(terms_accepted_at__isnull=False)),
                name="user_terms_version_with_date",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

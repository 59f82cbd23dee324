from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

"""A municipality's own text for an information page that differs between municipalities.

Without a row the page shows the default text in roadmap.information.defaults, in the reader's
language. The terms of use and the help pages are the platform's and are not kept here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from roadmap.municipalities.models import Municipality


class PageKind(models.TextChoices):
    ABOUT = "about", _("About")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    PRIVACY = "privacy", _("Privacy notice")
    CONTACT = "contact", _("Contact")


class MunicipalPage(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="information_pages"
    )
    kind = models.CharField(_("page"), max_length=20, choices=PageKind.choices)
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)  # body rendered and sanitised when saved
    checked_on = models.DateField(_("date of the last accessibility check"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind"], name="municipal_page_unique_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PageKind.values), name="municipal_page_known_kind"
            ),
            # An accessibility statement always says when it was last checked; no other page does.
            models.CheckConstraint(
                condition=Q(kind="accessibility", checked_on__isnull=False)
                | (~Q(kind="accessibility") & Q(checked_on__isnull=True)),
                name="municipal_page_checked_on_for_accessibility",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.get_kind_display()}"

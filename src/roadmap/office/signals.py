"""Remember at sign-in whether the header should offer the office, so that pages pay no query
for it. A role granted or removed later shows in the header at the next sign-in or office visit."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from roadmap.municipalities.models import Membership

OFFICE_LINK_SESSION_KEY = "office_link"


def remember_office_link(request, *, has_roles: bool) -> None:
    request.session[OFFICE_LINK_SESSION_KEY] = has_roles


@receiver(user_logged_in)
def _on_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        remember_office_link(request, has_roles=Membership.objects.filter(user=user).exists())

"""Accounts' writes: sign-up and confirming an e-mail address.

Sign-up answers the same whether or not the address has an account: a new address gets a
confirmation link, the owner of a registered one an e-mail saying so. The link is signed and
expires; until it is followed, the account can sign in but not take part.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import TERMS_VERSION, User

logger = logging.getLogger(__name__)
CONFIRMATION_SALT = "roadmap.accounts.confirm-email"
CONFIRMATION_MAX_AGE = datetime.timedelta(days=3)


class ConfirmationExpired(ValueError):
    pass


class ConfirmationInvalid(ValueError):
    pass


def confirmation_token(user: User) -> str:
    """Signed with the address, so a link stops working when the address changes."""
    return signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=CONFIRMATION_SALT)


def _send(user: User, template: str, site: str, **context: object) -> None:
    context = {"user": user, "site": site, **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # as Django's password reset: the answer must not depend on the mail server
        logger.exception("The %s e-mail to user %s could not be sent", template, user.pk)


def send_confirmation(*, user: User, site: str) -> None:
    """E-mail the user a link that confirms their address. `site` is scheme and host."""
    link = site + reverse("accounts:confirm_email", kwargs={"token": confirmation_token(user)})
    _send(user, "confirm_email", site, link=link, days=CONFIRMATION_MAX_AGE.days)


@transaction.atomic
def sign_up(
    *, username: str, email: str, display_name: str, password: str, site: str
) -> User | None:
    """A new account awaiting confirmation, with the terms accepted now; None when the
    address already has an account, whose owner is told by e-mail instead."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username,
                    email=email,
                    password=password,
                    display_name=display_name,
                    awaiting_email_confirmation=True,
                    terms_version=TERMS_VERSION,
                    terms_accepted_at=timezone.now(),
                )
        except IntegrityError:  # the same address signed up a moment ago
            existing = User.objects.filter(email__iexact=email).first()
            if existing is None:
                raise
        else:
            send_confirmation(user=user, site=site)
            return user
    make_password(password)  # as slow as creating an account, so the time says nothing either
    _send(
        existing,
        "already_registered",
        site,
        sign_in=site + reverse("accounts:login"),
        reset=site + reverse("accounts:password_reset"),
    )
    return None


@transaction.atomic
def confirm_email(*, token: str) -> User:
    """Confirm the address a link was sent to; ConfirmationExpired or ConfirmationInvalid."""
    try:
        claim = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ConfirmationExpired from error
    except signing.BadSignature as error:
        raise ConfirmationInvalid from error
    user = User.objects.select_for_update().filter(pk=claim.get("user")).first()
    if user is None or user.email.lower() != claim.get("email"):
        raise ConfirmationInvalid
    if user.awaiting_email_confirmation:
        user.awaiting_email_confirmation = False
        user.save(update_fields=["awaiting_email_confirmation"])
    return user


@transaction.atomic
def change_email(*, user: User, site: str) -> None:
    """The user's address was changed (already saved): it waits for confirmation again."""
    user.awaiting_email_confirmation = True
    user.save(update_fields=["awaiting_email_confirmation"])
    send_confirmation(user=user, site=site)

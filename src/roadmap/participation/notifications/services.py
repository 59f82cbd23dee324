"""Notifications to participants: rows in the platform, and e-mail by each user's frequency.

Rows are written in the caller's transaction; the task that sends immediate e-mails is queued in
it too (or after its commit, with a Redis queue: roadmap.core.tasks), so a rolled-back change
never mails anyone. Each message is written in its reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from roadmap.accounts.models import User
from roadmap.core import tasks

from ..models import Comment, Notification, Proposal, Support

Frequency = User.NotificationFrequency


def _language_of(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def recipients_for(proposal: Proposal, *, actor: User | None = None) -> QuerySet[User]:
    """Distinct active users who wrote, supported or commented on the proposal (one query).
    Deleted authors are already gone: their contributions point at nobody."""
    involved = (
        Q(pk=proposal.author_id)
        | Q(pk__in=Support.objects.filter(proposal=proposal).values("user_id"))
        | Q(
            pk__in=Comment.objects.filter(proposal=proposal, author__isnull=False).values(
                "author_id"
            )
        )
    )
    users = User.objects.filter(involved, is_active=True)
    if actor is not None and actor.pk:
        users = users.exclude(pk=actor.pk)
    return users.order_by("pk")


def _status_message(proposal: Proposal, user: User) -> str:
    values = {"title": proposal.title}
    with translation.override(_language_of(user)):
        values["status"] = str(proposal.get_status_display())
        if user.pk == proposal.author_id:
            return _("The status of your proposal “%(title)s” is now: %(status)s.") % values
        return (
            _("The status of the proposal “%(title)s”, which you took part in, is now: %(status)s.")
            % values
        )


def notify_status_change(proposal: Proposal, *, actor: User) -> list[Notification]:
    """Tell everyone involved in the proposal (but the actor) that its status changed."""
    recipients = list(recipients_for(proposal, actor=actor))
    notifications = Notification.objects.bulk_create(
        Notification(user=user, proposal=proposal, message=_status_message(proposal, user))
        for user in recipients
    )
    immediate = [
        n.pk for n in notifications if n.user.notification_frequency == Frequency.IMMEDIATE
    ]
    if immediate:
        from .tasks import email_notifications  # the task module imports this one

        tasks.enqueue(email_notifications, notification_ids=immediate)
    return notifications


def _single_email(notification: Notification) -> mail.EmailMessage:
    user = notification.user
    with translation.override(_language_of(user)):
        subject = _("News about a proposal you follow")
        body = "\n\n".join(
            [
                notification.message,
                _("You get this e-mail because you chose immediate e-mail notifications."),
            ]
        )
    return mail.EmailMessage(subject, body, to=[user.email])


def _digest_email(user: User, notifications: list[Notification]) -> mail.EmailMessage:
    with translation.override(_language_of(user)):
        subject = ngettext(
            "Your daily summary: %(count)d new notification",
            "Your daily summary: %(count)d new notifications",
            len(notifications),
        ) % {"count": len(notifications)}
        lines = [f"- {notification.message}" for notification in notifications]
        lines.append("")
        lines.append(_("You get this e-mail because you chose a daily summary."))
    return mail.EmailMessage(subject, "\n".join(lines), to=[user.email])


def _pending_emails(frequency: str) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(
            emailed_at__isnull=True,
            user__notification_frequency=frequency,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
    )


def _send(messages: list[mail.EmailMessage], notification_ids: Iterable[int]) -> int:
    if not messages:
        return 0
    with mail.get_connection() as connection:
        sent = connection.send_messages(messages)
    Notification.objects.filter(pk__in=list(notification_ids)).update(emailed_at=timezone.now())
    return sent or 0


def send_immediate_emails(notification_ids: list[int]) -> int:
    """One e-mail per notification, to users who want them at once. Already-sent ones skip."""
    notifications = list(
        _pending_emails(Frequency.IMMEDIATE).filter(pk__in=notification_ids).order_by("pk")
    )
    return _send([_single_email(n) for n in notifications], [n.pk for n in notifications])


def send_daily_digest() -> int:
    """One e-mail per daily-digest user with everything not yet e-mailed; marks it e-mailed,
    so running it again sends nothing new. Returns the number of e-mails sent."""
    notifications = _pending_emails(Frequency.DAILY).order_by("user_id", "created_at", "pk")
    messages: list[mail.EmailMessage] = []
    sent_ids: list[int] = []
    for _user_id, group in groupby(notifications, key=lambda n: n.user_id):
        batch = list(group)
        messages.append(_digest_email(batch[0].user, batch))
        sent_ids.extend(n.pk for n in batch)
    return _send(messages, sent_ids)


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_notification_frequency(*, user: User, frequency: str) -> None:
    user.notification_frequency = Frequency(frequency)
    user.save(update_fields=["notification_frequency"])

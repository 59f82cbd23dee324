"""E-mail tasks (run by `manage.py worker`; see roadmap.core.tasks and roadmap.core.periodic)."""

from django_tasks import task

from . import services


@task()
def email_notifications(notification_ids: list[int]) -> int:
    """Send the immediate e-mails of these notifications; already-sent ones are skipped."""
    return services.send_immediate_emails(notification_ids)


@task()
def email_daily_digests() -> int:
    """The daily job: one summary per daily-digest user of what is not yet e-mailed."""
    return services.send_daily_digest()

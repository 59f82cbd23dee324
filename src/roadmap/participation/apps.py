from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "roadmap.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self):
        # Imported here: models are not loaded while app configs are created.
        from roadmap.accounts.privacy import register_privacy_provider
        from roadmap.core.periodic import register_periodic_job

        from . import privacy
        from .notifications.tasks import email_daily_digests

        register_privacy_provider(
            self.label, export=privacy.export_participation, erase=privacy.erase_participation
        )
        # 06:00 UTC: early morning in the Nordics, summer and winter.
        register_periodic_job(
            "daily-digest", email_daily_digests, every=timedelta(days=1), offset=timedelta(hours=6)
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "roadmap.participation"
    label = "participation"
    verbose_name = _("Participation")

    def ready(self):
        # Imported here: models are not loaded while app configs are created.
        from roadmap.accounts.privacy import register_privacy_provider

        from . import privacy

        register_privacy_provider(
            self.label, export=privacy.export_participation, erase=privacy.erase_participation
        )

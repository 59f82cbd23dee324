from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "roadmap.workshops"
    label = "workshops"
    verbose_name = _("Workshops")

    def ready(self):
        # Imported here: models are not loaded while app configs are created.
        from roadmap.accounts.privacy import register_privacy_provider

        from . import privacy

        register_privacy_provider(
            self.label, export=privacy.export_workshop_notes, erase=privacy.release_workshop_notes
        )

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "roadmap.opinions"
    label = "opinions"
    verbose_name = _("Opinion maps")

    def ready(self):
        # Imported here: models are not loaded while app configs are created.
        from roadmap.accounts.privacy import register_privacy_provider
        from roadmap.core.periodic import register_periodic_job

        from . import privacy
        from .tasks import recompute_forgotten_maps

        register_privacy_provider(
            self.label, export=privacy.export_opinions, erase=privacy.release_statements
        )
        register_periodic_job(
            "forgotten-opinion-maps", recompute_forgotten_maps, every=timedelta(minutes=10)
        )

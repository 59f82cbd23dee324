from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "roadmap.office"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in receiver)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "roadmap.core"
    label = "core"

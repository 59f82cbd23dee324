from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "roadmap.pages"

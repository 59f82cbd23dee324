from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "roadmap.demo"
    label = "demo"

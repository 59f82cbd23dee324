from django.urls import path, register_converter

from . import views


class ProcessSlugConverter:
    """A process's slug; never one of the fixed pages beside the processes."""

    regex = r"(?!(?:new|residents|organisations|moderation)(?:/|$))[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ProcessSlugConverter, "process")

urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("new/", views.process_create, name="process_create"),
    path("residents/", views.residents, name="residents"),
    path("residents/<int:pk>/remove/", views.resident_remove, name="resident_remove"),
    path("organisations/", views.organisations, name="organisations"),
    path(
        "organisations/<int:pk>/members/",
        views.organisation_member_add,
        name="organisation_member_add",
    ),
    path(
        "organisations/<int:pk>/members/<int:user_pk>/remove/",
        views.organisation_member_remove,
        name="organisation_member_remove",
    ),
    path("<process:process>/", views.process_detail, name="process_detail"),
    path("<process:process>/edit/", views.process_edit, name="process_edit"),
    path("<process:process>/phases/new/", views.phase_create, name="phase_create"),
    path("<process:process>/phases/<int:pk>/edit/", views.phase_edit, name="phase_edit"),
]

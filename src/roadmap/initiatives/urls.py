from django.urls import include, path

from . import views
from .assessments import views as assessment_views

app_name = "initiatives"


def part_urls(segment: str, name: str, kind: views.PartKind) -> list:
    """Add, edit and delete pages for one kind of record kept on an initiative."""
    return [
        path(f"<int:pk>/{segment}/add/", views.part_add, {"kind": kind}, name=f"{name}_add"),
        path(
            f"<int:pk>/{segment}/<int:part_pk>/edit/",
            views.part_edit,
            {"kind": kind},
            name=f"{name}_edit",
        ),
        path(
            f"<int:pk>/{segment}/<int:part_pk>/delete/",
            views.part_delete,
            {"kind": kind},
            name=f"{name}_delete",
        ),
    ]


urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("new/", views.initiative_create, name="create"),
    path("<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("<int:pk>/delete/", views.initiative_delete, name="delete"),
    *part_urls("pilots", "pilot", views.PILOTS),
    *part_urls("barriers", "barrier", views.BARRIERS_MET),
    *part_urls("lessons", "lesson", views.LESSONS),
    path(
        "assessments/waiting/",
        assessment_views.assessment_worklist,
        name="assessment_worklist",
    ),
    # Assessments (assessments/urls.py): /m/<slug>/initiatives/<pk>/assessments/...
    path("<int:pk>/assessments/", include("roadmap.initiatives.assessments.urls")),
]

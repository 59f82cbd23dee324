"""Assessments of one initiative: /m/<slug>/initiatives/<pk>/assessments/..."""

from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.assessment_create, name="assessment_create"),
    path("export.csv", views.assessment_export, {"file_format": "csv"}, name="assessment_export"),
    path(
        "export.xlsx",
        views.assessment_export,
        {"file_format": "xlsx"},
        name="assessment_export_xlsx",
    ),
    path("<int:assessment_pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:assessment_pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path("<int:assessment_pk>/finalise/", views.assessment_finalise, name="assessment_finalise"),
    path("<int:assessment_pk>/delete/", views.assessment_delete, name="assessment_delete"),
]

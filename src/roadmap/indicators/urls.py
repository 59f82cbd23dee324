"""A municipality's indicator pages, under /m/<municipality>/indicators/."""

from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("purposes/<slug:code>/", views.purpose, name="purpose"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_batch, name="import_batch"),
    path("import/<int:pk>/source/", views.import_source, name="import_source"),
    path("export.csv", views.export_table, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export_table, {"file_format": "xlsx"}, name="export_xlsx"),
    path("export.json", views.export_json, name="export_json"),
    path("own/new/", views.own_indicator_create, name="own_create"),
    path("own/<slug:indicator>/edit/", views.own_indicator_edit, name="own_edit"),
    path("own/<slug:indicator>/delete/", views.own_indicator_delete, name="own_delete"),
    path("initiatives/<int:pk>/", views.initiative_claims, name="initiative_claims"),
    path("<slug:indicator>/", views.indicator, name="indicator"),
    path("<slug:indicator>/target/", views.target_edit, name="target"),
    path("<slug:indicator>/mapping/", views.mapping_edit, name="mapping"),
    path("<slug:indicator>/observations/new/", views.observation_create, name="observation_create"),
    path(
        "<slug:indicator>/observations/<int:pk>/delete/",
        views.observation_delete,
        name="observation_delete",
    ),
]

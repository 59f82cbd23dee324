"""A municipality's indicator pages, under /m/<municipality>/indicators/."""

from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("purposes/<slug:code>/", views.purpose, name="purpose"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_batch, name="import_batch"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("own/new/", views.own_indicator_create, name="own_create"),
    path("initiatives/<int:pk>/", views.initiative_claims, name="initiative_claims"),
    path("<slug:indicator>/", views.indicator, name="indicator"),
    path("<slug:indicator>/target/", views.target_edit, name="target"),
    path("<slug:indicator>/mapping/", views.mapping_edit, name="mapping"),
]

"""Platform-wide indicator pages, under /indicators/: the catalogue and comparisons."""

from django.urls import path

from . import views

app_name = "indicator_catalogue"

urlpatterns = [
    path("", views.catalogue, name="list"),
    path("compare/", views.compare, name="compare"),
]

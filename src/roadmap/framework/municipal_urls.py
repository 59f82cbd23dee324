"""A municipality's local framework, mounted at /m/<municipality>/framework/."""

from django.urls import path

from . import views

app_name = "local_framework"

urlpatterns = [
    path("", views.local_framework, name="list"),
    # "new" is a reserved code (services.RESERVED_CODES), so these never shadow an entry.
    path("principles/new/", views.principle_create, name="principle_create"),
    path("principles/<slug:code>/edit/", views.principle_edit, name="principle_edit"),
    path("principles/<slug:code>/delete/", views.principle_delete, name="principle_delete"),
    path("barriers/new/", views.barrier_create, name="barrier_create"),
    path("barriers/<slug:code>/edit/", views.barrier_edit, name="barrier_edit"),
    path("barriers/<slug:code>/delete/", views.barrier_delete, name="barrier_delete"),
]

from django.urls import path

from . import views

app_name = "framework"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("action-areas/<slug:code>/", views.action_area, name="action_area"),
    path("barriers/", views.barriers, name="barriers"),
]

"""The back office: /office/ after sign-in, and /m/<municipality>/office/ per municipality."""

from django.urls import path

from . import views

app_name = "office"

urlpatterns = [
    path("office/", views.landing, name="landing"),
    path("m/<slug:municipality>/office/", views.office, name="office"),
    path("m/<slug:municipality>/office/inbox/", views.inbox, name="inbox"),
]

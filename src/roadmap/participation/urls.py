"""Participation pages under /m/<municipality>/processes/. Each area has its own URL module."""

from django.urls import include, path

app_name = "participation"

urlpatterns = [
    path("", include("roadmap.participation.process_urls")),
    path("", include("roadmap.participation.proposal_urls")),
    path("moderation/", include("roadmap.participation.moderation_urls")),
]

"""The officials' answers to proposals, under /m/<municipality>/answers/."""

from django.urls import path

from . import views

urlpatterns = [
    path("proposals/<int:pk>/", views.proposal_answer, name="proposal_answer"),
]

"""Proposals, their comments and supports, under /m/<municipality>/processes/<process>/.

The "process" converter keeps fixed pages such as moderation/ from being read as a process."""

from django.urls import path

from ..processes import urls as process_urls  # noqa: F401  (registers the "process" converter used below)
from . import views

urlpatterns = [
    path("<process:process>/proposals/", views.proposal_list, name="proposal_list"),
    path("<process:process>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("<process:process>/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("<process:process>/proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path(
        "<process:process>/proposals/<int:pk>/support/",
        views.proposal_support,
        name="proposal_support",
    ),
    path(
        "<process:process>/proposals/<int:pk>/comments/",
        views.comment_create,
        name="comment_create",
    ),
]

"""Moderation, under /m/<municipality>/processes/moderation/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.moderation_queue, name="moderation_queue"),
    path("<str:kind>/<int:pk>/hide/", views.moderation_hide, name="moderation_hide"),
    path(
        "<str:kind>/<int:pk>/restore/",
        views.moderation_restore,
        name="moderation_restore",
    ),
    path(
        "<str:kind>/<int:pk>/approve/",
        views.moderation_approve,
        name="moderation_approve",
    ),
    path("<str:kind>/<int:pk>/flag/", views.flag_item, name="flag"),
    path(
        "flags/<int:pk>/dismiss/",
        views.moderation_dismiss_flag,
        name="moderation_dismiss_flag",
    ),
    path("users/<int:user_id>/block/", views.moderation_block, name="moderation_block"),
    path(
        "users/<int:user_id>/unblock/",
        views.moderation_unblock,
        name="moderation_unblock",
    ),
]

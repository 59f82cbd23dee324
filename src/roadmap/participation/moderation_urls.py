"""Answers, notifications and moderation, under /m/<municipality>/processes/moderation/."""

from django.urls import path

from . import answer_views, moderation_views, notification_views

urlpatterns = [
    path("", moderation_views.moderation_queue, name="moderation_queue"),
    path("<str:kind>/<int:pk>/hide/", moderation_views.moderation_hide, name="moderation_hide"),
    path(
        "<str:kind>/<int:pk>/restore/",
        moderation_views.moderation_restore,
        name="moderation_restore",
    ),
    path(
        "<str:kind>/<int:pk>/approve/",
        moderation_views.moderation_approve,
        name="moderation_approve",
    ),
    path("<str:kind>/<int:pk>/flag/", moderation_views.flag_item, name="flag"),
    path(
        "flags/<int:pk>/dismiss/",
        moderation_views.moderation_dismiss_flag,
        name="moderation_dismiss_flag",
    ),
    path("users/<int:user_id>/block/", moderation_views.moderation_block, name="moderation_block"),
    path(
        "users/<int:user_id>/unblock/",
        moderation_views.moderation_unblock,
        name="moderation_unblock",
    ),
    path("proposals/<int:pk>/answer/", answer_views.proposal_answer, name="proposal_answer"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/read/",
        notification_views.notifications_mark_read,
        name="notifications_mark_read",
    ),
    path(
        "notifications/e-mail/",
        notification_views.notification_settings,
        name="notification_settings",
    ),
]

"""Participation pages under /m/<municipality>/, one sub-package and URL module per area."""

from django.urls import include, path

from .notifications.views import moved_notifications

app_name = "participation"

# Notifications lived under processes/moderation/ until they got their own path; old links in
# e-mails, bookmarks and open forms keep working.
MOVED_NOTIFICATION_PAGES = {
    "": "notifications",
    "read/": "notifications_mark_read",
    "e-mail/": "notification_settings",
}

urlpatterns = [
    path("processes/", include("roadmap.participation.processes.urls")),
    path("processes/", include("roadmap.participation.proposals.urls")),
    *(
        path(f"processes/moderation/notifications/{old}", moved_notifications, {"name": name})
        for old, name in MOVED_NOTIFICATION_PAGES.items()
    ),
    path("processes/moderation/", include("roadmap.participation.moderation.urls")),
    path("answers/", include("roadmap.participation.answers.urls")),
    path("notifications/", include("roadmap.participation.notifications.urls")),
]

"""The signed-in user's notifications, under /m/<municipality>/notifications/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("e-mail/", views.notification_settings, name="notification_settings"),
]

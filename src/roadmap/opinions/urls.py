"""Opinion-map pages under /m/<municipality>/processes/<process>/opinions/<phase>/."""

from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    path("<int:phase>/", views.phase_detail, name="phase"),
    path("<int:phase>/vote/", views.vote, name="vote"),
    path("<int:phase>/statements/", views.statement_create, name="statement_create"),
    path("<int:phase>/map/", views.map_detail, name="map"),
    path("<int:phase>/moderation/", views.moderation, name="moderation"),
    path("<int:phase>/moderation/<int:pk>/", views.moderate, name="moderate"),
]

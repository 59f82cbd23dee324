from django.urls import path

from . import views

app_name = "municipalities"

urlpatterns = [
    path("members/", views.members, name="members"),
    path("publisher/", views.publisher, name="publisher"),
]

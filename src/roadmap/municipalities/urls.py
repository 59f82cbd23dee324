from django.urls import path

from roadmap.initiatives.portfolio_views import dashboard

from . import views

app_name = "municipalities"

urlpatterns = [
    path("", views.home, name="home"),
    path("portfolio/", dashboard, name="dashboard"),
    path("members/", views.members, name="members"),
]

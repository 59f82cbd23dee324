from django.urls import path

from roadmap.initiatives.portfolio.views import assessments_csv, dashboard

from . import views

app_name = "municipalities"

urlpatterns = [
    path("", views.home, name="home"),
    path("portfolio/", dashboard, name="dashboard"),
    path("assessments.csv", assessments_csv, name="assessments_csv"),
    path("members/", views.members, name="members"),
]

from django.urls import include, path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    # Assessments (assessment_urls.py): /m/<slug>/initiatives/<pk>/assessments/...
    path("<int:pk>/assessments/", include("roadmap.initiatives.assessment_urls")),
]

"""/api/v1/: the resources, the OpenAPI schema and its documentation pages."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
for prefix, viewset, name in views.RESOURCES:
    router.register(prefix, viewset, basename=name)

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", views.RedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    re_path(r"^(?P<path>.*)$", views.not_found),
]

from django.urls import path

from . import views
from .models import PageKind

app_name = "information"

urlpatterns = [
    *(path(f"{kind}/", views.page, {"kind": kind}, name=kind) for kind in PageKind.values),
    path("terms/", views.terms, name="terms"),
    path("help/", views.help_index, name="help"),
    path("help/<slug:role>/", views.help_role, name="help_role"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("m/<slug:municipality>/info/<slug:kind>/", views.page, name="municipal_page"),
    path("m/<slug:municipality>/info/<slug:kind>/edit/", views.edit, name="edit"),
]

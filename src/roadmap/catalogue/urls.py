"""The data catalogue: the network's at /catalogue/, each municipality's at /m/<slug>/catalogue/,
in the format the Accept header asks for, or the one a suffix names."""

from django.urls import path, re_path

from . import views

app_name = "catalogue"

SUFFIX = r"\.(?P<suffix>ttl|rdf|jsonld)$"

urlpatterns = [
    path("catalogue/", views.network, name="network"),
    path("catalogue/full.ttl", views.network_full, name="network_full"),
    re_path(r"^catalogue" + SUFFIX, views.network, name="network_file"),
    path("m/<slug:municipality>/catalogue/", views.municipality, name="municipality"),
    re_path(
        r"^m/(?P<municipality>[-\w]+)/catalogue" + SUFFIX,
        views.municipality,
        name="municipality_file",
    ),
]

"""The product's URLs plus a trivial view: the cost of Django itself (middleware, routing,
sessions) with no query and no template, measured on the same server in the same run."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("roadmap.urls")),
]

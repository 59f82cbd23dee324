from django.contrib import admin
from django.urls import include, path

from roadmap.accounts.views import set_language
from roadmap.pages import urls as pages

urlpatterns = [
    path("", include(pages.site)),
    path("accounts/", include("roadmap.accounts.urls")),
    path("", include("roadmap.information.urls")),
    path("framework/", include(pages.framework)),
    path("m/<slug:municipality>/", include(pages.municipality)),
    path("m/<slug:municipality>/initiatives/", include(pages.initiatives)),
    path("m/<slug:municipality>/framework/", include(pages.local_framework)),
    path(
        "m/<slug:municipality>/processes/<slug:process>/opinions/",
        include("roadmap.opinions.urls"),
    ),
    path("m/<slug:municipality>/", include("roadmap.participation.urls")),
    path(
        "m/<slug:municipality>/processes/<slug:process>/workshop/",
        include("roadmap.workshops.urls"),
    ),
    path("m/<slug:municipality>/indicators/", include("roadmap.indicators.urls")),
    path("indicators/", include("roadmap.indicators.catalogue_urls")),
    path("", include("roadmap.catalogue.urls")),
    path("", include("roadmap.office.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("roadmap.api.urls")),
]

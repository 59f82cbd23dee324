from django.contrib import admin
from django.urls import include, path

from roadmap.accounts.views import set_language
from roadmap.core.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("roadmap.accounts.urls")),
    path("framework/", include("roadmap.framework.urls")),
    path("m/<slug:municipality>/", include("roadmap.municipalities.urls")),
    path("m/<slug:municipality>/initiatives/", include("roadmap.initiatives.urls")),
    path("m/<slug:municipality>/framework/", include("roadmap.framework.municipal_urls")),
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
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

"""URL entries of the combined pages. Each keeps the name it had: it joins the namespace of the
app whose pages it sits among, after that app's own entries, so those win where both would
match (principles/new/ stays the form, not a principle called "new")."""

from types import ModuleType

from django.urls import URLPattern, path

from roadmap.framework import municipal_urls as local_framework_urls
from roadmap.framework import urls as framework_urls
from roadmap.initiatives import urls as initiatives_urls
from roadmap.initiatives.portfolio import views as portfolio
from roadmap.municipalities import urls as municipalities_urls

from . import views


def _joined(app_urls: ModuleType, entries: list[URLPattern]) -> tuple[list, str]:
    """For include(): the app's URL entries, then these, in the app's namespace."""
    return app_urls.urlpatterns + entries, app_urls.app_name


site = [path("", views.home, name="home")]
framework = _joined(
    framework_urls, [path("principles/<slug:code>/", views.principle, name="principle")]
)
local_framework = _joined(
    local_framework_urls,
    [path("principles/<slug:code>/", views.municipal_principle, name="principle")],
)
# The portfolio's views stay in initiatives (they read that app only); they are mounted here
# because they carry names in the municipality's namespace.
municipality = _joined(
    municipalities_urls,
    [
        path("", views.municipality_home, name="home"),
        path("portfolio/", portfolio.dashboard, name="dashboard"),
        path(
            "assessments.csv",
            portfolio.assessments_export,
            {"file_format": "csv"},
            name="assessments_csv",
        ),
        path(
            "assessments.xlsx",
            portfolio.assessments_export,
            {"file_format": "xlsx"},
            name="assessments_xlsx",
        ),
    ],
)
initiatives = _joined(initiatives_urls, [path("<int:pk>/", views.initiative_detail, name="detail")])

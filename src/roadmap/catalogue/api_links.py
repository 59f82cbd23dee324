"""The API addresses the catalogue links to, reversed from the API's own URL names."""

from django.urls import reverse


def api_endpoint() -> str:
    return reverse("api:root")


def api_description() -> str:
    return reverse("api:schema")


def api_list(kind: str, municipality_slug: str) -> str:
    """The API list serving a dataset kind (observations, initiatives, ...) for a municipality."""
    return f"{reverse(f'api:{kind}-list')}?municipality={municipality_slug}"

"""The API addresses the catalogue links to, in one place: the API is built beside the catalogue,
so these are plain paths until its URL names can be reversed."""

API_ENDPOINT = "/api/v1/"
API_DESCRIPTION = "/api/v1/schema/"
# Dataset kind → the API list that serves it, filtered to one municipality.
API_LISTS = {
    "observations": "/api/v1/observations/",
    "initiatives": "/api/v1/initiatives/",
    "assessments": "/api/v1/assessments/",
    "proposals": "/api/v1/proposals/",
    "workshops": "/api/v1/workshops/",
}


def api_list(kind: str, municipality_slug: str) -> str:
    return f"{API_LISTS[kind]}?municipality={municipality_slug}"

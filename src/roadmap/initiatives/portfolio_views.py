from django.shortcuts import render

from roadmap.municipalities.selectors import municipality_by_slug


def dashboard(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    return render(request, "initiatives/dashboard.html", {"municipality": municipality})

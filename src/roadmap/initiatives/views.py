from django.shortcuts import render

from roadmap.municipalities.selectors import municipality_by_slug


def initiative_list(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    return render(request, "initiatives/list.html", {"municipality": municipality})

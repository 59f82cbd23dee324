from django.shortcuts import render

from .selectors import framework_overview


def overview(request):
    return render(request, "framework/overview.html", {"framework": framework_overview()})

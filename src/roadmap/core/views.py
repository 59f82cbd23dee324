from django.shortcuts import render

from roadmap.framework.selectors import framework_overview
from roadmap.municipalities.selectors import municipalities_with_public_counts


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "municipalities": municipalities_with_public_counts(),
            "framework": framework_overview(),
        },
    )

"""Pages that show several apps at once. They sit above the domain apps (docs/architecture.md),
so no app below has to import a sibling or a higher one to draw them. Their templates stay with
the app whose page they are."""

from django.shortcuts import render

from roadmap.core.audit import events_for
from roadmap.core.pagination import paginate
from roadmap.framework import permissions as framework_permissions
from roadmap.framework import selectors as framework_selectors
from roadmap.framework.models import Principle
from roadmap.indicators.selectors import initiative_indicators
from roadmap.initiatives import permissions as initiative_permissions
from roadmap.initiatives import selectors as initiative_selectors
from roadmap.initiatives.assessments.selectors import assessment_panel
from roadmap.initiatives.sdg import goals_with_names
from roadmap.municipalities import permissions as municipal_permissions
from roadmap.municipalities.selectors import municipalities_with_public_counts, municipality_by_slug
from roadmap.participation.answers.services import source_proposals_of

AUDIT_EVENTS_SHOWN = 50


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "municipalities": municipalities_with_public_counts(),
            "framework": framework_selectors.framework_overview(),
        },
    )


def municipality_home(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    return render(
        request,
        "municipalities/home.html",
        {
            "municipality": municipality,
            "roles": municipal_permissions.roles_in(request.user, municipality),
            "recent_initiatives": initiative_selectors.recent_initiatives_for(
                municipality, request.user
            ),
        },
    )


def principle(request, code: str):
    """A shared principle and the public initiatives, of any municipality, that address it."""
    principle = framework_selectors.shared_principle_by_code(code)
    slug = request.GET.get("municipality", "").strip()
    selected = municipality_by_slug(slug) if slug else None
    return _principle_page(
        request,
        principle,
        initiative_selectors.initiatives_addressing(principle, request.user, selected),
        {
            "selected_municipality": selected,
            "filter_municipalities": framework_selectors.municipalities_for_filter(),
        },
    )


def municipal_principle(request, municipality: str, code: str):
    """A shared or local principle in one municipality's context, with its initiatives."""
    municipality = municipality_by_slug(municipality)
    principle = framework_selectors.municipal_principle_by_code(municipality, code)
    context = {
        "municipality": municipality,
        "can_manage": principle.municipality_id is not None
        and framework_permissions.can_manage_local_framework(request.user, municipality),
    }
    if principle.municipality_id and framework_permissions.can_see_change_history(
        request.user, municipality
    ):
        context["audit_events"] = events_for(principle)[:AUDIT_EVENTS_SHOWN]
    return _principle_page(
        request,
        principle,
        initiative_selectors.initiatives_addressing(principle, request.user, municipality),
        context,
    )


def _principle_page(request, principle: Principle, initiatives, context: dict):
    return render(
        request,
        "framework/principle.html",
        {"principle": principle, "page_obj": paginate(request, initiatives), **context},
    )


def initiative_detail(request, municipality: str, pk: int):
    """An initiative with its assessments, the proposals it answers and its indicators."""
    municipality = municipality_by_slug(municipality)
    initiative = initiative_selectors.initiative_detail(municipality, request.user, pk)
    is_member = municipal_permissions.is_member(request.user, municipality)
    return render(
        request,
        "initiatives/detail.html",
        {
            "municipality": municipality,
            "initiative": initiative,
            "partner_groups": initiative_selectors.partners_by_sector(initiative),
            "sdg_goals": goals_with_names(initiative.sdg_goals),
            "is_member": is_member,
            "can_edit": initiative_permissions.can_edit_initiatives(request.user, municipality),
            "assessment_panel": assessment_panel(initiative, request.user),
            "source_proposals": source_proposals_of(initiative),
            "initiative_indicators": initiative_indicators(initiative),
            "audit_events": events_for(initiative)[:AUDIT_EVENTS_SHOWN] if is_member else None,
        },
    )

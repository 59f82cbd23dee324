"""The signed-in user's notifications and how often they are e-mailed."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from roadmap.accounts.models import User
from roadmap.core.pagination import paginate
from roadmap.municipalities.selectors import municipality_by_slug

from . import services


class FrequencyForm(forms.Form):
    notification_frequency = forms.ChoiceField(
        label=_("E-mail me about notifications"),
        choices=User.NotificationFrequency.choices,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )


def _notifications_url(municipality) -> str:
    return reverse("participation:notifications", kwargs={"municipality": municipality.slug})


def _page(request, municipality, frequency_form):
    notifications = request.user.notifications.select_related(
        "proposal__process__municipality"
    ).order_by("-created_at", "-id")
    return render(
        request,
        "participation/notification_list.html",
        {
            "municipality": municipality,
            "page_obj": paginate(request, notifications),
            "has_unread": request.user.notifications.filter(read_at__isnull=True).exists(),
            "frequency_form": frequency_form,
        },
    )


@login_required
def notification_list(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    form = FrequencyForm(initial={"notification_frequency": request.user.notification_frequency})
    return _page(request, municipality, form)


@require_POST
@login_required
def notifications_mark_read(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    services.mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect(_notifications_url(municipality))


@require_POST
@login_required
def notification_settings(request, municipality: str):
    municipality = municipality_by_slug(municipality)
    form = FrequencyForm(request.POST)
    if not form.is_valid():
        return _page(request, municipality, form)
    services.set_notification_frequency(
        user=request.user, frequency=form.cleaned_data["notification_frequency"]
    )
    messages.success(request, _("Your e-mail choice was saved."))
    return redirect(_notifications_url(municipality))


def moved_notifications(request, municipality: str, name: str):
    """The old address of a notification page: a permanent redirect that keeps the method (308),
    so a form posted from a page opened before the move still arrives."""
    url = reverse(f"participation:{name}", kwargs={"municipality": municipality})
    if query := request.META.get("QUERY_STRING"):
        url = f"{url}?{query}"
    return redirect(url, permanent=True, preserve_request=True)

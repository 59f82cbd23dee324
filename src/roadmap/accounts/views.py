from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from roadmap.core.ratelimit import CONFIRMATION_EMAILS, SIGN_UPS, client_address
from roadmap.municipalities.selectors import memberships_of

from . import services
from .forms import ProfileForm, SignUpForm


def _site(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        services.sign_up(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password1"],
            site=_site(request),
        )
        SIGN_UPS.hit(client_address(request))
        return render(request, "accounts/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/signup.html", {"form": form})


def confirm_email(request, token: str):
    try:
        user = services.confirm_email(token=token)
    except services.ConfirmationExpired:
        problem = _("This confirmation link has expired.")
    except services.ConfirmationInvalid:
        problem = _(
            "This confirmation link is not valid; it may be incomplete, or the address changed "
            "after it was sent."
        )
    else:
        messages.success(request, _("Your e-mail address is confirmed. You can now take part."))
        if request.user == user:
            return redirect("accounts:profile")
        return redirect("accounts:login")
    return render(request, "accounts/confirm_email_failed.html", {"problem": problem}, status=400)


@login_required
@require_POST
def resend_confirmation(request):
    user = request.user
    if not user.awaiting_email_confirmation:
        messages.success(request, _("Your e-mail address is already confirmed."))
    elif CONFIRMATION_EMAILS.is_exceeded(str(user.pk)):
        messages.error(
            request, _("Several links were sent in the last hour. Please wait and try again.")
        )
    else:
        CONFIRMATION_EMAILS.hit(str(user.pk))
        services.send_confirmation(user=user, site=_site(request))
        messages.success(request, _("A new link was sent to %(email)s.") % {"email": user.email})
    return redirect("accounts:profile")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if "email" in form.changed_data:
            services.change_email(user=user, site=_site(request))
            messages.success(
                request,
                _(
                    "Your account details were saved. Follow the link sent to %(email)s to "
                    "confirm it."
                )
                % {"email": user.email},
            )
            return redirect("accounts:profile")
        messages.success(request, _("Your account details were saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "memberships": memberships_of(request.user)},
    )


@require_POST
def set_language(request):
    """Django's language switch (cookie), also saved on the account when signed in."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and response.cookies.get("django_language"):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response

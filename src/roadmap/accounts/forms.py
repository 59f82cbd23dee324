from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from roadmap.core.ratelimit import SIGN_IN_FAILURES, SIGN_UPS, client_address

from .models import User


class RateLimitedAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refusing further attempts after repeated failures."""

    def _identity(self) -> str:
        assert self.request is not None, "the sign-in view always passes the request"
        username = (self.data.get("username") or "").strip().lower()
        return f"{client_address(self.request)}|{username}"

    def clean(self):
        identity = self._identity()
        if SIGN_IN_FAILURES.is_exceeded(identity):
            raise forms.ValidationError(
                _("Too many failed sign-in attempts. Please wait 15 minutes and try again."),
                code="rate_limited",
            )
        try:
            cleaned_data = super().clean()
        except forms.ValidationError:
            SIGN_IN_FAILURES.hit(identity)
            raise
        SIGN_IN_FAILURES.reset(identity)
        return cleaned_data


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_(
            "We send a link to it that you follow to confirm it; also used for password resets."
        ),
    )
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        required=False,
        help_text=_("Shown next to what you write. Leave empty to show your username."),
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and have read the privacy notice"),
        error_messages={"required": _("Accept the terms of use to create an account.")},
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name")

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields["accept_terms"].help_text = format_html(
            '<a class="ds-link" href="{}">{}</a> · <a class="ds-link" href="{}">{}</a>',
            reverse("information:terms"),
            _("Read the terms of use"),
            reverse("information:privacy"),
            _("Read the privacy notice"),
        )

    def clean(self):
        if self.request is not None and SIGN_UPS.is_exceeded(client_address(self.request)):
            raise forms.ValidationError(
                _("Too many accounts were created from your network. Please try again later."),
                code="rate_limited",
            )
        return super().clean()

    def _get_validation_exclusions(self):
        # services.sign_up deals with a registered address, without saying it is registered.
        # (ModelForm's own hook, which django-stubs does not declare.)
        return super()._get_validation_exclusions() | {"email"}  # type: ignore[misc]


class ProfileForm(forms.ModelForm):
    # A callable, so the languages are read from the settings when the form is shown.
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=lambda: [("", _("Browser default")), *settings.LANGUAGES],
        required=False,
    )

    class Meta:
        model = User
        fields = ("display_name", "email", "language", "notification_frequency")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Municipality, Role


class GrantRoleForm(forms.Form):
    user = forms.CharField(
        label=_("Username or e-mail address"),
        max_length=254,
        help_text=_("The person must already have an account."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_user(self):
        identifier = self.cleaned_data["user"].strip()
        user = (
            get_user_model()
            .objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("No account has that username or e-mail address."))
        return user


class PublisherForm(forms.ModelForm):
    """Who publishes the municipality's open data: the data catalogue shows these."""

    website = Municipality._meta.get_field("website").formfield(assume_scheme="https")

    class Meta:
        model = Municipality
        fields = ["organisation_number", "contact_email", "website", "data_licence"]

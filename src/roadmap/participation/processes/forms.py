"""Forms for processes, phases, resident verification and partner organisations."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from roadmap.core.forms import form_field, style_widgets
from roadmap.initiatives.models import Initiative
from roadmap.municipalities.models import District

from ..models import Organisation, Phase, Process

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# Path segments under /m/<slug>/processes/ that are pages of their own, not processes.
RESERVED_SLUGS = frozenset({"new", "residents", "organisations", "moderation"})


class ProcessForm(forms.ModelForm):
    categories_text = forms.CharField(
        label=_("Categories"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One category per line. Proposals can be filed under them."),
    )

    class Meta:
        model = Process
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "data_statement",
            "initiatives",
            "is_published",
        ]
        widgets = {"initiatives": forms.CheckboxSelectMultiple}
        help_texts = {
            "slug": _("Leave empty to make it from the title."),
            "data_statement": _(
                "Which personal data the process collects, why, and how long it is kept. "
                "It is shown on every page of the process."
            ),
            "is_published": _("Only published processes are visible to the public."),
        }

    def __init__(self, *args, municipality, **kwargs):
        self.municipality = municipality
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        form_field(
            self, "initiatives", forms.ModelChoiceField
        ).queryset = Initiative.objects.filter(municipality=municipality).order_by("title")
        if self.instance.pk and not self.is_bound:
            self.initial["categories_text"] = "\n".join(
                self.instance.categories.values_list("name", flat=True)
            )
        style_widgets(self)

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:80]
        if not slug:
            raise ValidationError(_("Give a short name made of letters, digits and hyphens."))
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("“%(slug)s” is used by another page; choose another short name."),
                params={"slug": slug},
            )
        taken = Process.objects.filter(municipality=self.municipality, slug=slug).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise ValidationError(
                _("Another process of this municipality already uses “%(slug)s”."),
                params={"slug": slug},
            )
        return slug

    def clean_categories_text(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["categories_text"].splitlines()]
        names = list(dict.fromkeys(name for name in names if name))
        too_long = [name for name in names if len(name) > 120]
        if too_long:
            raise ValidationError(
                _("A category name may be at most 120 characters: “%(name)s…”."),
                params={"name": too_long[0][:40]},
            )
        return names

    def _post_clean(self):
        # The municipality is not a form field: set it so the unique check can run.
        self.instance.municipality = self.municipality
        super()._post_clean()  # type: ignore[misc]  # private, not in django-stubs


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = [
            "kind",
            "title",
            "description",
            "order",
            "starts_at",
            "ends_at",
            "propose",
            "comment",
            "support",
            "post_notes",
            "anonymous_notes",
            "vote",
            "hold_statements",
        ]
        widgets = {"starts_at": DATETIME_WIDGET, "ends_at": DATETIME_WIDGET}

    def __init__(self, *args, process, **kwargs):
        self.process = process
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        starts_at, ends_at = cleaned_data.get("starts_at"), cleaned_data.get("ends_at")
        if not (starts_at and ends_at):
            return cleaned_data
        if ends_at <= starts_at:
            self.add_error("ends_at", _("The phase must end after it starts."))
            return cleaned_data
        overlapping = (
            self.process.phases.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if overlapping:
            self.add_error(
                "starts_at",
                ValidationError(
                    _(
                        "These dates overlap the phase “%(phase)s” (%(start)s – %(end)s). "
                        "Phases of one process may not overlap."
                    ),
                    code="overlap",
                    params={
                        "phase": overlapping.title,
                        "start": overlapping.starts_at.strftime("%Y-%m-%d %H:%M"),
                        "end": overlapping.ends_at.strftime("%Y-%m-%d %H:%M"),
                    },
                ),
            )
        return cleaned_data


def _user_by_name_or_email(value: str):
    users = get_user_model().objects.filter(Q(username__iexact=value) | Q(email__iexact=value))
    found = list(users[:2])
    if len(found) != 1:
        raise ValidationError(_("No single user has this username or e-mail address."))
    return found[0]


class ResidentForm(forms.Form):
    user = forms.CharField(label=_("Username or e-mail address"), max_length=254)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False
    )

    def __init__(self, *args, municipality, **kwargs):
        self.municipality = municipality
        super().__init__(*args, **kwargs)
        form_field(
            self, "district", forms.ModelChoiceField
        ).queryset = municipality.districts.order_by("name")
        if not municipality.districts.exists():
            del self.fields["district"]
        style_widgets(self)

    def clean_user(self):
        return _user_by_name_or_email(self.cleaned_data["user"].strip())


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector"]

    def __init__(self, *args, municipality, **kwargs):
        self.municipality = municipality
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(municipality=self.municipality, name__iexact=name).exists():
            raise ValidationError(_("This municipality already has an organisation of that name."))
        return name


class OrganisationMemberForm(forms.Form):
    user = forms.CharField(label=_("Username or e-mail address"), max_length=254)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean_user(self):
        return _user_by_name_or_email(self.cleaned_data["user"].strip())

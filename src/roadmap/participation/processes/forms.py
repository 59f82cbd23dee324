"""Forms for processes, phases, resident verification and partner organisations."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from roadmap.core.forms import form_field, style_widgets
from roadmap.initiatives.models import Initiative
from roadmap.municipalities.models import District

from ..models import Audience, Organisation, Phase, Process

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


# What each kind of phase opens, and so the only permission fields its form asks for; the
# fields of the other kinds are stored closed ("nobody", off) whatever was posted.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Phase.Kind.INFORMATION: (),
    Phase.Kind.PROPOSALS: ("propose", "comment", "support"),
    Phase.Kind.DEBATE: ("comment", "support"),
    Phase.Kind.SUPPORT: ("comment", "support"),
    Phase.Kind.WORKSHOP: ("post_notes", "anonymous_notes"),
    Phase.Kind.OPINION_MAP: ("propose", "vote", "hold_statements"),
    Phase.Kind.RESULTS: (),
}
PERMISSION_FIELDS = (
    "propose",
    "comment",
    "support",
    "post_notes",
    "anonymous_notes",
    "vote",
    "hold_statements",
)
CLOSED = {
    **dict.fromkeys(("propose", "comment", "support", "post_notes", "vote"), Audience.NOBODY),
    "anonymous_notes": False,
    "hold_statements": False,
}


class PhaseKindForm(forms.Form):
    """The first step of a phase form, by GET: which kind of phase, so which fields follow."""

    kind = forms.ChoiceField(label=_("Kind of phase"), choices=Phase.Kind.choices)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "choose_%s")  # apart from the phase form's own kind field
        super().__init__(*args, **kwargs)
        style_widgets(self)


class PhaseForm(forms.ModelForm):
    """A phase of one kind: the kind comes from the posted data, the initial value (the kind
    chosen in the first step) or the phase itself, and only that kind's fields are shown."""

    class Meta:
        model = Phase
        fields = [
            "kind",
            "title",
            "description",
            "order",
            "starts_at",
            "ends_at",
            *PERMISSION_FIELDS,
        ]
        widgets = {
            "kind": forms.HiddenInput,
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
        }

    def __init__(self, *args, process, **kwargs):
        self.process = process
        super().__init__(*args, **kwargs)
        if self.is_bound:
            kind = self.data.get(self.add_prefix("kind"))
        else:
            kind = self.initial.get("kind") or self.instance.kind
        self.kind = kind if kind in KIND_FIELDS else None
        for name in PERMISSION_FIELDS:
            if self.kind is None or name not in KIND_FIELDS[self.kind]:
                del self.fields[name]
        if self.kind == Phase.Kind.OPINION_MAP:
            self.fields["propose"].label = _("Who may submit statements")
        style_widgets(self)

    @property
    def kind_label(self) -> str:
        return str(Phase.Kind(self.kind).label) if self.kind else ""

    def phase_data(self) -> dict:
        """What to save: the cleaned data, and every field this kind does not use closed."""
        return {**CLOSED, **self.cleaned_data}

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
                        "start": date_format(localtime(overlapping.starts_at), "DATETIME_FORMAT"),
                        "end": date_format(localtime(overlapping.ends_at), "DATETIME_FORMAT"),
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

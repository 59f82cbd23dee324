from __future__ import annotations

from decimal import Decimal
from itertools import groupby
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from roadmap.core.forms import GroupedDecimalField, form_field, style_widgets
from roadmap.framework.models import ActionArea, Barrier, Principle, Purpose

from .models import (
    BarrierEncounter,
    Initiative,
    Lesson,
    Partner,
    Pilot,
    Sector,
    Status,
)
from .sdg import goal_choices
from .selectors import barriers_in_scope, principles_in_scope
from .services import PartnerRow

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# The mixins below are mixed into Django forms: type them as forms, change nothing at runtime.
if TYPE_CHECKING:
    FormMixinBase = forms.BaseForm
else:
    FormMixinBase = object


class MunicipalFormMixin(FormMixinBase):
    """A form in one municipality's portfolio: it offers that municipality's catalogue."""

    def __init__(self, *args, municipality, **kwargs):
        self.municipality = municipality
        super().__init__(*args, **kwargs)
        style_widgets(self)


class DateRangeMixin(FormMixinBase):
    """An end date, when given, may not come before the start date."""

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        start, end = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                ValidationError(
                    _("The end date (%(end)s) is before the start date (%(start)s)."),
                    code="ends_before_start",
                    params={"end": date_format(end), "start": date_format(start)},
                ),
            )
        return cleaned_data


def local_aware_label(entry) -> str:
    """A catalogue entry's name, marked when the municipality added it itself."""
    if entry.municipality_id:
        return _("%(name)s (local)") % {"name": entry.name}
    return entry.name


# --- the portfolio filter -------------------------------------------------------------------


class InitiativeFilterForm(MunicipalFormMixin, forms.Form):
    """The list page's GET filters. Every field is optional; invalid values are reported."""

    text = forms.CharField(label=_("Search titles and summaries"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    action_area = forms.ModelChoiceField(
        label=_("Action area"),
        required=False,
        queryset=ActionArea.objects.order_by("order", "code"),
        to_field_name="code",
        empty_label=_("Any action area"),
    )
    purpose = forms.ModelChoiceField(
        label=_("Purpose"),
        required=False,
        queryset=Purpose.objects.order_by("order", "code"),
        to_field_name="code",
        empty_label=_("Any purpose"),
    )
    principle = forms.ModelChoiceField(
        label=_("Principle"),
        required=False,
        queryset=Principle.objects.none(),
        empty_label=_("Any principle"),
    )
    sector = forms.ChoiceField(
        label=_("Partner sector"),
        required=False,
        choices=[("", _("Any partner sector")), *Sector.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        principle = form_field(self, "principle", forms.ModelChoiceField)
        principle.queryset = principles_in_scope(self.municipality)
        # Relabels this one field's options; the stubs expect a field subclass for that.
        principle.label_from_instance = local_aware_label  # type: ignore[method-assign,assignment]

    def filters(self) -> dict:
        """The valid, non-empty filter values (invalid ones are left out and shown as errors)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def active_filters(self) -> list[tuple[StrOrPromise | None, str]]:
        """(label, value) pairs describing the filters in use, for the result line."""
        described = []
        for name, value in self.filters().items():
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                shown = field.label_from_instance(value)
            elif isinstance(field, forms.ChoiceField):
                # The stubs' type of choices is what may be set; read back, it is a list of pairs.
                shown = dict(field.choices)[value]  # type: ignore[arg-type]
            else:
                shown = value
            described.append((field.label, shown))
        return described


# --- initiatives --------------------------------------------------------------------------


def _in_range(value: Decimal | None, limit: int, message) -> Decimal | None:
    if value is not None and not -limit <= value <= limit:
        raise ValidationError(message, code="out_of_range")
    return value


class InitiativeForm(MunicipalFormMixin, DateRangeMixin, forms.ModelForm):
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("UN Sustainable Development Goals"),
        required=False,
        coerce=int,
        choices=goal_choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "summary",
            "description",
            "status",
            "visibility",
            "start_date",
            "end_date",
            "budget",
            "action_areas",
            "purposes",
            "principles",
            "sdg_goals",
            "location_name",
            "latitude",
            "longitude",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "action_areas": forms.CheckboxSelectMultiple,
            "purposes": forms.CheckboxSelectMultiple,
            "principles": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "budget": GroupedDecimalField,
            "latitude": GroupedDecimalField,
            "longitude": GroupedDecimalField,
        }
        help_texts = {
            "summary": _("One or two sentences, shown in lists."),
            "description": _("Leave an empty line between paragraphs."),
            "visibility": _("Internal initiatives are seen only by members of the municipality."),
            "latitude": _("Decimal degrees between -90 and 90, for example 59.913868."),
            "longitude": _("Decimal degrees between -180 and 180, for example 10.752245."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].help_text = _("In %(currency)s.") % {
            "currency": self.municipality.currency
        }
        form_field(
            self, "action_areas", forms.ModelChoiceField
        ).queryset = ActionArea.objects.order_by("order", "code")
        form_field(self, "purposes", forms.ModelChoiceField).queryset = Purpose.objects.order_by(
            "order", "code"
        )
        principles = form_field(self, "principles", forms.ModelChoiceField)
        principles.queryset = principles_in_scope(self.municipality)
        # Relabels this one field's options; the stubs expect a field subclass for that.
        principles.label_from_instance = local_aware_label  # type: ignore[method-assign,assignment]

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget is not None and budget < 0:
            raise ValidationError(_("The budget cannot be negative."), code="negative")
        return budget

    def clean_latitude(self):
        return _in_range(
            self.cleaned_data["latitude"], 90, _("Latitude must be between -90 and 90 degrees.")
        )

    def clean_longitude(self):
        return _in_range(
            self.cleaned_data["longitude"],
            180,
            _("Longitude must be between -180 and 180 degrees."),
        )

    def clean(self):
        cleaned_data = super().clean()
        latitude, longitude = cleaned_data.get("latitude"), cleaned_data.get("longitude")
        # Only compare when neither field already failed on its own.
        if "latitude" not in self.errors and "longitude" not in self.errors:
            message = _("Give both latitude and longitude, or leave both empty.")
            if latitude is not None and longitude is None:
                self.add_error("longitude", ValidationError(message, code="incomplete"))
            elif longitude is not None and latitude is None:
                self.add_error("latitude", ValidationError(message, code="incomplete"))
        return cleaned_data


class PartnerForm(forms.ModelForm):
    NEEDED = ("organisation", "sector")

    class Meta:
        model = Partner
        fields = ["organisation", "sector", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.empty_permitted:  # a spare row: its fields are needed only once it is filled in
            for name in self.NEEDED:
                self.fields[name].required = False
        style_widgets(self)

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        if self.empty_permitted:  # cleaned at all, so filled in: needs what every partner needs
            for name in self.NEEDED:
                if not cleaned_data.get(name) and name not in self.errors:
                    message = self.fields[name].error_messages["required"]
                    self.add_error(name, ValidationError(message, code="required"))
        return cleaned_data


class BasePartnerFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this partner")

    def kept_forms(self) -> list[forms.Form]:
        """Filled-in rows that are not marked for removal."""
        return [
            form
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)  # type: ignore[attr-defined]  # private, not in django-stubs
        ]

    def clean(self):
        # Organisation names are compared case-insensitively, so "Acme" and "ACME " clash too.
        seen: set[str] = set()
        for form in self.kept_forms():
            organisation = form.cleaned_data.get("organisation", "")
            key = organisation.strip().casefold()
            if not key:
                continue
            if key in seen:
                form.add_error(
                    "organisation",
                    ValidationError(
                        _("%(organisation)s is listed more than once. List each partner once."),
                        code="duplicate",
                        params={"organisation": organisation},
                    ),
                )
            seen.add(key)

    def partner_rows(self) -> list[PartnerRow]:
        return [
            PartnerRow(
                organisation=form.cleaned_data["organisation"],
                sector=form.cleaned_data["sector"],
                role=form.cleaned_data["role"],
            )
            for form in self.kept_forms()
        ]


PartnerFormSet = forms.formset_factory(
    PartnerForm, formset=BasePartnerFormSet, extra=3, can_delete=True
)


def partner_formset(data=None, *, initiative: Initiative | None = None) -> BasePartnerFormSet:
    initial = (
        [
            {"organisation": p.organisation, "sector": p.sector, "role": p.role}
            for p in initiative.partners.all()
        ]
        if initiative is not None
        else []
    )
    # formset_factory's stub returns BaseFormSet, not the formset class it was given.
    return PartnerFormSet(data, initial=initial, prefix="partners")  # type: ignore[return-value]


# --- pilots, barriers met and lessons -------------------------------------------------------


class PilotForm(MunicipalFormMixin, DateRangeMixin, forms.ModelForm):
    class Meta:
        model = Pilot
        fields = ["title", "hypothesis", "start_date", "end_date", "result", "decision"]
        widgets = {
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 4}),
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
        }
        help_texts = {
            "hypothesis": _("What the pilot is meant to show."),
            "decision": _("What was decided once the pilot had run."),
        }


class BarriersByCategoryIterator(ModelChoiceIterator):
    """Select options grouped in an optgroup per barrier category."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category, barriers in groupby(self.queryset, key=lambda barrier: barrier.category):
            yield (str(category), [self.choice(barrier) for barrier in barriers])


class BarrierChoiceField(forms.ModelChoiceField):
    iterator = BarriersByCategoryIterator

    def label_from_instance(self, obj: Barrier) -> str:
        return local_aware_label(obj)


class BarrierEncounterForm(MunicipalFormMixin, forms.ModelForm):
    barrier = BarrierChoiceField(
        label=_("Barrier from the catalogue"),
        queryset=Barrier.objects.none(),
        required=False,
        empty_label=_("Not in the catalogue (describe it below)"),
    )

    class Meta:
        model = BarrierEncounter
        fields = ["barrier", "description", "mitigation", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "description": _("Required when the barrier is not in the catalogue."),
            "mitigation": _("What was done, or is planned, to get past the barrier."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "barrier", forms.ModelChoiceField).queryset = barriers_in_scope(
            self.municipality
        )

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        if "barrier" not in self.errors and not (
            cleaned_data.get("barrier") or cleaned_data.get("description", "").strip()
        ):
            self.add_error(
                "barrier",
                ValidationError(
                    _("Choose a barrier from the catalogue or describe the barrier."),
                    code="missing",
                ),
            )
        return cleaned_data


class LessonForm(MunicipalFormMixin, forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from roadmap.core.forms import form_field, style_widgets
from roadmap.framework.models import ActionArea, Purpose
from roadmap.municipalities.models import Municipality

from . import imports
from .imports import MAX_UPLOAD_BYTES, FileRefused, check_size
from .models import Direction, ExpectedEffect, Indicator, Quality, Target
from .services import OWN_INDICATOR_FIELDS

# Path segments under /m/<slug>/indicators/ that are pages of their own, not indicators.
RESERVED_SLUGS = frozenset({"import", "imports", "export", "purposes", "own", "initiatives"})
COMPARE_MIN, COMPARE_MAX = 2, 6


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File with observations"),
        help_text=_(
            "CSV (UTF-8 or Windows-1252; semicolons, commas or tabs) or Excel (.xlsx), under "
            "%(limit)s MB. Required columns: indicator, period, value. Optional: unit, series, "
            "source, quality, note, verified."
        )
        % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except FileRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return upload


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["baseline_value", "baseline_year", "target_value", "target_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)
        for name in ("baseline_year", "target_year"):
            self.fields[name].widget.attrs.update({"min": 1900, "max": 2100})

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        value, year = cleaned.get("baseline_value"), cleaned.get("baseline_year")
        if (value is None) != (year is None):
            self.add_error(
                "baseline_year" if year is None else "baseline_value",
                _("Give the baseline's value and year together, or neither."),
            )
        target_year = cleaned.get("target_year")
        if year and target_year and year > target_year:
            self.add_error(
                "target_year", _("The target year cannot come before the baseline year.")
            )
        for name in ("baseline_year", "target_year"):
            if cleaned.get(name) is not None and not 1900 <= cleaned[name] <= 2100:
                self.add_error(name, _("Give a year between 1900 and 2100."))
        return cleaned


class OwnIndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [*OWN_INDICATOR_FIELDS, "purposes", "action_areas"]
        widgets = {
            "purposes": forms.CheckboxSelectMultiple,
            "action_areas": forms.CheckboxSelectMultiple,
            "definition": forms.Textarea(attrs={"rows": 3}),
            "formula": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, municipality: Municipality, **kwargs):
        self.municipality = municipality
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        slug = slugify(code.replace(":", " "))
        if not slug or slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("Choose another code; this one is reserved."))
        # An indicator being edited may keep its code (and so its slug).
        taken = Indicator.objects.filter(municipality__isnull=True, code=code).exists() or (
            Indicator.objects.filter(municipality=self.municipality, slug=slug)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError(_("An indicator with this code exists already."))
        return code

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("direction") == Direction.TARGET and cleaned.get("ideal_value") is None:
            self.add_error("ideal_value", _("Give the ideal value the indicator aims at."))
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The highest value cannot be below the lowest."))
        return cleaned


class ObservationForm(forms.Form):
    """One observation typed in by hand, checked by the same rules as an imported row."""

    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A year (2024), a month (2024-03) or a day (2024-03-15)."),
    )
    value = forms.CharField(
        label=_("Value"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    series = forms.CharField(
        label=_("Series"),
        max_length=60,
        required=False,
        help_text=_(
            "A part of the indicator, such as a pollutant or a transport mode. Leave empty for "
            "the indicator as a whole."
        ),
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    quality = forms.ChoiceField(
        label=_("Data quality"), choices=[("", "—"), *Quality.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    verified = forms.BooleanField(label=_("Verified"), required=False)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = _("In %(unit)s. A decimal comma is fine.") % {
            "unit": indicator.unit
        }
        style_widgets(self)

    def clean_period(self):
        text = self.cleaned_data["period"]
        parsed = imports.read_period(text)
        if parsed is None:
            raise forms.ValidationError(imports.period_problem(text))
        return parsed

    def clean_value(self):
        text = self.cleaned_data["value"]
        try:
            value = imports.parse_number(text)
        except ValueError as error:
            raise forms.ValidationError(imports.number_problem(text)) from error
        info = imports.IndicatorInfo.of(self.indicator)
        if imports.out_of_range(value, info):
            raise forms.ValidationError(imports.range_problem(value, info))
        return value

    @staticmethod
    def initial_from(observation) -> dict:
        """The form's fields as they would be typed for an existing observation."""
        return {
            "period": observation.period_label,
            "value": str(int(value)) if (value := observation.value).is_integer() else str(value),
            "series": observation.series,
            "source": observation.source,
            "quality": observation.quality,
            "note": observation.note,
            "verified": observation.verified,
        }

    def observation_data(self) -> dict:
        """The cleaned fields as services.record_observation takes them."""
        granularity, period = self.cleaned_data["period"]
        return {**self.cleaned_data, "granularity": granularity, "period": period}


class MappingForm(forms.Form):
    purposes = forms.ModelMultipleChoiceField(
        Purpose.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Purposes"),
    )
    action_areas = forms.ModelMultipleChoiceField(
        ActionArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Action areas"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ClaimForm(forms.Form):
    indicator = forms.ModelChoiceField(Indicator.objects.none(), label=_("Indicator"))
    effect = forms.ChoiceField(choices=ExpectedEffect.choices, label=_("Expected effect"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "indicator", forms.ModelChoiceField).queryset = indicators
        style_widgets(self)


CHECKED = mark_safe(" checked")  # noqa: S308 (a constant)


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes drawn in one pass. The comparison offers every publishing municipality
    (hundreds); Django's widget renders two templates per option, which made the option list
    cost more than the comparison itself. Same markup: a grid of labelled checkboxes in the
    field's fieldset."""

    def render(self, name, value, attrs=None, renderer=None):
        base_id = self.build_attrs(self.attrs, attrs).get("id", f"id_{name}")
        chosen = {str(item) for item in value or ()}
        options = format_html_join(
            "",
            '<div><label for="{0}_{1}"><input type="checkbox" name="{2}" value="{3}" '
            'id="{0}_{1}"{4}> {5}</label></div>',
            (
                (base_id, index, name, option, CHECKED if str(option) in chosen else "", label)
                for index, (option, label) in enumerate(self.choices)
            ),
        )
        return format_html('<div id="{}" class="checkbox-grid">{}</div>', base_id, options)


class CompareForm(forms.Form):
    m = forms.ModelMultipleChoiceField(
        Municipality.objects.none(),
        to_field_name="slug",
        widget=CheckboxList,
        label=_("Municipalities to compare"),
        help_text=_("Choose from %(low)s to %(high)s.") % {"low": COMPARE_MIN, "high": COMPARE_MAX},
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "m", forms.ModelChoiceField).queryset = municipalities
        style_widgets(self)

    def clean_m(self):
        chosen = self.cleaned_data["m"]
        if not COMPARE_MIN <= len(chosen) <= COMPARE_MAX:
            raise forms.ValidationError(
                _("Choose from %(low)s to %(high)s municipalities.")
                % {"low": COMPARE_MIN, "high": COMPARE_MAX}
            )
        return chosen

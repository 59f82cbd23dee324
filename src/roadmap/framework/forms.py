"""Forms for a municipality's local principles and barriers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from roadmap.municipalities.models import Municipality

from .loader import (
    ACTION_AREAS_MAX,
    ACTION_AREAS_MIN,
    MATURITY_LEVELS,
    QUESTIONS_MAX,
    QUESTIONS_MIN,
)
from .models import ActionArea, Barrier, BarrierCategory, Principle
from .services import default_language_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEXT_AREA = {"class": "ds-input", "rows": 3}


def _name_taken(queryset, name: str) -> bool:
    return queryset.filter(**{f"{default_language_field('name')}__iexact": name}).exists()


class LocalPrincipleForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=160,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
        help_text=_("Short and active, like the roadmap's own: “Put inhabitants at the centre”."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs=TEXT_AREA),
        help_text=_("Two or three sentences on what the principle asks of an initiative."),
    )
    action_areas = forms.ModelMultipleChoiceField(
        label=_("Action areas"),
        queryset=ActionArea.objects.order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
        help_text=_("Choose one to three action areas where the principle applies."),
    )
    guiding_questions = forms.CharField(
        label=_("Guiding questions"),
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 5}),
        help_text=_("Three to five questions, one per line."),
    )

    def __init__(
        self, *args, municipality: Municipality, principle: Principle | None = None, **kwargs
    ):
        self.municipality = municipality
        self.principle = principle
        if principle is not None:
            kwargs.setdefault("initial", self.initial_from(principle))
        super().__init__(*args, **kwargs)
        for level in range(MATURITY_LEVELS):
            self.fields[f"maturity_{level}"] = forms.CharField(
                label=_("Maturity level %(level)s") % {"level": level},
                widget=forms.Textarea(attrs={"class": "ds-input", "rows": 2}),
                help_text=self.maturity_help(level),
            )

    @staticmethod
    def maturity_help(level: int) -> StrOrPromise:
        if level == 0:
            return _("What it looks like in practice when the principle is not yet considered.")
        if level == MATURITY_LEVELS - 1:
            return _("What it looks like when the principle is fully part of how the work is done.")
        return _("What it looks like in practice at this level.")

    @staticmethod
    def initial_from(principle: Principle) -> dict:
        initial = {
            "name": getattr(principle, default_language_field("name")),
            "summary": getattr(principle, default_language_field("summary")),
            "action_areas": list(principle.action_areas.all()),
            "guiding_questions": "\n".join(
                getattr(question, default_language_field("text")) or ""
                for question in principle.guiding_questions.all()
            ),
        }
        for level in principle.maturity_levels.all():
            initial[f"maturity_{level.level}"] = getattr(
                level, default_language_field("descriptor")
            )
        return initial

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = self.municipality.local_principles.all()
        if self.principle is not None:
            others = others.exclude(pk=self.principle.pk)
        if _name_taken(others, name):
            raise ValidationError(
                _("Your municipality already has a local principle called “%(name)s”."),
                code="duplicate",
                params={"name": name},
            )
        return name

    def clean_action_areas(self):
        areas = self.cleaned_data["action_areas"]
        if not ACTION_AREAS_MIN <= len(areas) <= ACTION_AREAS_MAX:
            raise ValidationError(
                _("Choose between %(low)s and %(high)s action areas; you chose %(count)s."),
                code="count",
                params={"low": ACTION_AREAS_MIN, "high": ACTION_AREAS_MAX, "count": len(areas)},
            )
        return areas

    def clean_guiding_questions(self) -> list[str]:
        questions = [
            line.strip()
            for line in self.cleaned_data["guiding_questions"].splitlines()
            if line.strip()
        ]
        if not QUESTIONS_MIN <= len(questions) <= QUESTIONS_MAX:
            raise ValidationError(
                _(
                    "Write between %(low)s and %(high)s questions, one per line; "
                    "you wrote %(count)s."
                ),
                code="count",
                params={"low": QUESTIONS_MIN, "high": QUESTIONS_MAX, "count": len(questions)},
            )
        return questions

    def service_arguments(self) -> dict:
        """The cleaned data in the shape the services take."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "summary": data["summary"],
            "action_areas": list(data["action_areas"]),
            "guiding_questions": data["guiding_questions"],
            "maturity": [data[f"maturity_{level}"] for level in range(MATURITY_LEVELS)],
        }


class LocalBarrierForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=BarrierCategory.objects.order_by("order", "code"),
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    name = forms.CharField(
        label=_("Name"), max_length=160, widget=forms.TextInput(attrs={"class": "ds-input"})
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs=TEXT_AREA),
        help_text=_("One sentence on what stands in the way and why."),
    )

    def __init__(self, *args, municipality: Municipality, barrier: Barrier | None = None, **kwargs):
        self.municipality = municipality
        self.barrier = barrier
        if barrier is not None:
            kwargs.setdefault(
                "initial",
                {
                    "category": barrier.category,
                    "name": getattr(barrier, default_language_field("name")),
                    "description": getattr(barrier, default_language_field("description")),
                },
            )
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = self.municipality.local_barriers.all()
        if self.barrier is not None:
            others = others.exclude(pk=self.barrier.pk)
        if _name_taken(others, name):
            raise ValidationError(
                _("Your municipality already has a local barrier called “%(name)s”."),
                code="duplicate",
                params={"name": name},
            )
        return name

"""The assessment form: a date, a summary and one group of fields per principle."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from roadmap.framework.models import Principle

from ..models import Assessment
from .services import (
    LEVELS,
    RatingInput,
    link_lines,
    validate_links,
    validate_not_in_future,
)

NOT_RATED = ""


@dataclass
class PrincipleFields:
    """The fields of one principle, so the template can put them in one group."""

    principle: Principle
    level: forms.BoundField
    evidence: forms.BoundField
    links: forms.BoundField


def _level_choices(principle: Principle) -> list[tuple[str, str]]:
    # maturity_levels must be prefetched (selectors.applicable_principles does).
    descriptors = {step.level: step.descriptor for step in principle.maturity_levels.all()}
    choices = [(NOT_RATED, str(_("Not rated")))]
    for level in LEVELS:
        descriptor = descriptors.get(level)
        choices.append((str(level), f"{level} – {descriptor}" if descriptor else str(level)))
    return choices


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Assessment date"),
        help_text=_("The day the assessment describes: today or earlier."),
        validators=[validate_not_in_future],
        widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}, format="%Y-%m-%d"),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        help_text=_("What the assessment found, in a few sentences."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}),
    )

    def __init__(
        self,
        *args,
        principles: list[Principle],
        assessment: Assessment | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.principles = principles
        ratings = {}
        if assessment is not None:
            self.initial.setdefault("assessed_on", assessment.assessed_on)
            self.initial.setdefault("summary", assessment.summary)
            ratings = {rating.principle_id: rating for rating in assessment.ratings.all()}
        else:
            self.initial.setdefault("assessed_on", timezone.localdate())
        for principle in principles:
            self._add_principle_fields(principle, ratings.get(principle.pk))

    def _add_principle_fields(self, principle: Principle, rating) -> None:
        name = principle.name
        self.fields[f"level_{principle.pk}"] = forms.ChoiceField(
            label=name,
            help_text=principle.summary,
            required=False,
            choices=_level_choices(principle),
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": _("Choose a level from 0 to 4, or “Not rated”."),
            },
        )
        self.fields[f"evidence_{principle.pk}"] = forms.CharField(
            label=_("Evidence for “%(principle)s”") % {"principle": name},
            required=False,
            widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}),
        )
        self.fields[f"links_{principle.pk}"] = forms.CharField(
            label=_("Links for “%(principle)s”") % {"principle": name},
            help_text=_("One web address per line, starting with http:// or https://."),
            required=False,
            validators=[validate_links],
            widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
        )
        if rating is not None:
            self.initial[f"level_{principle.pk}"] = str(rating.level)
            self.initial[f"evidence_{principle.pk}"] = rating.evidence
            self.initial[f"links_{principle.pk}"] = rating.links

    @property
    def principle_groups(self) -> list[PrincipleFields]:
        return [
            PrincipleFields(
                principle=principle,
                level=self[f"level_{principle.pk}"],
                evidence=self[f"evidence_{principle.pk}"],
                links=self[f"links_{principle.pk}"],
            )
            for principle in self.principles
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for principle in self.principles:
            level = cleaned.get(f"level_{principle.pk}")
            has_notes = cleaned.get(f"evidence_{principle.pk}") or cleaned.get(
                f"links_{principle.pk}"
            )
            if level == NOT_RATED and has_notes:
                self.add_error(
                    f"level_{principle.pk}",
                    _("Choose a level to keep the evidence and links, or clear them."),
                )
        return cleaned

    def rating_inputs(self) -> list[RatingInput]:
        """The rated principles of a valid form, for the services."""
        return [
            RatingInput(
                principle=principle,
                level=int(self.cleaned_data[f"level_{principle.pk}"]),
                evidence=self.cleaned_data[f"evidence_{principle.pk}"].strip(),
                links="\n".join(link_lines(self.cleaned_data[f"links_{principle.pk}"])),
            )
            for principle in self.principles
            if self.cleaned_data.get(f"level_{principle.pk}") not in (None, NOT_RATED)
        ]

"""Forms for the workshop board, theming and synthesis. The services check everything again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from roadmap.core.forms import form_field

from .models import NOTE_LANGUAGES, NOTE_MAX_LENGTH, PROMPT_MAX_LENGTH, Prompt, Theme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def language_choices() -> list[tuple[str, StrOrPromise]]:
    names = dict(settings.ALL_LANGUAGES)
    return [(code, names[code]) for code in NOTE_LANGUAGES]


class NoteForm(forms.Form):
    prompt = forms.ModelChoiceField(
        queryset=Prompt.objects.none(),
        label=_("Prompt"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of this workshop's prompts.")},
    )
    text = forms.CharField(
        label=_("Your note"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to 300 characters. Plain text."),
        error_messages={
            "required": _("Write something in the note."),
            "max_length": _(
                "A note can have at most %(limit_value)d characters; this one has %(show_value)d."
            ),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of your note"),
        choices=language_choices,
        error_messages={
            "invalid_choice": _(
                "Choose the note's language from the list; “%(value)s” is not one of them."
            )
        },
    )

    def __init__(self, *args, workshop, language: str = "en", **kwargs):
        kwargs.setdefault("initial", {"language": language if language in NOTE_LANGUAGES else "en"})
        super().__init__(*args, **kwargs)
        form_field(self, "prompt", forms.ModelChoiceField).queryset = (
            workshop.prompts.all() if workshop else Prompt.objects.none()
        )


class PromptForm(forms.Form):
    text = forms.CharField(
        label=_("New prompt"),
        max_length=PROMPT_MAX_LENGTH,
        help_text=_("For example: “What should we take along?”"),
    )


class EditPromptForm(PromptForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("Prompt")


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Public reason for hiding the note"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this note?"),
        help_text=_("Only the moderators see your report."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RestoreForm(HideForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Public reason for restoring the note")


class ThemingForm(forms.Form):
    """Notes ticked on the prompt's page, and where they go."""

    ASSIGN = "assign"
    UNASSIGN = "unassign"

    notes = forms.TypedMultipleChoiceField(
        label=_("Notes"),
        coerce=int,
        error_messages={"required": _("Select at least one note.")},
    )
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        required=False,
        label=_("Existing theme"),
        empty_label=_("Choose a theme"),
    )
    new_theme = forms.CharField(label=_("or a new theme"), max_length=80, required=False)
    action = forms.ChoiceField(
        choices=[(ASSIGN, _("Put in theme")), (UNASSIGN, _("Remove from their theme"))]
    )

    def __init__(self, *args, prompt, note_ids, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "notes", forms.ChoiceField).choices = [(pk, pk) for pk in note_ids]
        form_field(self, "theme", forms.ModelChoiceField).queryset = prompt.themes.all()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("action") == self.ASSIGN and (
            bool(data.get("theme")) == bool(data.get("new_theme", "").strip())
        ):
            raise forms.ValidationError(
                _("Choose an existing theme or write a new theme's name, not both.")
            )
        return data


class RenameThemeForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=80)


class MergeThemesForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Themes to merge"),
        error_messages={"required": _("Select at least two themes to merge.")},
    )
    name = forms.CharField(label=_("Name of the merged theme"), max_length=80)

    def __init__(self, *args, prompt, **kwargs):
        super().__init__(*args, **kwargs)
        form_field(self, "themes", forms.ModelChoiceField).queryset = prompt.themes.order_by(
            "name", "id"
        )

    def clean_themes(self):
        themes = self.cleaned_data["themes"]
        if len(themes) < 2:
            raise forms.ValidationError(_("Select at least two themes to merge."))
        return list(themes)


class SuggestionForm(forms.Form):
    ACCEPT = "accept"
    REJECT = "reject"

    name = forms.CharField(label=_("Theme name"), max_length=80, required=False)
    decision = forms.ChoiceField(choices=[(ACCEPT, _("Accept")), (REJECT, _("Reject"))])

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == self.ACCEPT and not data.get("name", "").strip():
            self.add_error("name", _("Give the theme a name."))
        return data

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import STATEMENT_MAX_LENGTH
from .services import VOTE_VALUES, Refused, clean_language, clean_statement_text


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        # The length is checked on the server with a message naming the limit; the browser's
        # maxlength would cut the text silently.
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One short, clear opinion others can agree or disagree with, at most %(limit)d "
            "characters. Plain text: links and formatting are shown as written."
        )
        % {"limit": STATEMENT_MAX_LENGTH},
    )
    language = forms.ChoiceField(label=_("Language of the statement"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("language", (get_language() or "en").split("-")[0])
        # An unknown language gets our own message rather than the generic "not a choice".
        self.fields["language"].error_messages["invalid_choice"] = _(
            "Choose one of the platform's languages for the statement."
        )

    def clean_text(self):
        try:
            return clean_statement_text(self.cleaned_data.get("text", ""))
        except Refused as refusal:
            raise forms.ValidationError(refusal.message) from None

    def clean_language(self):
        try:
            return clean_language(self.cleaned_data["language"])
        except Refused as refusal:
            raise forms.ValidationError(refusal.message) from None


class VoteForm(forms.Form):
    statement = forms.IntegerField(widget=forms.HiddenInput)
    choice = forms.ChoiceField(choices=[(key, key) for key in VOTE_VALUES])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].error_messages["invalid_choice"] = _(
            "Choose agree, disagree or pass."
        )
        self.fields["choice"].error_messages["required"] = _("Choose agree, disagree or pass.")
        self.fields["statement"].error_messages["required"] = _("Choose a statement to vote on.")

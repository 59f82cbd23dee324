"""Open digital workshops: a workshop phase has prompts; participants post short notes under a
prompt and +1 each other's notes; facilitators group notes into named themes.

`Workshop.version` moves on every change that the board shows, so a polling board can ask
"anything new since version N?" with one tiny query. Each note records the version that
created it and the version of its latest change, so a board that is behind fetches only the
notes that changed; `layout_version` is the last change that needs the whole board redrawn (a
new prompt). Vote counts are stored on the note and changed in the same transaction as the
votes, so the board never counts rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from roadmap.participation.models import Visibility

NOTE_MAX_LENGTH = 300
PROMPT_MAX_LENGTH = 200
THEME_NAME_MAX_LENGTH = 80


# Every language of the platform, enabled in the interface or not (settings.ALL_LANGUAGES): a
# note may be written in any of them, and synthesis ships stop words for each.
NOTE_LANGUAGES = ("en", "nb", "sv", "da", "fi", "is")


class Workshop(models.Model):
    """The board of one workshop phase."""

    phase = models.OneToOneField(
        "participation.Phase", on_delete=models.CASCADE, related_name="workshop"
    )
    version = models.PositiveBigIntegerField(default=0)
    layout_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return str(self.phase)


class Prompt(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="prompts")
    text = models.CharField(_("prompt"), max_length=PROMPT_MAX_LENGTH)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "text"], name="prompt_unique_text")
        ]

    def __str__(self) -> str:
        return self.text


class Theme(models.Model):
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("theme name"), max_length=THEME_NAME_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            # "Mobility" and "mobility" are the same theme.
            models.UniqueConstraint("prompt", Lower("name"), name="theme_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="theme_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Note(models.Model):
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="notes")
    # Null once the author deleted their account: the note stays, without a name.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    text = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    vote_count = models.PositiveIntegerField(default=0)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLISHED
    )
    moderation_reason = models.TextField(_("reason given by the moderator"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The workshop's version when the note was posted, and at its latest change.
    created_version = models.PositiveBigIntegerField(default=0)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        indexes = [
            models.Index(fields=["prompt", "-created_at"]),
            models.Index(fields=["prompt", "version"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_text_not_empty"),
            models.CheckConstraint(
                condition=Q(language__in=NOTE_LANGUAGES),
                name="note_language_known",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=[Visibility.PUBLISHED, Visibility.HIDDEN]),
                name="note_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class NoteFlag(models.Model):
    """A signed-in participant's report of a note, for the moderation inbox."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report of a note")
        verbose_name_plural = _("reports of notes")
        indexes = [models.Index(fields=["resolved_at", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="note_flag_reason_not_empty"),
            models.UniqueConstraint(
                fields=["note", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="note_flag_one_open_per_reporter",
            ),
        ]

    def __str__(self) -> str:
        return self.reason[:80]


class NoteVote(models.Model):
    """A +1: one per person and note."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("+1 on a note")
        verbose_name_plural = _("+1s on notes")
        constraints = [
            models.UniqueConstraint(fields=["note", "user"], name="note_vote_one_per_user")
        ]
        indexes = [models.Index(fields=["user", "note"])]

    def __str__(self) -> str:
        return f"{self.user} +1 {self.note}"


class Synthesis(models.Model):
    """The stored result of the last synthesis of a prompt's notes (recomputed on demand)."""

    prompt = models.OneToOneField(Prompt, on_delete=models.CASCADE, related_name="synthesis")
    computed_at = models.DateTimeField()
    note_count = models.PositiveIntegerField()
    # [[term, notes using it], ...] and [[phrase, notes using it], ...], most frequent first.
    terms = models.JSONField(default=list)
    phrases = models.JSONField(default=list)

    class Meta:
        verbose_name = _("synthesis")
        verbose_name_plural = _("syntheses")

    def __str__(self) -> str:
        return str(self.prompt)


class SuggestedTheme(models.Model):
    """A cluster of notes the synthesis suggests as a theme, until a facilitator decides.

    Decided suggestions are kept: their signature (the cluster's top terms) stops a recompute
    from suggesting the same cluster again."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="suggestions")
    name = models.CharField(_("suggested name"), max_length=THEME_NAME_MAX_LENGTH)
    signature = models.CharField(max_length=255)
    terms = models.JSONField(default=list)
    note_ids = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("suggested theme")
        verbose_name_plural = _("suggested themes")
        constraints = [
            models.UniqueConstraint(
                fields=["prompt", "signature"], name="suggested_theme_unique_signature"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "rejected"]),
                name="suggested_theme_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

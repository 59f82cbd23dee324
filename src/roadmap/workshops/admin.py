from django.contrib import admin

from .models import Note, Prompt, SuggestedTheme, Theme, Workshop


class PromptInline(admin.TabularInline):
    model = Prompt
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ("phase", "version")
    list_select_related = ("phase",)
    raw_id_fields = ("phase",)
    inlines = [PromptInline]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("text", "prompt", "language", "theme", "vote_count", "visibility", "created_at")
    list_filter = ("visibility", "language")
    list_select_related = ("prompt", "theme")
    raw_id_fields = ("prompt", "author", "theme")
    search_fields = ("text",)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "prompt")
    list_select_related = ("prompt",)
    raw_id_fields = ("prompt",)


@admin.register(SuggestedTheme)
class SuggestedThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "prompt", "status")
    list_filter = ("status",)
    raw_id_fields = ("prompt",)

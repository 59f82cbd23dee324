from django.contrib import admin

from .models import OpinionMap, Statement


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ("text", "phase", "status", "language", "agree_count", "disagree_count")
    list_filter = ("status", "language")
    search_fields = ("text",)
    list_select_related = ("phase",)
    raw_id_fields = ("phase", "author", "moderated_by")
    readonly_fields = ("agree_count", "disagree_count", "pass_count")


@admin.register(OpinionMap)
class OpinionMapAdmin(admin.ModelAdmin):
    list_display = ("phase", "status", "computed_at", "votes_seen", "dirty_since")
    list_select_related = ("phase",)
    raw_id_fields = ("phase",)
    readonly_fields = ("result", "computed_at", "votes_seen", "dirty_since", "computing_since")

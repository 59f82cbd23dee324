from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by services, never edited by hand."""

    list_display = ("created_at", "actor", "action", "content_type", "object_repr", "municipality")
    list_filter = ("action", "content_type", "municipality")
    search_fields = ("object_repr",)
    list_select_related = ("actor", "content_type", "municipality")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

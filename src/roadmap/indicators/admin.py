"""Platform administrators' view of the catalogue and of imports. Municipalities manage their
data through the indicator pages, which check roles and record audit events."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import ImportBatch, Indicator, IndicatorCategory, Target


@admin.register(IndicatorCategory)
class IndicatorCategoryAdmin(TranslationAdmin):
    list_display = ("code", "name", "order")


@admin.register(Indicator)
class IndicatorAdmin(TranslationAdmin):
    list_display = ("code", "name", "dimension", "category", "level", "unit", "direction")
    list_filter = ("dimension", "level", "direction", "category")
    search_fields = ("code", "name")
    raw_id_fields = ("municipality",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "municipality", "target_value", "target_year")
    list_select_related = ("indicator", "municipality")
    raw_id_fields = ("municipality", "indicator")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("filename", "municipality", "status", "uploaded_by", "created_at")
    list_filter = ("status",)
    list_select_related = ("municipality", "uploaded_by")
    # The rows of a large batch are megabytes of JSON: never load them into the admin. The
    # uploaded original would show as a link to a public address: the batch page has it.
    exclude = ("columns", "source")
    readonly_fields = ("municipality", "uploaded_by", "filename", "status", "problems", "summary")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("columns")

from django.contrib import admin

from .models import Block, Category, Flag, Organisation, Phase, Process, ResidentVerification


class PhaseInline(admin.StackedInline):
    model = Phase
    extra = 0


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ("title", "municipality", "is_published", "created_at")
    list_filter = ("is_published", "municipality")
    search_fields = ("title", "summary")
    list_select_related = ("municipality",)
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("initiatives",)
    raw_id_fields = ("created_by",)
    inlines = [PhaseInline, CategoryInline]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "kind", "starts_at", "ends_at")
    list_filter = ("kind",)
    list_select_related = ("process",)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "process")
    list_select_related = ("process",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "municipality")
    list_filter = ("sector", "municipality")
    search_fields = ("name",)
    list_select_related = ("municipality",)
    filter_horizontal = ("members",)


@admin.register(ResidentVerification)
class ResidentVerificationAdmin(admin.ModelAdmin):
    list_display = ("user", "municipality", "district", "created_at")
    list_filter = ("municipality",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user", "municipality", "district")
    raw_id_fields = ("user", "verified_by")


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("user", "municipality", "created_at")
    list_filter = ("municipality",)
    list_select_related = ("user", "municipality")
    raw_id_fields = ("user", "blocked_by")


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("reason", "proposal", "comment", "resolved_at", "created_at")
    list_filter = ("resolved_at",)
    list_select_related = ("proposal", "comment")
    raw_id_fields = ("proposal", "comment", "reporter")

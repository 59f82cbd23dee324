from django.contrib import admin

from .models import Assessment, BarrierEncounter, Initiative, Lesson, Partner, Pilot, Rating


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class PilotInline(admin.StackedInline):
    model = Pilot
    extra = 0


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ("title", "municipality", "status", "visibility", "updated_at")
    list_filter = ("status", "visibility", "municipality")
    search_fields = ("title", "summary")
    list_select_related = ("municipality",)
    filter_horizontal = ("action_areas", "purposes", "principles")
    inlines = [PartnerInline, PilotInline]


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("initiative", "assessed_on", "status", "is_latest")
    list_filter = ("status", "municipality")
    list_select_related = ("initiative",)
    inlines = [RatingInline]


admin.site.register(BarrierEncounter)
admin.site.register(Lesson)

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import (
    ActionArea,
    Barrier,
    BarrierCategory,
    GuidingQuestion,
    MaturityLevel,
    Principle,
    Purpose,
    Value,
)


class GuidingQuestionInline(TranslationTabularInline):
    model = GuidingQuestion
    extra = 0


class MaturityLevelInline(TranslationTabularInline):
    model = MaturityLevel
    extra = 0
    max_num = 5


@admin.register(Principle)
class PrincipleAdmin(TranslationAdmin):
    list_display = ("code", "name", "source", "municipality", "order")
    list_filter = ("source", "municipality")
    filter_horizontal = ("action_areas",)
    inlines = [GuidingQuestionInline, MaturityLevelInline]


@admin.register(Barrier)
class BarrierAdmin(TranslationAdmin):
    list_display = ("code", "name", "category", "municipality")
    list_filter = ("category", "municipality")


for model in (Value, Purpose, ActionArea, BarrierCategory):
    admin.site.register(model, TranslationAdmin)

from modeltranslation.translator import TranslationOptions, register

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


@register(Value)
class ValueTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Purpose)
class PurposeTranslation(TranslationOptions):
    fields = ("name", "description", "replaces")


@register(ActionArea)
class ActionAreaTranslation(TranslationOptions):
    fields = ("name", "scope")


@register(Principle)
class PrincipleTranslation(TranslationOptions):
    fields = ("name", "summary", "source_note")


@register(GuidingQuestion)
class GuidingQuestionTranslation(TranslationOptions):
    fields = ("text",)


@register(MaturityLevel)
class MaturityLevelTranslation(TranslationOptions):
    fields = ("descriptor",)


@register(BarrierCategory)
class BarrierCategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Barrier)
class BarrierTranslation(TranslationOptions):
    fields = ("name", "description")

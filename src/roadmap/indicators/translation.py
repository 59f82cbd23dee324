from modeltranslation.translator import TranslationOptions, register

from .models import Indicator, IndicatorCategory


@register(IndicatorCategory)
class IndicatorCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "definition", "formula")

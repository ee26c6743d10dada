"""Events' texts a person reads, in English and Welsh (see programmes/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from .models import JointEvent, Surgery


@register(JointEvent)
class JointEventTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "venue")
    required_languages = {"en-gb": ("title", "summary", "venue"), "default": ()}


@register(Surgery)
class SurgeryTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en-gb": ("title",), "default": ()}

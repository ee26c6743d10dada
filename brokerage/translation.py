"""The bulletin's own texts in English and Welsh (see programmes/translation.py).

A bulletin item has no text of its own: it shows its offer's or event's
title and summary, which are translated where they live.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Bulletin


@register(Bulletin)
class BulletinTranslation(TranslationOptions):
    fields = ("title", "introduction")
    required_languages = {"en-gb": ("title",), "default": ()}

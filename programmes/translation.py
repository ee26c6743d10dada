"""The programmes' texts a person reads, in English and Welsh (django-modeltranslation).

Each registered field gains `<field>_en_gb` and `<field>_cy` columns (settings'
MODELTRANSLATION_*). English is required where the field itself is; Welsh is
always optional and falls back to English (programmes.translated_text marks it).
Names that are unique keep an empty Welsh name as NULL, so many can be empty.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Audience, GlossaryTerm, Offer, Programme, Region, RegionalWorker, Theme


@register(Offer)
class OfferTranslation(TranslationOptions):
    # open_to_condition: the one line on who can take it up ("funded for support staff in maintained schools").
    fields = ("title", "summary", "description", "open_to_condition")
    required_languages = {"en-gb": ("title", "summary"), "default": ()}


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("plain_name", "official_name", "summary")
    required_languages = {"en-gb": ("plain_name", "official_name"), "default": ()}


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en-gb": ("name",), "default": ()}
    empty_values = {"name": None, "description": ""}


@register(Audience)
class AudienceTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"en-gb": ("name",), "default": ()}
    empty_values = None


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"en-gb": ("name",), "default": ()}
    empty_values = None


@register(GlossaryTerm)
class GlossaryTermTranslation(TranslationOptions):
    # The Welsh acronym differs (ALN is ADY, Additional Learning Needs is
    # Anghenion Dysgu Ychwanegol), so the letters are translated too.
    fields = ("acronym", "meaning", "explanation")
    required_languages = {"en-gb": ("acronym", "meaning"), "default": ()}
    empty_values = {"acronym": None, "meaning": "", "explanation": ""}


@register(RegionalWorker)
class RegionalWorkerTranslation(TranslationOptions):
    # What a worker says about themselves in the directory; both optional, as the fields are.
    fields = ("job_title", "remit")
    required_languages = {"default": ()}


# The offer's history (django-simple-history) copies every column of the offer,
# the Welsh ones included, so its table carries them too: a worker sees who
# changed the Welsh text as well as the English.
@register(Offer.history.model)
class HistoricalOfferTranslation(OfferTranslation):
    required_languages = {"default": ()}

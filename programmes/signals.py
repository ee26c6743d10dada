"""Keep the catalogue's caches honest: any change to offers or vocabulary renews the version."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache import catalogue_changed
from .models import Audience, GlossaryTerm, Offer, Programme, Region, RegionalWorker, SearchSynonym, Theme


def _changed(sender, **kwargs):
    # Once now (this process reads its own writes) and once after commit (other
    # processes may have cached the old state while the transaction was open).
    catalogue_changed()
    transaction.on_commit(catalogue_changed)


def connect():
    for model in (Offer, Theme, Audience, Region, Programme, GlossaryTerm, RegionalWorker, SearchSynonym):
        post_save.connect(_changed, sender=model, dispatch_uid=f"catalogue_changed_save_{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"catalogue_changed_delete_{model.__name__}")
    for field in ("themes", "audiences", "regions", "same_as", "builds_on"):
        through = getattr(Offer, field).through
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"catalogue_changed_m2m_{field}")

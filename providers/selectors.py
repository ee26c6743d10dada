"""Reads of provider organisations and their CPD plans."""

from .models import PlanItem


def plan_items(organisation):
    return (
        PlanItem.objects.filter(organisation=organisation)
        .select_related("offer__programme", "offer__contact__user", "added_by")
        .order_by("position", "added_at", "pk")
    )

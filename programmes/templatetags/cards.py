from django import template

from programmes.cards import offer_card as build_card

register = template.Library()


@register.simple_tag(takes_context=True)
def offer_card(context, offer):
    """{% offer_card offer %}: the offer's card; with a provider contact's lens in the context, with the plan button."""
    plan_form = None
    if context.get("lens"):
        plan_form = (context.get("csrf_token"), context["request"].get_full_path())
    return build_card(offer, plan_form=plan_form)

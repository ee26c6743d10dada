from django import template

from brokerage.insights.duplicates import coordination_notes_for

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.simple_tag(takes_context=True)
def coordination_notes(context):
    """Duplicate pairs 'to coordinate' for the signed-in worker's programmes (workspace section)."""
    request = context.get("request")
    if request is None:
        return []
    return list(coordination_notes_for(request.user))

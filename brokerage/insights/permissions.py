"""Who may see insights: coordinators only (staff in the Coordinators group, or superusers)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from brokerage.roles import is_coordinator


def can_see_insights(user):
    return user.is_authenticated and is_coordinator(user)


def coordinator_required(view):
    """Anonymous visitors go to the sign-in page; signed-in non-coordinators get a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_see_insights(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper

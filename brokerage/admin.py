from django.contrib import admin

from programmes.admin_inputs import ReadableInputAdminMixin

from .models import Enquiry


@admin.register(Enquiry)
class EnquiryAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = ["name", "offer", "contact", "created_at", "answered_at"]
    list_filter = ["answered_at"]
    list_select_related = ["offer", "contact__user"]
    search_fields = ["name", "email", "organisation", "message", "offer__title"]
    autocomplete_fields = ["offer", "contact", "user"]


# The joint bulletin's admin (subscribers, bulletins, items, deliveries).
from .bulletins import admin as bulletins_admin  # noqa: E402,F401

# Insights (issue 7) registers its own models.
from .insights import admin as insights_admin  # noqa: E402,F401

# The Users admin, in place of django.contrib.auth's.
from . import users_admin  # noqa: E402,F401

# django-axes's pages, with a changelist that survives odd filters.
from . import axes_admin  # noqa: E402,F401

# Personal data: download and erase a person's data, erase an address (in place of the two admins above).
from .privacy import admin as privacy_admin  # noqa: E402,F401

"""django-axes's admin pages (sign-in attempts, locks), with the changelist of
programmes.admin_inputs: a date filter that overflows is an unusable filter, not a 500.

Registered in place of axes's own when axes registers them (AXES_ENABLE_ADMIN).
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from programmes.admin_inputs import ReadableInputAdminMixin


class ReadableAccessAttemptAdmin(ReadableInputAdminMixin, AccessAttemptAdmin):
    pass


class ReadableAccessLogAdmin(ReadableInputAdminMixin, AccessLogAdmin):
    pass


class ReadableAccessFailureLogAdmin(ReadableInputAdminMixin, AccessFailureLogAdmin):
    pass


for model, model_admin in (
    (AccessAttempt, ReadableAccessAttemptAdmin),
    (AccessLog, ReadableAccessLogAdmin),
    (AccessFailureLog, ReadableAccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)

"""The Users admin: who a coordinator may manage (brokerage.permissions), and
deleting people without dropping their bookings untold (events' services).

It lives in the brokerage layer because it needs both the portal's roles and
the events app's booking rules.
"""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html

from events import deletion, errors
from events.admin import DeleteSelectedInOneTransaction, confirmed_booking_link

from . import permissions as user_permissions
from . import roles

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DeleteSelectedInOneTransaction, auth_admin.UserAdmin):
    """Deleting a user is events.deletion's: refused (and listed) while they hold a confirmed booking not yet
    over or host a surgery that has one; a place held for them on a waiting list passes on.

    Who may see, change or delete which users, and which fields and groups
    they may set, is brokerage.permissions' rule: superusers have the stock
    admin, coordinators manage only people within the portal's roles.
    """

    def get_queryset(self, request):
        return user_permissions.users_manageable_by(request.user, super().get_queryset(request))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        # The password page (user_change_password) asks this too.
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    def _may_manage(self, request, obj):
        return obj is None or user_permissions.may_manage_user(request.user, obj)

    def get_fieldsets(self, request, obj=None):
        # The form is built from these fields: a field left out here is ignored in a POST.
        return [
            (name, {**options, "fields": user_permissions.user_fields_editable_by(request.user, options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = user_permissions.groups_grantable_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not request.user.is_superuser:
            roles.staff_status_sync(user=form.instance)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        try:
            with transaction.atomic():  # a savepoint of the delete's transaction
                deletion.users_delete_check(user_ids=[obj.pk for obj in objs])
        except errors.ScheduleBusy as busy:
            return deleted, model_count, perms_needed, [*protected, busy.message]
        except errors.DeleteRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            protected = [
                *protected, *(confirmed_booking_link(booking) for booking in refusal.bookings),
                *(format_html('Hosts a booked surgery: <a href="{}">{}</a>',
                              reverse("admin:events_surgery_change", args=[surgery.pk]), surgery)
                  for surgery in refusal.surgeries),
            ]
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        deletion.users_delete(user_ids=[obj.pk])

    def delete_queryset(self, request, queryset):
        deletion.users_delete(user_ids=list(queryset.values_list("pk", flat=True)))

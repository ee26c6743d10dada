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
from django.utils import timezone
from django.utils.html import format_html

from events import selectors, services
from events.admin import DeleteSelectedInOneTransaction, confirmed_booking_link

from . import permissions as user_permissions
from . import roles

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DeleteSelectedInOneTransaction, auth_admin.UserAdmin):
    """Deleting a user deletes their bookings (CASCADE): nobody is told and the places stay taken (the slots'
    counters are kept by events.services, not by a delete), and a surgery they host loses its host.

    While they hold a confirmed booking not yet over, or host a surgery that
    has one, the delete page and "delete selected" refuse and list them.
    Deactivating the account keeps everything. The check locks the people as
    a booking does. A place held for them on a waiting list passes on.

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
        user_ids, now = [obj.pk for obj in objs], timezone.now()
        try:
            with transaction.atomic():  # a savepoint of the delete's transaction
                services.people_lock(user_ids=user_ids)
                booked = list(
                    selectors.bookings_to_come_of(user_ids=user_ids, now=now).select_related("user", "slot__surgery")
                )
        except services.ScheduleBusy as busy:
            return deleted, model_count, perms_needed, [*protected, busy.message]
        hosted = list(selectors.surgeries_booked_to_come_hosted_by(user_ids=user_ids, now=now).select_related("event"))
        if booked or hosted:
            why = []
            if booked:
                bookings = "1 confirmed booking" if len(booked) == 1 else f"{len(booked)} confirmed bookings"
                why.append(
                    f"Deleting would delete {bookings} still to come without telling anyone, and the places would "
                    "stay taken: cancel them first (each person is told by email and the place is offered to the "
                    "waiting list)."
                )
            if hosted:
                surgeries = "1 booked surgery" if len(hosted) == 1 else f"{len(hosted)} booked surgeries"
                why.append(f"Deleting would leave {surgeries} without their host: give them another host first.")
            why.append("To close an account and keep its records, untick “Active” on the user's page instead.")
            self.message_user(request, " ".join(why), messages.ERROR)
            protected = [
                *protected, *(confirmed_booking_link(booking) for booking in booked),
                *(format_html('Hosts a booked surgery: <a href="{}">{}</a>',
                              reverse("admin:events_surgery_change", args=[surgery.pk]), surgery)
                  for surgery in hosted),
            ]
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        services.waitlist_leave_all(user=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.waitlist_leave_all(user=user)
        super().delete_queryset(request, queryset)

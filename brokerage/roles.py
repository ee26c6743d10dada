"""The Coordinators group: staff who run events, bulletins and taxonomy in the admin."""

from django.contrib.auth.models import Group, Permission

COORDINATORS = "Coordinators"
# Everything in the portal's own apps, and enough of auth to create worker accounts.
COORDINATOR_APPS = ["programmes", "providers", "events", "brokerage"]
COORDINATOR_AUTH_PERMISSIONS = ["view_user", "add_user", "change_user", "view_group"]
# Sign-in lockouts (django-axes): see who is paused and lift a pause early by
# deleting its access attempt; the logs of sign-ins and failures, read only.
COORDINATOR_AXES_PERMISSIONS = [
    "view_accessattempt", "delete_accessattempt", "view_accesslog", "view_accessfailurelog",
]
# The groups that are portal roles. Regional workers and provider contacts are profiles, not groups.
ROLE_GROUPS = [COORDINATORS]


def coordinators_group_sync(group_model=Group, permission_model=Permission):
    """Create the group if needed and give it every permission of the portal's apps."""
    group, _ = group_model.objects.get_or_create(name=COORDINATORS)
    permissions = permission_model.objects.filter(content_type__app_label__in=COORDINATOR_APPS) | (
        permission_model.objects.filter(content_type__app_label="auth", codename__in=COORDINATOR_AUTH_PERMISSIONS)
    ) | permission_model.objects.filter(content_type__app_label="axes", codename__in=COORDINATOR_AXES_PERMISSIONS)
    group.permissions.add(*permissions)
    return group


def is_coordinator(user):
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=COORDINATORS).exists()


def staff_status_sync(*, user):
    """Make `user` staff exactly while they are in the Coordinators group (superusers are left alone).

    Coordinators cannot tick "staff" themselves: giving someone the coordinator
    role (the group) brings the admin with it, and taking it away takes the
    admin away, so no one they manage is left staff outside the role.
    """
    if user.is_superuser:
        return
    in_group = user.groups.filter(name=COORDINATORS).exists()
    if user.is_staff != in_group:
        user.is_staff = in_group
        user.save(update_fields=["is_staff"])

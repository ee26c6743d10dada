"""Who may manage which user accounts in the admin.

Superusers manage everyone. Anyone else allowed into the Users admin (a
coordinator) manages only people within the portal's roles: coordinators,
regional workers, provider contacts and plain accounts. A superuser, a staff
user outside the Coordinators group, or anyone holding a raw permission or a
group that is not a portal role is above them: not listed, not opened, not
changed, not given a password, not deleted. They cannot grant anything above
their role either: the staff and superuser flags and raw permissions are not
theirs to edit, and the only groups they may give are the portal's roles.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q

from .roles import COORDINATORS, ROLE_GROUPS

# Fields of the user form only a superuser edits; for anyone else they are left out of the form.
SUPERUSER_ONLY_USER_FIELDS = frozenset({"is_staff", "is_superuser", "user_permissions"})


def users_manageable_by(actor, users=None):
    """The users (of `users`, by default all) whose account `actor` may see and change."""
    User = get_user_model()
    users = User._default_manager.all() if users is None else users
    if actor.is_superuser:
        return users
    direct_permissions = User.user_permissions.through.objects.filter(user=OuterRef("pk"))
    other_groups = Group.objects.filter(user=OuterRef("pk")).exclude(name__in=ROLE_GROUPS)
    in_coordinators = Group.objects.filter(user=OuterRef("pk"), name=COORDINATORS)
    return (
        users.filter(is_superuser=False)
        .exclude(Exists(direct_permissions))
        .exclude(Exists(other_groups))
        # Staff status is part of the coordinator role and of nothing else a coordinator manages.
        .filter(Q(is_staff=False) | Exists(in_coordinators))
    )


def may_manage_user(actor, target):
    """Whether `actor` may see, change, set the password of or delete `target` (the same rule as the list)."""
    return actor.is_superuser or users_manageable_by(actor).filter(pk=target.pk).exists()


def user_fields_editable_by(actor, fields):
    """Those of the user form's `fields` that `actor` may edit, in their order."""
    if actor.is_superuser:
        return tuple(fields)
    return tuple(name for name in fields if name not in SUPERUSER_ONLY_USER_FIELDS)


def groups_grantable_by(actor):
    """The groups `actor` may put a user in: any for a superuser, the portal's roles for anyone else."""
    if actor.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(name__in=ROLE_GROUPS)

from django.contrib import admin, messages
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from programmes.admin_inputs import ReadableInputAdminMixin

from . import services
from .choices import MembershipStatus
from .models import EmailConfirmation, Membership, PlanItem, ProviderContact, ProviderOrganisation, VerifiedDomain


class ProviderContactInline(ReadableInputAdminMixin, admin.TabularInline):
    model = ProviderContact
    extra = 0
    autocomplete_fields = ["user"]
    # Contacts join through a request (Memberships, below), so history and the pair stay whole.
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class VerifiedDomainInline(admin.TabularInline):
    model = VerifiedDomain
    extra = 0


class PlanItemInline(ReadableInputAdminMixin, admin.TabularInline):
    model = PlanItem
    extra = 0
    autocomplete_fields = ["offer", "added_by"]


@admin.register(ProviderOrganisation)
class ProviderOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "town"]
    list_filter = ["kind", "region", "priorities"]
    list_select_related = ["region"]
    search_fields = ["name", "town"]
    filter_horizontal = ["priorities", "staff_groups"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [VerifiedDomainInline, ProviderContactInline, PlanItemInline]


@admin.register(ProviderContact)
class ProviderContactAdmin(ReadableInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "job_title", "organisation"]
    list_select_related = ["user", "organisation"]
    list_filter = ["organisation__kind", "organisation__region"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    actions = ["remove_from_organisation"]

    def has_add_permission(self, request):
        return False  # through a membership request: approve it in Memberships

    # Deleting a user takes their contact profile with it (the Users admin checks this permission for
    # it). On its own a contact is not deleted but removed, with the action below, which ends the
    # membership too and records who did it: no delete action, link or page here.
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "show_delete": False})

    def delete_view(self, request, object_id, extra_context=None):
        self.message_user(
            request,
            gettext(
                "Contacts are not deleted: select them and use “Remove the selected contacts from their organisations”."
            ),
            messages.WARNING,
        )
        return redirect("admin:providers_providercontact_changelist")

    @admin.action(description=_("Remove the selected contacts from their organisations"), permissions=["change"])
    def remove_from_organisation(self, request, queryset):
        count = 0
        for contact in queryset.select_related("user"):
            try:
                services.contact_remove(contact=contact, by=request.user)
            except services.MembershipError as refusal:
                self.message_user(request, f"{contact.user.email}: {refusal.message}", messages.WARNING)
            else:
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d contact removed.", "%(count)d contacts removed.", count) % {"count": count},
            messages.SUCCESS,
        )


class EmailConfirmedFilter(admin.SimpleListFilter):
    title = _("email address")
    parameter_name = "email"

    def lookups(self, request, model_admin):
        return [("confirmed", gettext("Confirmed")), ("unconfirmed", gettext("Not confirmed yet"))]

    def queryset(self, request, queryset):
        confirmed = Q(user__email_confirmation__isnull=True) | Q(user__email_confirmation__confirmed_at__isnull=False)
        if self.value() == "confirmed":
            return queryset.filter(confirmed)
        if self.value() == "unconfirmed":
            return queryset.exclude(confirmed)
        return queryset


@admin.register(Membership)
class MembershipAdmin(ReadableInputAdminMixin, SimpleHistoryAdmin):
    list_display = ["user_email", "organisation", "status", "email_confirmed", "reason", "requested_at", "decided_by"]
    list_filter = ["status", EmailConfirmedFilter, "organisation__region"]
    list_select_related = ["user__email_confirmation", "organisation", "decided_by"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "organisation__name"]
    readonly_fields = [
        "user", "organisation", "status", "reason", "job_title", "requested_at", "decided_by", "decided_at"
    ]
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False  # people ask from their account page; decisions are the actions below

    @admin.display(description=_("email"), ordering="user__email")
    def user_email(self, membership):
        return membership.user.email

    @admin.display(description=_("address confirmed"), boolean=True)
    def email_confirmed(self, membership):
        confirmation = getattr(membership.user, "email_confirmation", None)
        return confirmation is None or confirmation.confirmed_at is not None

    def _decide(self, request, queryset, service, done):
        count = 0
        for membership in queryset.filter(status=MembershipStatus.PENDING).select_related("user", "organisation"):
            try:
                service(membership=membership, by=request.user)
            except services.MembershipError as refusal:
                self.message_user(request, f"{membership.user.email}: {refusal.message}", messages.WARNING)
            else:
                count += 1
        self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected pending requests"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(
            request, queryset, services.membership_approve,
            lambda n: ngettext("%(count)d request approved.", "%(count)d requests approved.", n),
        )

    @admin.action(description=_("Decline the selected pending requests"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(
            request, queryset, services.membership_decline,
            lambda n: ngettext("%(count)d request declined.", "%(count)d requests declined.", n),
        )


@admin.register(VerifiedDomain)
class VerifiedDomainAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = ["domain", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["domain", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(EmailConfirmation)
class EmailConfirmationAdmin(admin.ModelAdmin):
    """Accounts made through sign-up, and whether they have proved their address; read-only."""

    list_display = ["user", "created_at", "sent_at", "confirmed_at"]
    list_select_related = ["user"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email"]
    readonly_fields = ["user", "created_at", "sent_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(PlanItem)
class PlanItemAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = ["offer", "organisation", "status", "position", "added_at"]
    list_filter = ["status"]
    list_select_related = ["offer", "organisation"]
    search_fields = ["offer__title", "organisation__name"]
    autocomplete_fields = ["offer", "organisation", "added_by"]

"""Coordinators answer a person who writes in: download their data, erase it (users), erase an address.

The Users and Subscribers admins gain these through subclasses registered in
place of theirs; the work is brokerage.privacy.services', as on the person's
own pages.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from ..bulletins import admin as bulletins_admin
from ..models import Subscriber
from .. import users_admin
from . import services
from .forms import AddressEraseForm

User = get_user_model()


SUMMARY = [
    ("bookings_cancelled", ngettext_lazy("%(count)d booking cancelled", "%(count)d bookings cancelled", "count")),
    ("subscriptions_removed",
     ngettext_lazy("%(count)d subscription removed", "%(count)d subscriptions removed", "count")),
    ("enquiries_erased", ngettext_lazy("%(count)d enquiry erased", "%(count)d enquiries erased", "count")),
]


def _erase_summary(done):
    return ", ".join(words % {"count": done[key]} for key, words in SUMMARY if key in done)


class PrivacyUserAdmin(users_admin.UserAdmin):
    actions = ["download_data", "erase_data"]

    @admin.action(description=_("Download their data (one person, JSON)"), permissions=["change"])
    def download_data(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Choose exactly one person to download their data."), messages.ERROR)
            return None
        person = queryset.get()
        data = services.person_data_export(user=person)
        response = HttpResponse(services.export_json(data), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{services.export_filename(user=person)}"'
        return response

    @admin.action(description=_("Erase the selected people and their data"), permissions=["change"])
    def erase_data(self, request, queryset):
        people = list(queryset.exclude(pk=request.user.pk).order_by("pk"))
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, gettext("You cannot erase your own account here: use “Your data”."), messages.ERROR)
        if not people:
            return None
        if request.POST.get("post") != "yes":
            return TemplateResponse(request, "admin/privacy/erase_confirmation.html", {
                **self.admin_site.each_context(request),
                "title": gettext("Erase these people and their data?"),
                "people": people,
                "action": "erase_data",
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            })
        for person in people:
            label = person.get_username()
            try:
                done = services.person_erase(user=person)
            except services.ErasureRefused as refused:
                self.message_user(
                    request,
                    gettext("%(person)s: not erased. %(reason)s") % {"person": label, "reason": refused.message},
                    messages.ERROR,
                )
                continue
            self.message_user(
                request, gettext("Erased one account (%(summary)s).") % {"summary": _erase_summary(done)}, messages.SUCCESS
            )
        return None


class PrivacySubscriberAdmin(bulletins_admin.SubscriberAdmin):
    actions = [*bulletins_admin.SubscriberAdmin.actions, "erase_addresses"]
    change_list_template = "admin/privacy/subscriber_change_list.html"

    def get_urls(self):
        return [
            path("erase-address/", self.admin_site.admin_view(self.erase_address_view), name="privacy_erase_address"),
            *super().get_urls(),
        ]

    def _erase(self, request, email):
        done = services.subscriber_erase(email=email)
        self.message_user(request, f"{email}: {_erase_summary(done)}.", messages.SUCCESS)
        if done["account_exists"]:
            self.message_user(
                request,
                gettext("An account uses %(email)s: erase it from Users (“Erase the selected people”).") % {"email": email},
                messages.WARNING,
            )

    @admin.action(description=_("Erase everything held about the selected addresses"), permissions=["delete"])
    def erase_addresses(self, request, queryset):
        for email in list(queryset.values_list("email", flat=True)):
            self._erase(request, email)

    def erase_address_view(self, request):
        if not self.has_delete_permission(request):
            return redirect("admin:index")
        form = AddressEraseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            self._erase(request, form.cleaned_data["email"])
            return redirect(reverse("admin:brokerage_subscriber_changelist"))
        return TemplateResponse(request, "admin/privacy/erase_address.html", {
            **self.admin_site.each_context(request),
            "title": gettext("Erase what is held about an email address"),
            "form": form,
            "opts": self.model._meta,
        })


admin.site.unregister(User)
admin.site.register(User, PrivacyUserAdmin)
admin.site.unregister(Subscriber)
admin.site.register(Subscriber, PrivacySubscriberAdmin)

"""The coordinators' bulletin desk: compose, preview, test, schedule, send, watch."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from people.services import email_language_for
from programmes.admin_inputs import ReadableInputAdminMixin

from ..choices import BulletinStatus, DeliveryStatus
from ..models import Bulletin, BulletinItem, Delivery, Subscriber
from . import selectors, services
from .content import bulletin_renderer, event_path, offer_path


class SubscriberStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", gettext("Receiving bulletins")),
            ("unconfirmed", gettext("Not confirmed")),
            ("paused", gettext("Paused after failures")),
            ("unsubscribed", gettext("Unsubscribed")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "active":
            return queryset.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True, paused_at__isnull=True)
        if value == "unconfirmed":
            return queryset.filter(confirmed_at__isnull=True)
        if value == "paused":
            return queryset.filter(paused_at__isnull=False)
        if value == "unsubscribed":
            return queryset.filter(unsubscribed_at__isnull=False)
        return queryset


@admin.register(Subscriber)
class SubscriberAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = [
        "email", "name", "organisation", "confirmed_at", "unsubscribed_at", "paused_at", "consecutive_failures",
    ]
    list_filter = [SubscriberStateFilter, "themes", "regions"]
    search_fields = ["email", "name", "organisation"]
    filter_horizontal = ["themes", "regions"]
    autocomplete_fields = ["user"]
    readonly_fields = ["token", "created_at", "consecutive_failures"]
    actions = ["resume", "rotate_tokens"]

    @admin.action(description=_("Resume sending to the selected paused addresses"))
    def resume(self, request, queryset):
        count = queryset.filter(paused_at__isnull=False).update(paused_at=None, consecutive_failures=0)
        self.message_user(
            request, ngettext("Resumed %(count)d address.", "Resumed %(count)d addresses.", count) % {"count": count}
        )

    @admin.action(description=_("Give the selected addresses new unsubscribe links (old links stop working)"))
    def rotate_tokens(self, request, queryset):
        count = services.subscriber_tokens_rotate(subscribers=list(queryset))
        self.message_user(
            request,
            ngettext(
                "New unsubscribe links for %(count)d address.", "New unsubscribe links for %(count)d addresses.", count
            ) % {"count": count},
        )


class BulletinItemInline(admin.TabularInline):
    model = BulletinItem
    # Grouped by section with counts; long sections folded (a draft can hold dozens of items).
    template = "admin/bulletins/bulletin_items_inline.html"
    fields = ["kind", "item", "pinned", "dropped", "position"]
    readonly_fields = ["kind", "item"]
    extra = 0
    can_delete = False
    ordering = ["kind", "-pinned", "position"]

    def has_add_permission(self, request, obj=None):
        return False  # items come from "Draft from the period"

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def get_queryset(self, request):
        return selectors.bulletin_items_for_desk(super().get_queryset(request))

    @admin.display(description=_("Offer or event"))
    def item(self, obj):
        target = obj.offer or obj.event
        extra = (
            f" ({obj.offer.programme.plain_name})" if obj.offer
            else f" ({date_format(timezone.localtime(obj.event.starts_at), 'j M Y')})"
        )
        path = offer_path(obj.offer) if obj.offer else event_path(obj.event)
        return format_html('<a href="{}">{}</a>{}', path, target, extra)


@admin.register(Bulletin)
class BulletinAdmin(TranslationAdmin):
    list_display = ["title", "period_start", "period_end", "status", "scheduled_for", "sent_at", "progress"]
    list_filter = ["status"]
    search_fields = ["title", "introduction"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "period_start", "period_end", "introduction", "send_empty", "status", "scheduled_for",
              "sent_at", "finished_at"]
    readonly_fields = ["status", "scheduled_for", "sent_at", "finished_at"]
    inlines = [BulletinItemInline]
    change_form_template = "admin/bulletins/bulletin_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
            failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            remaining_count=Count(
                "deliveries", filter=Q(deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
            ),
        )

    @admin.display(description=_("Sent / failed / remaining"))
    def progress(self, obj):
        if obj.status in (BulletinStatus.DRAFT, BulletinStatus.SCHEDULED):
            return "–"
        return f"{obj.sent_count} / {obj.failed_count} / {obj.remaining_count}"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            # Each language's field of a translated one ("title" -> "title_en_gb", "title_cy").
            return list(self.replace_orig_field(self.fields))
        return self.readonly_fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and not obj.is_editable else super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # A new bulletin starts with its period's content drafted.
        services.bulletin_compose_draft(bulletin=obj)
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("<int:pk>/draft/", wrap(self.draft_view), name="bulletins_bulletin_draft"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="bulletins_bulletin_preview"),
            path("<int:pk>/test/", wrap(self.test_view), name="bulletins_bulletin_test"),
            path("<int:pk>/schedule/", wrap(self.schedule_view), name="bulletins_bulletin_schedule"),
            path("<int:pk>/unschedule/", wrap(self.unschedule_view), name="bulletins_bulletin_unschedule"),
            path("<int:pk>/send/", wrap(self.send_view), name="bulletins_bulletin_send"),
            path("<int:pk>/progress/", wrap(self.progress_view), name="bulletins_bulletin_progress"),
        ] + super().get_urls()

    def _get(self, request, pk, change=True):
        bulletin = get_object_or_404(Bulletin, pk=pk)
        allowed = self.has_change_permission(request, bulletin) if change else self.has_view_permission(request, bulletin)
        if not allowed:
            raise PermissionDenied
        return bulletin

    def _back(self, bulletin):
        return redirect(reverse("admin:brokerage_bulletin_change", args=[bulletin.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        # get_object answers None for an id that is not one (not a number, no such row), as the admin does.
        bulletin = self.get_object(request, object_id)
        if bulletin is not None:
            extra_context["bulletin_desk"] = {
                "bulletin": bulletin,
                "progress": selectors.bulletin_progress(bulletin),
                "active_subscribers": selectors.active_subscribers().count(),
                "min_schedule": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def draft_view(self, request, pk):
        if request.method != "POST":
            return self._back(self._get(request, pk))
        bulletin = self._get(request, pk)
        try:
            found = services.bulletin_compose_draft(bulletin=bulletin)
        except services.BulletinError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                gettext("Drafted from the period: %(offers)d offers and %(events)d events qualify.") % found,
            )
        return self._back(bulletin)

    def preview_view(self, request, pk):
        bulletin = self._get(request, pk, change=False)
        email = request.GET.get("email", "").strip()
        subscriber = Subscriber.objects.filter(email__iexact=email).first() if email else None
        if email and subscriber is None:
            messages.error(request, gettext("No subscriber has the address %(email)s.") % {"email": email})
            return self._back(bulletin)
        # In the language that subscriber reads it in; without one, as an unknown reader gets it.
        rendered = bulletin_renderer(bulletin, email_language_for(subscriber)).render_for(
            name=subscriber.name if subscriber else "Sam Example",
            token=subscriber.token if subscriber else None,
            theme_ids=frozenset(subscriber.themes.values_list("pk", flat=True)) if subscriber else frozenset(),
            region_ids=frozenset(subscriber.regions.values_list("pk", flat=True)) if subscriber else frozenset(),
        )
        if rendered is None:
            messages.warning(
                request,
                gettext(
                    "%(email)s would be skipped: nothing matches their themes and regions, and this bulletin "
                    "does not send the 'nothing new' version."
                ) % {"email": email},
            )
            return self._back(bulletin)
        subject, text, html = rendered
        if request.GET.get("format") == "text":
            return HttpResponse(f"Subject: {subject}\n\n{text}", content_type="text/plain; charset=utf-8")
        return _email_preview(html)

    def test_view(self, request, pk):
        bulletin = self._get(request, pk)
        if request.method != "POST":
            return self._back(bulletin)
        if not request.user.email:
            messages.error(request, gettext("Your account has no email address to send the test to."))
            return self._back(bulletin)
        try:
            services.bulletin_send_test(
                bulletin=bulletin,
                to=request.user.email,
                name=request.user.get_full_name() or request.user.email,
                subscriber=selectors.subscriber_for_user(request.user),
                language=email_language_for(request.user),
            )
        except services.BulletinError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext("A test copy is on its way to %(email)s.") % {"email": request.user.email})
        return self._back(bulletin)

    def schedule_view(self, request, pk):
        bulletin = self._get(request, pk)
        if request.method != "POST":
            return self._back(bulletin)
        when = parse_datetime(request.POST.get("scheduled_for", ""))
        if when is None:
            messages.error(request, gettext("Give a date and time to send it, for example 2026-12-01 09:00."))
            return self._back(bulletin)
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        try:
            services.bulletin_schedule(bulletin=bulletin, when=when)
        except services.BulletinError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                gettext("Scheduled for %(day)s at %(time)s.") % {
                    "day": date_format(timezone.localtime(when), "j F Y"), "time": date_format(timezone.localtime(when), "H:i")
                },
            )
        return self._back(bulletin)

    def unschedule_view(self, request, pk):
        bulletin = self._get(request, pk)
        if request.method == "POST":
            services.bulletin_unschedule(bulletin=bulletin)
            messages.success(request, gettext("No longer scheduled: it is a draft again."))
        return self._back(bulletin)

    def send_view(self, request, pk):
        bulletin = self._get(request, pk)
        if request.method != "POST":
            return self._back(bulletin)
        try:
            services.bulletin_send_now(bulletin=bulletin)
        except services.BulletinError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext("Sending has started. Progress shows below."))
        return self._back(bulletin)

    def progress_view(self, request, pk):
        bulletin = self._get(request, pk, change=False)
        return TemplateResponse(
            request,
            "admin/bulletins/_progress.html",
            {"bulletin": bulletin, "progress": selectors.bulletin_progress(bulletin)},
        )


def _email_preview(html):
    # Emails carry inline styles (mail clients need them); this response has
    # its own policy that allows them and no script at all.
    response = HttpResponse(html)
    response._csp_replace = {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https:"],
        "script-src": ["'none'"],
    }
    return response


@admin.register(BulletinItem)
class BulletinItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "bulletin", "kind", "pinned", "dropped"]
    list_filter = ["kind", "pinned", "dropped", "bulletin"]
    list_select_related = ["bulletin", "offer", "event"]
    list_editable = ["pinned", "dropped"]
    raw_id_fields = ["bulletin", "offer", "event"]

    def has_change_permission(self, request, obj=None):
        # Once sending starts the content is frozen (senders cache it per process).
        return super().has_change_permission(request, obj) and (obj is None or obj.bulletin.is_editable)


@admin.register(Delivery)
class DeliveryAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = ["bulletin", "subscriber", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "permanent_failure", "bulletin"]
    list_select_related = ["bulletin", "subscriber"]
    search_fields = ["subscriber__email"]
    autocomplete_fields = ["bulletin", "subscriber"]
    readonly_fields = ["claimed_at", "claim_token", "sent_at", "attempts", "last_error", "permanent_failure"]

"""Bad input never reaches a 500: every URL, every persona, hostile values in every parameter and form field.

The walker goes over the whole URL resolver, fills each pattern's converters
with a real sample object, and as a visitor, a provider contact, a regional
worker and a coordinator:

- GETs the page plainly, then once per hostile value with every query
  parameter set to it (the documented ones, the admin's, and those the page's
  own links and search forms use); where the persona may see the page, it
  then tries each parameter the view read (tests_support.url_walker.QueryReads)
  alone, so that no other parameter's error hides it;
- POSTs every form it found on those pages, once per hostile value with every
  field set to it, and, when the form as the page filled it in is valid, once
  per field and value with the others left so (file inputs get a small CSV
  whose cells are the value).

Each pattern gets one sample object (the `sample` fixture, or the first row
of an admin page's model); a new pattern with converters fails the test until
the fixture names a sample for it. Then, as the coordinator, each converter
of each pattern gets each hostile value in turn. Not walked: signing out, the admin's
catch-all redirect, and posting the admin's deletion confirmations.

It runs on SQLite and on PostgreSQL; PostgreSQL is where a NUL character in a
query is an error, so the PostgreSQL run is the one that counts most.
"""

import datetime as dt
import logging
import time
from urllib.parse import quote, urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from brokerage.bulletins.services import subscription_request
from brokerage.choices import BulletinStatus
from brokerage.insights.links import tracked_path
from brokerage.insights.models import InsightDigest
from programmes.choices import OfferStatus
from programmes.models import Offer, OfferReviewReminder, OutboxEmail, SearchSynonym
from programmes.offer_import import COLUMNS
from providers.models import EmailConfirmation, VerifiedDomain
from providers.services import email_confirmation_token
from tests_support import factories
from tests_support.url_walker import (
    ADMIN_PARAMS, DOCUMENTED_PARAMS, HOSTILE_VALUES, PageForms, QueryReads, fill, url_patterns,
)

# Not walked: signing out ends the persona's session; the catch-all only redirects to the admin's index.
SKIPPED_PATTERNS = {"logout", "admin:logout"}
UNNAMED_SKIPPED_ROUTES = {"admin/(?P<url>.*)$"}

# One request per parameter (or field) and value: the values that are just odd text (unicode, markup, a
# formula) are tried with every parameter or field at once only.
SHARP_VALUES = [(label, value) for label, value in HOSTILE_VALUES if label not in ("unicode", "markup", "formula")]
# In a path token: one value at a time (a repeated parameter has no meaning there).
PATH_VALUES = [(label, value) for label, value in HOSTILE_VALUES if isinstance(value, str)]
# Read by the admin's own code on every changelist alike: tried one at a time on the first changelist only.
ADMIN_GENERIC_PARAMS = set(ADMIN_PARAMS) - {"q"}


@pytest.fixture
def sample(coordinator, worker, provider_contact):
    """One object of each kind, related the way the personas need to see their pages."""
    now = timezone.now()
    region = factories.RegionFactory(slug="devon", name="Devon")
    theme = factories.ThemeFactory(slug="maths", name="Maths and numeracy")
    audience = factories.AudienceFactory(slug="teachers", name="Teachers")
    programme = factories.ProgrammeFactory()
    worker.programmes.add(programme)
    worker.regions.add(region)
    offer = factories.OfferFactory(
        programme=programme, contact=worker, themes=[theme], audiences=[audience], regions=[region],
        title="Maths coaching for teachers", summary="Coaching visits for maths teachers.",
    )
    twin = factories.OfferFactory(
        programme=factories.ProgrammeFactory(), themes=[theme], audiences=[audience], regions=[region],
        title="Maths coaching for FE teachers", summary="Coaching visits for maths teachers.",
    )
    factories.OfferFactory(programme=programme, status=OfferStatus.DRAFT, published_at=None, themes=[theme])
    factories.GlossaryTermFactory(acronym="CPD", meaning="Continuing professional development")
    SearchSynonym.objects.create(terms="maths, mathematics, numeracy")
    factories.PlanItemFactory(organisation=provider_contact.organisation, offer=offer, position=1)
    # The plan's guidance forms: move the offer after what it builds on, add the missing prerequisite before it.
    basics, missing = (factories.OfferFactory(programme=programme, themes=[theme]) for _ in range(2))
    offer.builds_on.set([basics, missing])
    factories.PlanItemFactory(organisation=provider_contact.organisation, offer=basics, position=2)
    provider_contact.organisation.priorities.add(theme)

    event = factories.JointEventFactory(region=region)
    surgery = factories.SurgeryFactory(event=event)
    surgery.hosts.add(worker)
    slot = factories.SlotFactory(surgery=surgery, capacity=2, booked_count=1)  # the booking below
    booking = factories.BookingFactory(slot=slot, user=provider_contact.user)
    factories.SlotFactory(surgery=factories.SurgeryFactory(event=event), capacity=2)  # clashes with the booking
    waitlist_entry = factories.WaitlistEntryFactory(surgery=surgery, user=provider_contact.user)
    past = factories.JointEventFactory(
        starts_at=now - dt.timedelta(days=10, hours=6), ends_at=now - dt.timedelta(days=10),
        booking_opens_at=now - dt.timedelta(days=40), booking_closes_at=now - dt.timedelta(days=11),
    )
    past_slot = factories.SlotFactory(surgery=factories.SurgeryFactory(event=past), booked_count=1)
    factories.BookingFactory(slot=past_slot, user=provider_contact.user)
    factories.EvaluationFactory(event=past)

    factories.BulletinFactory(title="Draft bulletin")  # the lowest id: the admin's sample is a draft
    sent = factories.BulletinFactory(status=BulletinStatus.SENT, sent_at=now - dt.timedelta(days=1))
    factories.BulletinItemFactory(bulletin=sent, offer=offer)
    subscriber = factories.SubscriberFactory(email="reader@example.org")
    subscriber.themes.add(theme)
    factories.DeliveryFactory(bulletin=sent, subscriber=subscriber)
    confirm_link = subscription_request(email="new-reader@example.org", name="New Reader")
    enquiry = factories.EnquiryFactory(offer=offer, contact=worker)
    low, high = sorted([offer, twin], key=lambda o: o.pk)
    factories.DuplicateReviewFactory(offer_a=low, offer_b=high)
    factories.SignalFactory(theme=theme, region=region)
    OfferReviewReminder.objects.create(offer=offer, worker=worker, period_start=timezone.localdate())
    OutboxEmail.objects.create(key="walker:1", kind="test", to=["a@example.org"], subject="Hello", body="Hello")
    InsightDigest.objects.create(week_start=timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday()))
    attempt = dict(user_agent="walker", ip_address="127.0.0.1", username="someone@example.org", http_accept="*/*",
                   path_info="/accounts/login/")
    AccessAttempt.objects.create(**attempt, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt, locked_out=False)
    # Joining an organisation: a newcomer who has not confirmed their address, a confirmed one waiting for
    # the provider contact's organisation, a colleague there, and a verified domain.
    newcomer = factories.UserFactory(username="newcomer@example.org")
    EmailConfirmation.objects.create(user=newcomer)
    asking = factories.UserFactory(username="asking@example.org")
    request = factories.MembershipFactory(user=asking, organisation=provider_contact.organisation)
    colleague = factories.ProviderContactFactory(organisation=provider_contact.organisation)
    VerifiedDomain.objects.create(organisation=provider_contact.organisation, domain="college.example")

    return {
        "password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(provider_contact.user.pk)),
            "token": default_token_generator.make_token(provider_contact.user),
        },
        "email_confirm": {"token": email_confirmation_token(newcomer)},
        "events:booking_detail": {"booking_id": booking.pk},
        "events:booking_calendar": {"booking_id": booking.pk},
        "events:event_calendar": {"slug": event.slug},
        "account:request_approve": {"pk": request.pk},
        "account:request_decline": {"pk": request.pk},
        "account:contact_remove": {"pk": colleague.pk},
        "events:booking_cancel": {"booking_id": booking.pk},
        "events:waitlist_join": {"surgery_id": surgery.pk},
        "events:waitlist_leave": {"entry_id": waitlist_entry.pk},
        "events:event_detail": {"slug": event.slug},
        "events:booking_new": {"slug": event.slug, "slot_id": slot.pk},
        "events:evaluation": {"slug": past.slug},
        "admin:view_on_site": {"content_type_id": ContentType.objects.get_for_model(Offer).pk, "object_id": offer.pk},
        "admin:app_list": {"app_label": "programmes"},
        "admin:programmes_offer_simple_history": {"0": offer.pk, "1": offer.history.earliest().history_id},
        "catalogue:offer_detail": {"slug": offer.slug},
        "programmes:programme_detail": {"slug": programme.slug},
        "account:plan_add": {"offer_id": twin.pk},
        "account:plan_move": {"pk": provider_contact.organisation.plan_items.first().pk},
        "account:plan_status": {"pk": provider_contact.organisation.plan_items.first().pk},
        "account:plan_remove": {"pk": provider_contact.organisation.plan_items.first().pk},
        "workspace_enquiries:mark_answered": {"pk": enquiry.pk},
        "workspace:offer_detail": {"pk": offer.pk},
        "workspace:offer_edit": {"pk": offer.pk},
        "workspace:offer_publish": {"pk": offer.pk},
        "workspace:offer_retire": {"pk": offer.pk},
        "workspace:offer_reviewed": {"pk": offer.pk},
        "network:worker_detail": {"slug": worker.slug},
        "bulletins:confirm": {"token": urlsplit(confirm_link).path.rstrip("/").rsplit("/", 1)[1]},
        "bulletins:unsubscribe": {"token": subscriber.token},
        "bulletins:bulletin_detail": {"slug": sent.slug},
        "insights:export": {"table": "themes"},
        "insights:duplicate_compare": {"first": low.pk, "second": high.pk},
        "insights:tracked_redirect": {"token": tracked_path("/offers/", bulletin=sent).rstrip("/").rsplit("/", 1)[1]},
    }


def _admin_model_values(pattern):
    """Values for the admin's per-model URLs: every converter names the model's first row."""
    parts = pattern.route.split("/")
    if len(parts) < 3 or parts[0] != "admin":
        return None
    try:
        model = apps.get_model(parts[1], parts[2])
    except (LookupError, ValueError):
        return None
    first = model._default_manager.order_by("pk").first()
    if first is None:
        return None
    return {name: first.pk for name in pattern.parameters}


def _walk_targets(samples):
    """(pattern name or route, path, pattern, sample values) for every walked pattern; and those with no samples."""
    targets, unfilled = [], []
    for pattern in url_patterns():
        if pattern.name in SKIPPED_PATTERNS or (pattern.name is None and pattern.route in UNNAMED_SKIPPED_ROUTES):
            continue
        values = {}
        if pattern.parameters:
            values = samples.get(pattern.name) or _admin_model_values(pattern)
            if values is None:
                unfilled.append(pattern.name or pattern.route)
                continue
        targets.append((pattern.name or pattern.route, fill(pattern, values), pattern, values))
    return targets, unfilled


class Walker:
    def __init__(self):
        self.failures = []
        self.requests = 0

    def check(self, response, persona, method, path, what):
        self.requests += 1
        problem = None
        if response.status_code >= 500:
            problem = f"status {response.status_code}"
        elif getattr(response, "streaming", False):
            try:
                b"".join(response.streaming_content)
            except Exception as error:  # noqa: BLE001 - any exception while streaming is the finding
                problem = f"{type(error).__name__} while streaming"
        if problem:
            exc = getattr(response, "exc_info", None)
            cause = f": {exc[0].__name__}: {str(exc[1])[:120]}" if exc else ""
            self.failures.append(f"{persona} {method} {path} {what} -> {problem}{cause}")
        return response

    def get(self, client, persona, path, params, what):
        return self.check(client.get(path, params), persona, "GET", path, what)

    def post(self, client, persona, path, data, what):
        return self.check(client.post(path, data), persona, "POST", path, what)


def _csv_upload(name, value):
    """A CSV file of the offer import's columns with `value` in every cell."""
    text = value if isinstance(value, str) else ";".join(value)
    cell = '"' + text.replace('"', '""') + '"'
    content = ",".join(COLUMNS) + "\r\n" + ",".join([cell] * len(COLUMNS)) + "\r\n"
    return SimpleUploadedFile(f"{name}.csv", content.encode("utf-8", "surrogatepass"), content_type="text/csv")


def _post_data(form, overrides):
    """The form as the page filled it in, with `overrides`; file inputs get a CSV of their value (or "x")."""
    data = {name: default for name, default in form.fields.items() if name != "csrfmiddlewaretoken"}
    data.update(overrides)
    for name in form.files:
        data[name] = _csv_upload(name, overrides.get(name, "x"))
    return data


def _skip_form(form):
    """Forms the walker leaves alone: signing out, and the admin's deletion confirmations."""
    action = urlsplit(form.action).path
    return (
        form.method != "post"
        or not action.startswith("/")
        or action.endswith("/logout/")
        or action.endswith("/delete/")
        or form.fields.get("post") == "yes"
    )


def _query_params(path, page_params):
    params = set(DOCUMENTED_PARAMS) | page_params
    if path.startswith("/admin/"):
        params |= set(ADMIN_PARAMS)
    params.discard("csrfmiddlewaretoken")
    return params


def _get_sweep(walker, client, persona, name, path, swept, forms):
    """GET `path` plainly and with hostile query values; note the page's forms for the POST sweep."""
    page = walker.get(client, persona, path, {}, "(no parameters)")
    visible = page.status_code == 200 and "html" in page.get("Content-Type", "")
    page_params = set()
    if visible:
        found = PageForms(path, page.content.decode("utf-8", "replace"))
        page_params = set(found.link_params)
        for form in found.forms:
            if form.method == "get":
                page_params |= set(form.fields)
            elif not _skip_form(form):
                forms.setdefault((persona, urlsplit(form.action).path, tuple(sorted(form.fields))), form)
    params = _query_params(path, page_params)
    read = set()
    for label, value in HOSTILE_VALUES:
        walker.get(client, persona, path, {param: value for param in params}, f"every parameter = {label}")
        read |= QueryReads.last.keys | (page_params if QueryReads.last.everything else set())
    # One parameter at a time (so no other one's error hides it): those the view read, once per pattern.
    if visible:
        for param in sorted(read & params):
            key = ("admin", param) if path.startswith("/admin/") and param in ADMIN_GENERIC_PARAMS else (name, param)
            if key in swept:
                continue
            swept.add(key)
            for label, value in SHARP_VALUES:
                walker.get(client, persona, path, {param: value}, f"{param} = {label}")


def _post_sweep(walker, client, persona, action, form):
    """POST the form with every field hostile at once; then, if it is valid as the page filled it in, one at a time.

    One field at a time only tells something when the rest is valid: otherwise
    the form stops at the others' errors, as it does with all of them hostile.
    """
    fields = [name for name in form.fields if name != "csrfmiddlewaretoken"] + form.files
    for label, value in HOSTILE_VALUES:
        walker.post(client, persona, action, _post_data(form, {f: value for f in fields}), f"every field = {label}")
    as_filled = walker.post(client, persona, action, _post_data(form, {}), "(as the page filled it in)")
    if as_filled.status_code not in (301, 302, 303):
        return
    for name in fields:
        for label, value in SHARP_VALUES:
            walker.post(client, persona, action, _post_data(form, {name: value}), f"{name} = {label}")


@pytest.mark.django_db
def test_hostile_values_never_answer_500_on_any_url_for_any_persona(sample, coordinator, worker, provider_contact,
                                                                      settings, request):
    # Every form posted dozens of times in a row: limits and lockouts would answer 429 before the form is read.
    settings.RATELIMIT_ENABLE = False
    settings.AXES_ENABLED = False
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests_support.url_walker.QueryReads"]
    personas = {"visitor": None, "provider contact": provider_contact.user, "worker": worker.user,
                "coordinator": coordinator}
    targets, unfilled = _walk_targets(sample)
    walker, forms, swept = Walker(), {}, set()
    started = time.monotonic()
    # The walk's thousands of refused requests (400s) each log a traceback; pytest keeps every
    # record with its frames, which held gigabytes. A 500 is judged by its status, not its log.
    logging.disable(logging.CRITICAL)
    request.addfinalizer(lambda: logging.disable(logging.NOTSET))

    for persona, user in personas.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for name, path, _, _ in targets:
            if path.startswith("/admin/") and persona != "coordinator":
                # The admin sends everyone else to its sign-in page before it reads anything.
                walker.get(client, persona, path, {"q": "a\x00b"}, "q = NUL")
                continue
            _get_sweep(walker, client, persona, name, path, swept, forms)
        for (form_persona, action, _), form in forms.items():
            if form_persona == persona:
                _post_sweep(walker, client, persona, action, form)

    # Hostile path tokens, once, as the coordinator (who may open nearly every view): each converter in turn.
    for name, _, pattern, values in targets:
        for parameter in values:
            for label, value in PATH_VALUES:
                path = fill(pattern, {**values, parameter: quote(value, safe="")})
                walker.get(client, "coordinator", path, {}, f"path token {parameter} = {label}")

    # Shown with -s: how long the walk takes, to keep it bounded.
    print(f"\nwalker: {len(targets)} URLs, {len(forms)} forms, {walker.requests} requests, "
          f"{time.monotonic() - started:.0f} s")
    assert unfilled == [], "URL patterns with no sample values: add them to the `sample` fixture"
    assert walker.failures == []

"""factory-boy factories for every model, shared by all apps' tests."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from brokerage.choices import BulletinItemKind
from brokerage.models import Bulletin, BulletinItem, Delivery, Enquiry, Subscriber
from events.choices import EventStatus
from events.models import Booking, JointEvent, Slot, Surgery
from people.models import Preferences
from programmes.choices import CostKind, OfferFormat, OfferStatus
from programmes.models import Agency, Audience, GlossaryTerm, Offer, Programme, Region, RegionalWorker, Theme
from providers.choices import MembershipStatus
from providers.models import Membership, PlanItem, ProviderContact, ProviderOrganisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda u: u.username)
    password = factory.django.Password("test-password-123")

    @factory.post_generation
    def email_language(self, create, extracted, **kwargs):
        """UserFactory(email_language="en-gb"): the language they chose for emails (none chosen by default)."""
        if create and extracted is not None:
            Preferences.objects.update_or_create(user=self, defaults={"email_language": extracted})


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Audience {n}")
    slug = factory.Sequence(lambda n: f"audience-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    kind = "contractor"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    official_name = factory.Sequence(lambda n: f"National Programme {n} for Excellence")
    plain_name = factory.Sequence(lambda n: f"Programme {n}")
    acronym = factory.Sequence(lambda n: f"NP{n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    agency = factory.SubFactory(AgencyFactory)


class RegionalWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalWorker
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    slug = factory.Sequence(lambda n: f"worker-{n}")
    job_title = "Regional adviser"
    remit = "Supports colleges and community organisations across the region."

    @factory.post_generation
    def programmes(self, create, extracted, **kwargs):
        if create and extracted:
            self.programmes.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Offer number {n}")
    slug = factory.Sequence(lambda n: f"offer-{n}")
    summary = "A short plain summary of what this offer is and why it helps."
    description = "A longer description."
    format = OfferFormat.WORKSHOP
    cost = CostKind.FREE
    status = OfferStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    is_rolling = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create and extracted:
            self.audiences.set(extracted)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm

    acronym = factory.Sequence(lambda n: f"ACR{n}")
    slug = factory.LazyAttribute(lambda t: t.acronym.lower())
    meaning = "Some long words"


class ProviderOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderOrganisation

    name = factory.Sequence(lambda n: f"Provider College {n}")
    slug = factory.Sequence(lambda n: f"provider-{n}")
    kind = "fe_college"
    region = factory.SubFactory(RegionFactory)


class ProviderContactFactory(factory.django.DjangoModelFactory):
    """An approved contact: the profile with the approved membership it stands for."""

    class Meta:
        model = ProviderContact
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(ProviderOrganisationFactory)
    job_title = "Staff development manager"

    @factory.post_generation
    def membership(contact, create, extracted, **kwargs):
        if create:
            Membership.objects.create(
                user=contact.user, organisation=contact.organisation, status=MembershipStatus.APPROVED,
                job_title=contact.job_title,
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    """A request to join, pending unless told otherwise."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(ProviderOrganisationFactory)
    reason = "I lead CPD for our maths team."


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    organisation = factory.SubFactory(ProviderOrganisationFactory)
    offer = factory.SubFactory(OfferFactory)


class JointEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JointEvent

    title = factory.Sequence(lambda n: f"Learning fair {n}")
    slug = factory.Sequence(lambda n: f"learning-fair-{n}")
    status = EventStatus.PUBLISHED
    summary = "Meet the regional workers of every programme."
    venue = "Exeter Conference Centre"
    # Half past nine, local time, thirty days from today (frozen or real): a
    # fair in the future whose booking window is open, at an hour of the day
    # that does not depend on when the test runs.
    starts_at = factory.LazyFunction(
        lambda: timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=30), dt.time(9, 30)))
    )
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + dt.timedelta(hours=6))
    booking_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    booking_closes_at = factory.LazyAttribute(lambda e: e.starts_at - dt.timedelta(days=1))


class SurgeryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Surgery

    event = factory.SubFactory(JointEventFactory)
    title = factory.Sequence(lambda n: f"Surgery {n}")


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    surgery = factory.SubFactory(SurgeryFactory)
    starts_at = factory.LazyAttribute(lambda s: s.surgery.event.starts_at)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(minutes=20))
    capacity = 1


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    user = factory.SubFactory(UserFactory)


class EnquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enquiry

    offer = factory.SubFactory(OfferFactory)
    name = "Sam Provider"
    email = "sam@college.example"
    message = "Is there a place in March?"


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")
    name = "A Subscriber"
    confirmed_at = factory.LazyFunction(timezone.now)


class BulletinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bulletin

    title = factory.Sequence(lambda n: f"Joint bulletin {n}")
    slug = factory.Sequence(lambda n: f"joint-bulletin-{n}")
    period_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    period_end = factory.LazyFunction(timezone.localdate)


class BulletinItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BulletinItem

    bulletin = factory.SubFactory(BulletinFactory)
    kind = BulletinItemKind.OFFER
    offer = factory.SubFactory(OfferFactory)


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    bulletin = factory.SubFactory(BulletinFactory)
    subscriber = factory.SubFactory(SubscriberFactory)


class WaitlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.WaitlistEntry"

    surgery = factory.SubFactory(SurgeryFactory)
    user = factory.SubFactory(UserFactory)


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Evaluation"

    event = factory.SubFactory(JointEventFactory)
    user = factory.SubFactory(UserFactory)
    main_benefits = "Met three programmes in one morning."
    rating = 4


# Insights (issue 7)
from brokerage.insights.choices import DuplicateDecision, SignalKind  # noqa: E402
from brokerage.insights.models import DuplicateReview, Signal  # noqa: E402


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    kind = SignalKind.OFFER_VIEW
    created_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))


class DuplicateReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DuplicateReview

    offer_a = factory.SubFactory(OfferFactory)
    offer_b = factory.SubFactory(OfferFactory)
    decision = DuplicateDecision.NOT_DUPLICATE

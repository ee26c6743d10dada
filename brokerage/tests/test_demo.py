import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model

from brokerage.demo import DemoLoader
from events.models import JointEvent, Slot
from programmes.models import GlossaryTerm, Offer, Programme, RegionalWorker, Theme
from providers.models import Membership, ProviderContact, ProviderOrganisation
from providers.permissions import acting_contact
from tests_support.clock import TEST_NOW

pytestmark = pytest.mark.django_db

TODAY = TEST_NOW.date()


@pytest.fixture(scope="module")
def loaded_counts(django_db_setup, django_db_blocker):
    # Loaded on the day the module's tests run at (the autouse clock is per test).
    with django_db_blocker.unblock():
        with time_machine.travel(TEST_NOW, tick=True):
            first = DemoLoader(today=TODAY).run()
            second = DemoLoader(today=TODAY).run()
        yield first, second
        # Module-scoped data must not leak into other modules' tests.
        from django.core.management import call_command

        call_command("flush", "--no-input", verbosity=0)


def test_load_demo_twice_gives_the_same_counts(loaded_counts):
    first, second = loaded_counts
    assert first == second


def test_load_demo_meets_the_region_size(loaded_counts):
    assert Programme.objects.count() >= 15
    assert RegionalWorker.objects.count() >= 30
    assert Offer.objects.filter(status="published").count() >= 150
    assert ProviderOrganisation.objects.filter(contacts__isnull=False).distinct().count() >= 40
    assert GlossaryTerm.objects.count() >= 25


def test_load_demo_covers_every_theme_and_region_with_published_offers(loaded_counts):
    published = Offer.objects.filter(status="published")
    themes_without = [t.name for t in Theme.objects.all() if not published.filter(themes=t).exists()]
    assert themes_without == []
    from programmes.models import Region

    regions_without = [
        r.name for r in Region.objects.all() if not published.filter(regions=r).exists()
    ]
    assert regions_without == []


def test_load_demo_has_two_upcoming_fairs_with_slots(loaded_counts):
    from django.utils import timezone

    fairs = JointEvent.objects.filter(kind="learning_fair", status="published", starts_at__gt=timezone.now())
    assert fairs.count() == 2
    for fair in fairs:
        assert Slot.objects.filter(surgery__event=fair).count() >= 9


def test_load_demo_welsh_consortia_deliver_mostly_in_welsh_the_south_west_in_english(loaded_counts, client):
    def languages(nation):
        programmes = Programme.objects.filter(regions__nation=nation)
        return list(Offer.objects.filter(programme__in=programmes).values_list("delivery_language", flat=True))

    welsh, english = languages("wales"), set(languages("england"))
    assert english == {"en"}
    assert sum(language in ("cy", "bilingual") for language in welsh) > len(welsh) / 2
    assert {"cy", "bilingual"} <= set(welsh)
    welsh_fair = JointEvent.objects.get(slug="wales-learning-fair-llandudno")
    assert {"cy", "bilingual"} <= set(welsh_fair.surgeries.values_list("language", flat=True))
    # A Welsh school's search finds Welsh-medium offers in the demo catalogue.
    assert client.get("/offers/", {"q": "welsh medium"}).context["total"] > 0


def test_load_demo_glossary_acronyms_are_used_in_offers(loaded_counts):
    text = " ".join(Offer.objects.values_list("summary", flat=True)) + " ".join(
        Offer.objects.values_list("description", flat=True)
    ) + " ".join(Offer.objects.values_list("title", flat=True))
    used = [t.acronym for t in GlossaryTerm.objects.all() if t.acronym in text]
    assert len(used) >= 15


def test_load_demo_sign_ins_have_their_roles(loaded_counts):
    User = get_user_model()
    assert User.objects.get(username="coordinator").groups.filter(name="Coordinators").exists()
    assert User.objects.get(username="coordinator").is_staff
    assert hasattr(User.objects.get(username="worker"), "worker_profile")
    assert User.objects.get(username="provider").provider_profile.organisation.name == "Exeter College"
    assert User.objects.get(username="worker").check_password("demo-brokerage-2026")


def test_load_demo_provider_acts_for_exeter_and_a_newcomer_waits(loaded_counts, client):
    User = get_user_model()
    provider, newcomer = User.objects.get(username="provider"), User.objects.get(username="newcomer")
    exeter = ProviderOrganisation.objects.get(name="Exeter College")

    client.force_login(provider)
    contacts_page = client.get("/account/contacts/").content.decode()

    assert acting_contact(provider).organisation == exeter
    assert Membership.objects.get(user=provider, status="approved").organisation == exeter
    assert acting_contact(newcomer) is None
    assert list(Membership.objects.filter(user=newcomer).values_list("organisation__name", "status")) == [
        ("Exeter College", "pending")
    ]
    assert "jamie.rowe@example.net" in contacts_page and "Approve jamie.rowe@example.net" in contacts_page
    assert newcomer.check_password("demo-brokerage-2026")
    # Every demo contact stands for an approved membership.
    assert ProviderContact.objects.count() == Membership.objects.filter(status="approved").count()


def test_load_demo_exeter_college_sees_devon_and_national_offers_first(loaded_counts, client):
    """Issue 15's example: signed in as Exeter College (Devon), 12 of the top 20 were for other areas."""
    client.force_login(get_user_model().objects.get(username="provider"))

    response = client.get("/offers/", {"per_page": 20})

    devon = ProviderOrganisation.objects.get(name="Exeter College").region
    top = Offer.objects.filter(pk__in=[offer.pk for offer in response.context["offers"]]).prefetch_related("regions")
    assert response.context["sort"] == "priorities" and len(top) == 20
    assert [offer.slug for offer in top if not (offer.is_national or devon in offer.regions.all())] == []
    assert f"In your region ({devon.name})" in response.content.decode()


def test_load_demo_on_a_later_day_does_not_move_or_duplicate_fairs(loaded_counts):
    slots_before = Slot.objects.count()
    starts_before = sorted(JointEvent.objects.values_list("starts_at", flat=True))

    with time_machine.travel(TEST_NOW + dt.timedelta(days=3), tick=True):
        DemoLoader(today=TODAY + dt.timedelta(days=3)).run()

    assert Slot.objects.count() == slots_before
    assert sorted(JointEvent.objects.values_list("starts_at", flat=True)) == starts_before


def test_load_demo_drafts_a_bulletin_of_a_realistic_size(loaded_counts):
    # Loading the demo once stamped every offer "changed today", and the draft held all ~184 of them.
    from brokerage.models import Bulletin

    draft = Bulletin.objects.get(status="draft")
    offers = draft.items.filter(kind="offer").count()
    assert 10 <= offers <= 25
    assert draft.items.filter(kind="event").exists()


def test_load_demo_welsh_consortia_offers_have_welsh_versions(loaded_counts):
    welsh_programmes = Offer.objects.filter(programme__regions__nation="wales").distinct()
    assert welsh_programmes.exists()
    assert list(welsh_programmes.filter(title_cy__isnull=True)) + list(welsh_programmes.filter(title_cy="")) == []
    middle = Offer.objects.get(slug="middle-leadership-programme-north-wales")
    assert middle.title_cy == "Rhaglen arweinyddiaeth ganol: Gogledd Cymru"
    assert middle.summary_cy.startswith("Rhaglen blwyddyn")


def test_load_demo_welsh_consortia_workers_have_welsh_entries(loaded_counts):
    in_wales = RegionalWorker.objects.filter(programmes__regions__nation="wales").distinct()
    assert in_wales.exists()
    assert set(in_wales.values_list("job_title_cy", flat=True)) <= {"Ymgynghorydd rhanbarthol", "Hyfforddwr rhanbarthol"}
    remits = in_wales.values_list("remit_cy", flat=True)
    assert all(remit.startswith("Rwy'n helpu darparwyr ledled ") for remit in remits)
    in_england = RegionalWorker.objects.exclude(pk__in=in_wales)
    assert set(in_england.values_list("remit_cy", flat=True)) <= {None, ""}
    assert not in_england.filter(remit_en_gb="").exists()


def test_load_demo_leaves_some_south_west_offers_english_only(loaded_counts):
    english_only = Offer.objects.filter(programme__acronym="RSC")
    assert english_only.exists()
    assert set(english_only.values_list("title_cy", flat=True)) <= {None, ""}
    # The maths centre's offers are translated: "mathemateg" finds them on Welsh pages.
    assert "Mathemateg" in Offer.objects.filter(programme__acronym="NCETM").first().title_cy.title()


def test_load_demo_glossary_has_welsh_acronyms(loaded_counts):
    aln = GlossaryTerm.objects.get(acronym_en_gb="ALN")
    assert (aln.acronym_cy, aln.meaning_cy) == ("ADY", "Anghenion Dysgu Ychwanegol")
    assert GlossaryTerm.objects.get(acronym_en_gb="CPD").acronym_cy == "DPP"
    assert not GlossaryTerm.objects.filter(meaning_cy="").exists()


def test_load_demo_fairs_surgeries_and_bulletin_have_welsh(loaded_counts):
    from brokerage.models import Bulletin
    from events.models import Surgery

    fair = JointEvent.objects.get(slug="wales-learning-fair-llandudno")
    assert fair.title_cy == "Ffair Ddysgu ar y Cyd Cymru: Llandudno"
    welsh_surgeries = Surgery.objects.filter(event=fair)
    assert welsh_surgeries.exists()
    assert all(s.title_cy.endswith("cymhorthfa un-i-un") for s in welsh_surgeries)
    assert all(b.title_cy.startswith("Bwletin ar y cyd: ") for b in Bulletin.objects.all())
    sent = Bulletin.objects.get(status="sent")
    assert any(month in sent.title_cy for month in ("Hydref", "Tachwedd", "Rhagfyr"))

"""The offer form's rules: clear messages next to the field, and what was typed is kept."""

import pytest
from django.urls import reverse

from programmes.choices import OfferStatus
from programmes.models import Offer
from tests_support import factories


@pytest.fixture
def setup(db):
    programme = factories.ProgrammeFactory()
    worker = factories.RegionalWorkerFactory(programmes=[programme])
    theme, audience = factories.ThemeFactory(), factories.AudienceFactory()
    return programme, worker, theme, audience


def form_data(programme, worker, theme, audience, **changes):
    data = {
        "programme": programme.pk, "title": "Typed title kept", "summary": "A typed summary that is kept.",
        "description": "Typed description.", "themes": [theme.pk], "audiences": [audience.pk],
        "format": "workshop", "cost": "free", "contact": worker.pk,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_new(client, data):
    return client.post(reverse("workspace:offer_create"), data)


@pytest.mark.django_db
def test_offer_form_end_before_start_refused_and_keeps_typed_values(client, setup):
    programme, worker, theme, audience = setup
    client.force_login(worker.user)

    response = post_new(client, form_data(*setup, starts_on="2027-03-10", ends_on="2027-03-01"))

    form = response.context["form"]
    html = response.content.decode()
    assert response.status_code == 200
    assert form.errors["ends_on"] == ["The end date must be on or after the start date (10 March 2027)."]
    assert 'value="2027-03-01"' in html and 'value="2027-03-10"' in html
    assert 'value="Typed title kept"' in html
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_form_paid_without_price_refused_and_keeps_typed_values(client, setup):
    programme, worker, theme, audience = setup
    client.force_login(worker.user)

    response = post_new(client, form_data(*setup, cost="paid", funding_note="Typed funding note"))

    form = response.context["form"]
    html = response.content.decode()
    assert form.errors["price"] == [
        "A paid offer needs a price per person. Enter it, or choose Free or Funded."
    ]
    assert 'value="Typed funding note"' in html
    assert '<option value="paid" selected>' in html
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_form_published_offer_without_contact_refused_and_keeps_typed_values(client, setup):
    programme, worker, theme, audience = setup
    offer = factories.OfferFactory(
        programme=programme, contact=worker, status=OfferStatus.PUBLISHED, themes=[theme], audiences=[audience]
    )
    client.force_login(worker.user)

    response = client.post(
        reverse("workspace:offer_edit", args=[offer.pk]),
        form_data(*setup, contact="", title="A new typed title"),
    )

    offer.refresh_from_db()
    form = response.context["form"]
    assert form.errors["contact"] == [
        "A published offer must name a person to talk to. Choose a contact (or retire the offer first)."
    ]
    assert 'value="A new typed title"' in response.content.decode()
    assert (offer.contact, offer.title) == (worker, offer.title)
    assert offer.title != "A new typed title"


@pytest.mark.django_db
def test_offer_form_draft_without_contact_is_allowed(client, setup):
    programme, worker, theme, audience = setup
    client.force_login(worker.user)

    response = post_new(client, form_data(*setup, contact=""))

    assert response.status_code == 302
    assert Offer.objects.get().contact is None


@pytest.mark.django_db
def test_offer_form_summary_over_limit_refused_and_keeps_full_typed_text(client, setup):
    programme, worker, theme, audience = setup
    client.force_login(worker.user)
    long_summary = "Word " * 90 + "end."  # 454 characters

    response = post_new(client, form_data(*setup, summary=long_summary))

    form = response.context["form"]
    assert form.errors["summary"] == [
        f"Keep the summary to 400 characters: it has {len(long_summary.strip())}. Move the detail to the description."
    ]
    assert long_summary.strip() in response.content.decode()
    assert 'maxlength="400"' not in response.content.decode()
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_form_errors_are_listed_in_a_summary_linking_to_fields(client, setup):
    programme, worker, theme, audience = setup
    client.force_login(worker.user)

    response = post_new(client, form_data(*setup, cost="paid", starts_on="2027-03-10", ends_on="2027-03-01"))

    html = response.content.decode()
    assert 'href="#id_price"' in html and 'href="#id_ends_on"' in html
    assert "There are problems to fix" in html


@pytest.mark.django_db
def test_offer_save_shows_plain_language_help_without_blocking(client, setup):
    programme, worker, theme, audience = setup
    factories.GlossaryTermFactory(acronym="ESOL", slug="esol")
    client.force_login(worker.user)
    summary = (
        "Facilitating organisational transformational capability through comprehensive ESOL and QTLS "
        "professionalisation initiatives, institutionalising interdisciplinary methodological considerations."
    )

    response = post_new(client, form_data(*setup, summary=summary))
    page = client.get(response["Location"])

    html = page.content.decode()
    assert response.status_code == 302
    assert page.context["check"].unknown_acronyms == ["QTLS"]
    assert page.context["check"].is_hard
    assert "Hard to read" in html and "shorter sentences" in html
    assert Offer.objects.get().summary == summary


@pytest.mark.django_db
def test_offer_form_builds_on_offers_published_of_any_programme_not_others_drafts(client, setup):
    programme, worker, theme, audience = setup
    others_published = factories.OfferFactory(title="Other programme's course")
    others_draft = factories.OfferFactory(title="Other programme's draft", status=OfferStatus.DRAFT)
    own_draft = factories.OfferFactory(programme=programme, title="Own draft", status=OfferStatus.DRAFT)
    client.force_login(worker.user)

    response = client.post(
        reverse("workspace:offer_create"), form_data(*setup, builds_on=[others_published.pk, own_draft.pk])
    )
    refused = client.post(reverse("workspace:offer_create"), form_data(*setup, title="Second", builds_on=[others_draft.pk]))

    created = Offer.objects.get(title="Typed title kept")
    assert response.status_code == 302
    assert set(created.builds_on.all()) == {others_published, own_draft}
    assert "builds_on" in refused.context["form"].errors


@pytest.mark.django_db
def test_offer_form_contact_from_another_programme_refused_and_keeps_typed_values(client, setup):
    programme, worker, theme, audience = setup
    outsider = factories.RegionalWorkerFactory(programmes=[factories.ProgrammeFactory()])
    client.force_login(worker.user)

    response = post_new(client, form_data(*setup, contact=outsider.pk))

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["contact"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert 'value="Typed title kept"' in response.content.decode()
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_form_contact_must_work_for_the_offers_own_programme(client, setup):
    programme, worker, theme, audience = setup
    second = factories.ProgrammeFactory(plain_name="Digital teaching")
    worker.programmes.add(second)
    colleague_elsewhere = factories.RegionalWorkerFactory(programmes=[second])
    client.force_login(worker.user)

    refused = post_new(client, form_data(*setup, contact=colleague_elsewhere.pk))
    accepted = post_new(client, form_data(second, worker, theme, audience, contact=colleague_elsewhere.pk))

    assert refused.context["form"].errors["contact"] == [
        f"{colleague_elsewhere.name} does not work for {programme.plain_name}. Choose a colleague of that programme."
    ]
    assert accepted.status_code == 302
    assert Offer.objects.get().contact == colleague_elsewhere


@pytest.mark.django_db
def test_offer_form_lists_only_colleagues_as_contacts(client, setup):
    programme, worker, theme, audience = setup
    colleague = factories.RegionalWorkerFactory(programmes=[programme])
    outsider = factories.RegionalWorkerFactory(programmes=[factories.ProgrammeFactory()])
    client.force_login(worker.user)

    form = client.get(reverse("workspace:offer_create")).context["form"]

    assert set(form.fields["contact"].queryset) == {worker, colleague}
    assert outsider not in form.fields["contact"].queryset


@pytest.mark.django_db
def test_offer_form_saves_who_can_take_it_up(client, setup):
    programme, worker, theme, audience = setup
    client.force_login(worker.user)
    page = client.get(reverse("workspace:offer_create")).content.decode()
    assert "Who can take it up" in page and "Work-based learning providers" in page

    response = post_new(client, form_data(
        *setup, open_to=["school", "local_authority"], open_to_condition="Funded for support staff in maintained schools",
    ))

    assert response.status_code == 302
    offer = Offer.objects.get()
    assert sorted(offer.open_to) == ["local_authority", "school"]
    assert offer.open_to_condition == "Funded for support staff in maintained schools"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", ["<script>", "any", "school'--", "s" * 5000])
def test_offer_form_refuses_kinds_not_in_the_list(client, setup, hostile):
    client.force_login(setup[1].user)
    response = post_new(client, form_data(*setup, open_to=["school", hostile]))
    assert response.status_code == 200 and "open_to" in response.context["form"].errors
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_form_saves_the_language_of_delivery(client, setup):
    client.force_login(setup[1].user)
    page = client.get(reverse("workspace:offer_create")).content.decode()
    assert "Language of delivery" in page and "Bilingual: Welsh and English (Dwyieithog)" in page

    response = post_new(client, form_data(*setup, delivery_language="cy"))

    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.delivery_language == "cy"
    detail = client.get(reverse("workspace:offer_detail", args=[offer.pk])).content.decode()
    assert "Language of delivery" in detail and "Welsh (Cymraeg)" in detail


@pytest.mark.django_db
@pytest.mark.parametrize("sent", [None, ""])
def test_offer_form_without_a_language_keeps_the_offers_own(client, setup, sent):
    programme, worker, theme, audience = setup
    offer = factories.OfferFactory(
        programme=programme, contact=worker, themes=[theme], audiences=[audience], delivery_language="bilingual",
    )
    client.force_login(worker.user)

    response = client.post(
        reverse("workspace:offer_edit", args=[offer.pk]), form_data(*setup, delivery_language=sent),
    )

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.delivery_language == "bilingual"
    assert offer.title == "Typed title kept"


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", ["<script>", "welsh", "cy'--", "c" * 5000])
def test_offer_form_refuses_a_language_not_in_the_list(client, setup, hostile):
    client.force_login(setup[1].user)
    response = post_new(client, form_data(*setup, delivery_language=hostile))
    assert response.status_code == 200 and "delivery_language" in response.context["form"].errors
    assert Offer.objects.count() == 0

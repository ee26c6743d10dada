"""Workers write an offer's English and Welsh side by side, and see which offers still need Welsh."""

import re

import pytest
from django.urls import reverse

from programmes.choices import OfferStatus
from programmes.models import Offer
from tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_offer(client):
    programme = factories.ProgrammeFactory()
    worker = factories.RegionalWorkerFactory(programmes=[programme])
    theme, audience = factories.ThemeFactory(), factories.AudienceFactory()
    offer = factories.OfferFactory(
        programme=programme, contact=worker, title="Maths coaching", summary="Coaching for maths leads.",
        description="Four visits.", themes=[theme], audiences=[audience],
    )
    client.force_login(worker.user)
    return worker, offer


def edit_data(offer, **changes):
    data = {
        "programme": offer.programme_id, "title": offer.title_en_gb, "summary": offer.summary_en_gb,
        "description": offer.description_en_gb, "themes": [t.pk for t in offer.themes.all()],
        "audiences": [a.pk for a in offer.audiences.all()], "format": offer.format, "cost": offer.cost,
        "contact": offer.contact_id,
    }
    data.update(changes)
    return data


def test_edit_form_shows_english_and_welsh_side_by_side(client, worker_offer):
    _, offer = worker_offer
    Offer.objects.filter(pk=offer.pk).update(title_cy="Hyfforddi mathemateg")
    page = client.get(reverse("workspace:offer_edit", args=[offer.pk])).content.decode()
    assert "Title in English" in page and "Title in Welsh" in page
    assert "Plain summary in Welsh" in page and "Description in Welsh" in page
    assert 'value="Maths coaching"' in page and 'value="Hyfforddi mathemateg"' in page


def test_worker_saves_welsh_version_and_english_is_kept(client, worker_offer):
    _, offer = worker_offer
    response = client.post(reverse("workspace:offer_edit", args=[offer.pk]), edit_data(
        offer, title_cy="Hyfforddi mathemateg", summary_cy="Hyfforddi arweinwyr mathemateg.",
        description_cy="Pedwar ymweliad.",
    ))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.title_en_gb, offer.title_cy) == ("Maths coaching", "Hyfforddi mathemateg")
    assert (offer.summary_en_gb, offer.summary_cy) == ("Coaching for maths leads.", "Hyfforddi arweinwyr mathemateg.")
    assert (offer.description_en_gb, offer.description_cy) == ("Four visits.", "Pedwar ymweliad.")


def test_form_on_welsh_page_edits_english_in_the_english_field(client, worker_offer):
    _, offer = worker_offer
    Offer.objects.filter(pk=offer.pk).update(title_cy="Hyfforddi mathemateg")
    path = f"/cy/workspace/offers/{offer.pk}/edit/"
    page = client.get(path).content.decode()
    assert 'value="Maths coaching"' in page  # the English field shows English, not the Welsh title
    client.post(path, edit_data(offer, title="Maths coaching (primary)", title_cy="Hyfforddi mathemateg cynradd"))
    offer.refresh_from_db()
    assert (offer.title_en_gb, offer.title_cy) == ("Maths coaching (primary)", "Hyfforddi mathemateg cynradd")


def test_welsh_title_emptied_on_a_welsh_page_is_gone_not_replaced_by_the_english(client, worker_offer):
    _, offer = worker_offer
    Offer.objects.filter(pk=offer.pk).update(title_cy="Hyfforddi mathemateg", summary_cy="Hyfforddi.")
    client.post(f"/cy/workspace/offers/{offer.pk}/edit/", edit_data(offer, title_cy="", summary_cy="Hyfforddi."))
    offer.refresh_from_db()
    assert (offer.title_en_gb, offer.title_cy or "") == ("Maths coaching", "")
    # So the Welsh page shows the English title marked as English, not as if it were Welsh.
    assert 'lang="en">Maths coaching<' in client.get(f"/cy/offers/{offer.slug}/").content.decode()


def test_welsh_summary_over_the_limit_is_explained(client, worker_offer):
    _, offer = worker_offer
    response = client.post(reverse("workspace:offer_edit", args=[offer.pk]), edit_data(offer, summary_cy="a" * 401))
    assert response.status_code == 200
    assert "Keep the summary to 400 characters: it has 401." in response.context["form"].errors["summary_cy"][0]


def test_workspace_lists_the_offers_that_need_welsh(client, worker_offer):
    worker, offer = worker_offer
    factories.OfferFactory(
        programme=offer.programme, title="Reading recovery", title_cy="Adfer darllen", summary_cy="Crynodeb.",
        description_cy="Disgrifiad.",
    )
    factories.OfferFactory(programme=offer.programme, title="Old course", status=OfferStatus.ARCHIVED)
    response = client.get(reverse("workspace:home"))
    assert [o.title for o in response.context["groups"]["needs_welsh"]] == ["Maths coaching"]
    page = response.content.decode()
    section = page.split('id="needs-welsh"')[1].split("</section>")[0]
    assert "Maths coaching" in section and "Reading recovery" not in section and "Old course" not in section


def test_workspace_says_when_every_offer_has_welsh(client, worker_offer):
    _, offer = worker_offer
    Offer.objects.filter(pk=offer.pk).update(title_cy="T", summary_cy="S", description_cy="D")
    response = client.get(reverse("workspace:home"))
    assert response.context["groups"]["needs_welsh"] == []
    assert "Every live offer has its Welsh version." in response.content.decode()


def test_english_inputs_are_marked_english_on_the_welsh_form(client, worker_offer):
    _, offer = worker_offer
    page = client.get(f"/cy/workspace/offers/{offer.pk}/edit/").content.decode()
    inputs = {name: tag for tag, name in re.findall(r'(<(?:input|textarea)[^>]*name="([a-z_]+)"[^>]*>)', page)}
    assert 'lang="en"' in inputs["title"] and 'lang="cy"' in inputs["title_cy"]
    assert 'lang="en"' in inputs["description"] and 'lang="cy"' in inputs["description_cy"]


def test_worker_writes_the_take_up_condition_in_english_and_welsh(client, worker_offer):
    _, offer = worker_offer
    page = client.get(reverse("workspace:offer_edit", args=[offer.pk])).content.decode()
    assert "Condition in English" in page and "Condition in Welsh" in page
    response = client.post(reverse("workspace:offer_edit", args=[offer.pk]), edit_data(
        offer, open_to_condition="Funded for support staff", open_to_condition_cy="Wedi'i ariannu ar gyfer staff cymorth",
    ))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.open_to_condition_en_gb, offer.open_to_condition_cy) == (
        "Funded for support staff", "Wedi'i ariannu ar gyfer staff cymorth"
    )

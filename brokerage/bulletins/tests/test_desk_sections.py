"""The bulletin desk with many items: grouped by section with counts, long sections folded."""

import re

import pytest
from django.urls import reverse

from brokerage.models import BulletinItem
from tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_draft(db):
    maths = factories.ThemeFactory(name="Maths and numeracy", position=1)
    digital = factories.ThemeFactory(name="Digital learning", position=2)
    bulletin = factories.BulletinFactory(title="December draft")
    for n in range(7):
        factories.BulletinItemFactory(
            bulletin=bulletin, offer=factories.OfferFactory(title=f"Maths offer {n}", themes=[maths, digital]), position=n
        )
    for n in range(2):
        factories.BulletinItemFactory(
            bulletin=bulletin, offer=factories.OfferFactory(title=f"Digital offer {n}", themes=[digital]), position=n
        )
    factories.BulletinItemFactory(bulletin=bulletin, offer=factories.OfferFactory(title="Untagged offer"))
    for n in range(2):
        factories.BulletinItemFactory(
            bulletin=bulletin, kind="event", offer=None, event=factories.JointEventFactory(title=f"Fair {n}")
        )
    return bulletin


def desk(client, bulletin):
    return client.get(reverse("admin:brokerage_bulletin_change", args=[bulletin.pk]))


def test_desk_groups_items_by_section_with_counts_events_first(client, coordinator, big_draft):
    client.force_login(coordinator)

    page = desk(client, big_draft).content.decode()

    headings = re.findall(r'<h3 id="desk-section-\d+">([^<]+) <span class="desk-count">([^<]+)</span>', page)
    assert headings == [
        ("Events", "2 items"), ("Maths and numeracy", "7 items"), ("Digital learning", "2 items"),
        ("Other offers", "1 item"),
    ]
    assert "Items in this bulletin (12)" in page


def test_desk_folds_a_section_beyond_its_first_five_items(client, coordinator, big_draft):
    client.force_login(coordinator)

    page = desk(client, big_draft).content.decode()

    maths = page.split('id="desk-section-2"')[1].split("</section>")[0]
    shown, folded = maths.split('<details class="desk-more">')
    assert "<summary>2 more in Maths and numeracy</summary>" in folded
    assert re.findall(r">(Maths offer \d)</a>", shown) == [f"Maths offer {n}" for n in range(5)]
    assert re.findall(r">(Maths offer \d)</a>", folded) == ["Maths offer 5", "Maths offer 6"]
    assert page.count("<details") == 1  # the short sections stay open


def test_desk_folded_items_are_still_saved_with_the_form(client, coordinator, big_draft):
    client.force_login(coordinator)
    response = desk(client, big_draft)
    form = response.context["inline_admin_formsets"][0].formset
    data = {
        "title_en_gb": big_draft.title, "slug": big_draft.slug, "period_start": big_draft.period_start,
        "period_end": big_draft.period_end, "introduction_en_gb": "",
        **{f"{form.prefix}-{key}": value for key, value in form.management_form.initial.items()},
    }
    folded = BulletinItem.objects.get(offer__title="Maths offer 6")
    for n, item_form in enumerate(form.forms):
        item = item_form.instance
        data[f"{form.prefix}-{n}-id"] = item.pk
        data[f"{form.prefix}-{n}-bulletin"] = big_draft.pk
        data[f"{form.prefix}-{n}-position"] = item.position
        if item.pk == folded.pk:
            data[f"{form.prefix}-{n}-pinned"] = "on"

    saved = client.post(reverse("admin:brokerage_bulletin_change", args=[big_draft.pk]), data)

    assert saved.status_code == 302
    folded.refresh_from_db()
    assert folded.pinned is True


def test_desk_with_errors_opens_the_folded_items(client, coordinator, big_draft):
    client.force_login(coordinator)
    form = desk(client, big_draft).context["inline_admin_formsets"][0].formset
    data = {
        "title": big_draft.title, "slug": big_draft.slug, "period_start": big_draft.period_start,
        "period_end": big_draft.period_end,
        **{f"{form.prefix}-{key}": value for key, value in form.management_form.initial.items()},
    }
    for n, item_form in enumerate(form.forms):
        data[f"{form.prefix}-{n}-id"] = item_form.instance.pk
        data[f"{form.prefix}-{n}-bulletin"] = big_draft.pk
        data[f"{form.prefix}-{n}-position"] = "-3<script>" if n == 0 else item_form.instance.position

    page = client.post(reverse("admin:brokerage_bulletin_change", args=[big_draft.pk]), data).content.decode()

    assert "Enter a whole number." in page
    assert '<details class="desk-more" open>' in page
    assert 'value="-3&lt;script&gt;"' in page and 'value="-3<script>"' not in page


def test_desk_of_an_empty_bulletin_says_how_to_fill_it(client, coordinator):
    bulletin = factories.BulletinFactory()
    client.force_login(coordinator)

    page = desk(client, bulletin).content.decode()

    assert "No items yet" in page


def test_desk_queries_do_not_grow_with_items(client, coordinator, big_draft, django_assert_max_num_queries):
    client.force_login(coordinator)

    with django_assert_max_num_queries(40):
        response = desk(client, big_draft)

    assert response.status_code == 200


@pytest.mark.parametrize("junk", ["2/change/widgets.css", "12abc", "99999999999999999999"])
def test_desk_with_an_id_that_is_not_one_says_so_instead_of_failing(client, coordinator, junk):
    client.force_login(coordinator)

    response = client.get(f"/admin/brokerage/bulletin/{junk}/change/", follow=True)

    assert response.status_code == 200
    assert "doesn’t exist" in response.content.decode()

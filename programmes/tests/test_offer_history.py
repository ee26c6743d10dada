"""Who changed what and when on an offer, for the worker and for coordinators."""

import pytest
from django.urls import reverse

from programmes.choices import OfferStatus
from tests_support import factories


@pytest.mark.django_db
def test_offer_history_records_who_changed_the_summary_and_shows_it(client, coordinator):
    programme = factories.ProgrammeFactory()
    worker = factories.RegionalWorkerFactory(programmes=[programme], user__first_name="Priya", user__last_name="Shah")
    offer = factories.OfferFactory(
        programme=programme, contact=worker, summary="Old words.", status=OfferStatus.PUBLISHED,
        themes=[factories.ThemeFactory()], audiences=[factories.AudienceFactory()],
    )
    client.force_login(worker.user)
    data = {
        "programme": programme.pk, "title": offer.title, "summary": "New plain words.",
        "themes": [t.pk for t in offer.themes.all()], "audiences": [a.pk for a in offer.audiences.all()],
        "format": offer.format, "cost": offer.cost, "is_rolling": "on", "contact": worker.pk,
    }

    client.post(reverse("workspace:offer_edit", args=[offer.pk]), data)

    latest = offer.history.latest()
    changed = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
    assert latest.history_user == worker.user
    assert latest.history_change_reason == "Edited in the workspace"
    assert changed["summary"] == ("Old words.", "New plain words.")

    page = client.get(reverse("workspace:offer_detail", args=[offer.pk]))
    entry = page.context["history"][0]
    assert (entry["who"], entry["kind"]) == ("Priya Shah", "Changed")
    assert {"field": "Summary", "old": "Old words.", "new": "New plain words."} in entry["changes"]

    client.force_login(coordinator)
    admin_page = client.get(reverse("admin:programmes_offer_history", args=[offer.pk]))
    assert admin_page.status_code == 200
    assert "Priya" in admin_page.content.decode() or worker.user.username in admin_page.content.decode()

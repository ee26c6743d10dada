"""A regional worker's job title and remit in English and Welsh: written side by side, read in the page's language.

A Welsh page shows the Welsh version, else the English one marked lang="en"
(screen readers read it in English) with the quiet "no Welsh version yet" note.
"""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from brokerage.privacy import services as privacy
from programmes.models import RegionalWorker
from tests_support import factories
from tests_support.html_language import languages_of, main_of

pytestmark = pytest.mark.django_db

NOTE = "Nid oes fersiwn Gymraeg ar gael eto"



def make_worker(*, welsh, **kwargs):
    programme = factories.ProgrammeFactory(
        plain_name="Leadership", plain_name_cy="Arweinyddiaeth",
        official_name="Leadership", official_name_cy="Arweinyddiaeth",
    )
    factories.OfferFactory(programme=programme, title="Coaching", title_cy="Hyfforddi", summary_cy="Crynodeb.",
                           description_cy="Disgrifiad.", contact=None)
    return factories.RegionalWorkerFactory(
        user=factories.UserFactory(first_name="Siân", last_name="Owen"), programmes=[programme],
        job_title="Regional adviser", job_title_cy="Ymgynghorydd rhanbarthol" if welsh else "",
        remit="Leadership in North Wales.", remit_cy="Arweinyddiaeth yng Ngogledd Cymru." if welsh else "",
        **kwargs,
    )


def offer_page_of(worker):
    offer = factories.OfferFactory(
        programme=worker.programmes.get(), contact=worker, title="Mentoring", title_cy="Mentora",
        summary_cy="Crynodeb.", description_cy="Disgrifiad.",
    )
    return f"/cy/offers/{offer.slug}/"


def welsh_pages_of(client, worker):
    return {
        "directory": main_of(client, "/cy/network/"),
        "entry": main_of(client, f"/cy/network/{worker.slug}/"),
        "programme": main_of(client, f"/cy/programmes/{worker.programmes.get().slug}/"),
        "offer": main_of(client, offer_page_of(worker)),
    }


def test_welsh_pages_read_an_english_only_entry_in_english_and_say_so(client):
    worker = make_worker(welsh=False)
    pages = welsh_pages_of(client, worker)
    for name, main in pages.items():
        assert languages_of(main, "Regional adviser") == ["en"], name
    assert languages_of(pages["directory"], "Leadership in North Wales.") == ["en"]
    assert languages_of(pages["entry"], "Leadership in North Wales.") == ["en"]
    assert NOTE in pages["directory"] and NOTE in pages["entry"]


def test_welsh_pages_read_a_welsh_entry_in_welsh(client):
    worker = make_worker(welsh=True)
    pages = welsh_pages_of(client, worker)
    for name, main in pages.items():
        assert languages_of(main, "Ymgynghorydd rhanbarthol") == ["cy"], name
        assert "Regional adviser" not in main, name
        assert 'lang="en"' not in main, name
        assert NOTE not in main, name
    assert languages_of(pages["entry"], "Arweinyddiaeth yng Ngogledd Cymru.") == ["cy"]


def test_english_pages_show_the_english_entry(client):
    worker = make_worker(welsh=True)
    main = main_of(client, f"/network/{worker.slug}/")
    assert languages_of(main, "Regional adviser") == ["en-GB"]
    assert languages_of(main, "Leadership in North Wales.") == ["en-GB"]
    assert "Ymgynghorydd" not in main and "Welsh version" not in main


def test_booking_form_names_the_host_with_their_job_title_in_its_language(client):
    host = make_worker(welsh=False)
    surgery = factories.SurgeryFactory(title="Leadership surgery", title_cy="Cymhorthfa arweinyddiaeth")
    surgery.hosts.set([host])
    slot = factories.SlotFactory(surgery=surgery)
    client.force_login(factories.ProviderContactFactory().user)
    main = main_of(client, f"/cy/events/{surgery.event.slug}/book/{slot.pk}/")
    assert languages_of(main, "Regional adviser") == ["en"]
    assert languages_of(main, "Cymhorthfa arweinyddiaeth") == ["cy"]


def test_welsh_entry_shows_hostile_text_as_text(client):
    worker = make_worker(welsh=True)
    RegionalWorker.objects.filter(pk=worker.pk).update(remit_cy='<script>alert("x")</script>')
    page = client.get(f"/cy/network/{worker.slug}/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<script>alert("x")' not in page


def test_welsh_directory_search_finds_an_english_remit_and_a_welsh_one(client):
    make_worker(welsh=False)
    other = factories.RegionalWorkerFactory(remit="Digital teaching.", remit_cy="Addysgu digidol.")
    for words, expected in (("North Wales", ["Siân Owen"]), ("digidol", [other.name]), ("Leadership", ["Siân Owen"])):
        response = client.get("/cy/network/", {"q": words})
        assert [person.name for person in response.context["page"].object_list] == expected, words


PROFILE = {
    "first_name": "Siân", "last_name": "Owen", "role": "brokering", "public_email": "", "phone": "", "is_listed": "on",
    "job_title": "Regional adviser", "job_title_cy": "Ymgynghorydd rhanbarthol",
    "remit": "Leadership in North Wales.", "remit_cy": "Arweinyddiaeth yng Ngogledd Cymru.",
}


@pytest.mark.parametrize("prefix", ["", "/cy"], ids=["English page", "Welsh page"])
def test_worker_writes_their_entry_in_both_languages(client, prefix):
    worker = make_worker(welsh=False)
    client.force_login(worker.user)
    response = client.post(f"{prefix}/workspace/profile/", PROFILE)
    assert response.status_code == 302
    worker.refresh_from_db()
    assert (worker.job_title_en_gb, worker.job_title_cy) == ("Regional adviser", "Ymgynghorydd rhanbarthol")
    assert (worker.remit_en_gb, worker.remit_cy) == ("Leadership in North Wales.", "Arweinyddiaeth yng Ngogledd Cymru.")


def test_worker_may_leave_the_welsh_empty(client):
    worker = make_worker(welsh=True)
    client.force_login(worker.user)
    client.post("/cy/workspace/profile/", {**PROFILE, "job_title_cy": "", "remit_cy": "  "})
    worker.refresh_from_db()
    assert (worker.job_title_en_gb, worker.job_title_cy or "", worker.remit_cy or "") == ("Regional adviser", "", "")


def test_profile_form_on_a_welsh_page_shows_each_language_in_its_own_labelled_field(client):
    worker = make_worker(welsh=True)
    client.force_login(worker.user)
    page = client.get("/cy/workspace/profile/").content.decode()
    # The English field holds the English even on a Welsh page, and says which language it wants.
    english_input = re.search(r'<input[^>]*name="job_title"[^>]*>', page).group()
    assert 'value="Regional adviser"' in english_input and 'lang="en"' in english_input
    assert 'lang="cy"' in re.search(r'<textarea[^>]*name="remit_cy"[^>]*>', page).group()
    assert "Arweinyddiaeth yng Ngogledd Cymru." in page
    assert "Teitl swydd yn Saesneg" in page and "Cylch gwaith yn Gymraeg" in page


def test_coordinator_edits_both_languages_in_the_admin(client, coordinator):
    worker = make_worker(welsh=True)
    client.force_login(coordinator)
    page = client.get(f"/admin/programmes/regionalworker/{worker.pk}/change/").content.decode()
    names = set(re.findall(r'<(?:input|textarea)[^>]*name="([\w-]+)"', page))
    assert {"job_title_en_gb", "job_title_cy", "remit_en_gb", "remit_cy"} <= names
    assert "Job title in English" in page and "Remit in Welsh" in page
    assert 'value="Ymgynghorydd rhanbarthol"' in page


def test_a_persons_data_holds_their_entry_in_both_languages():
    worker = make_worker(welsh=True)
    entry = privacy.person_data_export(user=worker.user)["regional_worker"]
    assert (entry["job_title"], entry["job_title_in_welsh"]) == ("Regional adviser", "Ymgynghorydd rhanbarthol")
    assert entry["remit"] == "Leadership in North Wales."
    assert entry["remit_in_welsh"] == "Arweinyddiaeth yng Ngogledd Cymru."


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_existing_entries_as_their_english():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before, after = [("programmes", "0016_field_names_translatable")], [("programmes", "0017_regional_worker_in_welsh")]
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        user = old_apps.get_model(*settings.AUTH_USER_MODEL.split(".")).objects.create(username="siân@example.org")
        old_apps.get_model("programmes", "RegionalWorker").objects.create(
            user=user, slug="sian", job_title="Regional adviser", remit="Leadership in North Wales."
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        worker = executor.loader.project_state(after).apps.get_model("programmes", "RegionalWorker").objects.get()
        assert (worker.job_title_en_gb, worker.remit_en_gb) == ("Regional adviser", "Leadership in North Wales.")
        assert (worker.job_title_cy, worker.remit_cy) == (None, None)
    finally:
        # Back to the latest schema, whatever migrations come after 0017: the tests that follow need it.
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

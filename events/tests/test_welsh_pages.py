"""The fair pages, the booking form, the booking's own pages and the evaluation answer in Welsh under /cy/.

The fair is built from the frozen clock in local time: Friday 18 December 2026, 09:00 to 17:00 (GMT),
thirty days after the suite's Wednesday 18 November.
"""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from events.booking import booking_create
from events.tests.conftest import make_provider, make_slots
from tests_support import factories
from tests_support.html_language import languages_of
from tests_support.welsh import main_text, visible_text, welsh_page

pytestmark = pytest.mark.django_db

ENGLISH_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ENGLISH_MONTHS = ["November", "December"]





def no_english_dates(text):
    return not any(word in text for word in ENGLISH_DAYS + ENGLISH_MONTHS)


def flashes(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def welsh_fair(db):
    nine = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=30)
    return factories.JointEventFactory(
        title="Ffair Ddysgu'r De-ddwyrain", slug="ffair-de-ddwyrain", starts_at=nine,
        ends_at=nine + dt.timedelta(hours=8), max_surgeries_per_person=3, cancellation_cutoff_hours=24,
    )


@pytest.fixture
def welsh_surgery(welsh_fair, host):
    surgery = factories.SurgeryFactory(event=welsh_fair, title="Mathemateg", room="Ystafell 2", language="cy")
    surgery.hosts.set([host])
    return surgery


@pytest.fixture
def welsh_slots(welsh_surgery):
    """10:00, 10:20 and 10:40 local time."""
    return make_slots(welsh_surgery, 3)


def test_welsh_fair_list_names_fairs_dates_and_counts_in_welsh(client, welsh_slots):
    page = welsh_page(client.get("/cy/events/"))

    text = main_text(page)
    assert "Ffeiriau dysgu a digwyddiadau ar y cyd" in text
    assert "Ar y gweill Ffair ddysgu Ffair Ddysgu'r De-ddwyrain" in text  # the kind of event, then its title
    assert "Dydd Gwener 18 Rhagfyr 2026, 09:00–17:00" in text
    assert "1 gymhorthfa · 3 slot rhydd" in text
    assert 'href="/cy/events/ffair-de-ddwyrain/"' in page
    assert no_english_dates(text)


def test_welsh_fair_list_without_fairs_points_to_the_welsh_bulletin(client):
    page = welsh_page(client.get("/cy/events/"))

    assert "Nid oes digwyddiadau wedi'u trefnu ar hyn o bryd." in main_text(page)
    assert 'href="/cy/bulletins/subscribe/">Cael y bwletin ar y cyd</a>' in page


def test_welsh_fair_page_lists_surgeries_and_slots_in_welsh(client, welsh_fair, welsh_slots, host):
    full = factories.SurgeryFactory(event=welsh_fair, title="Arweinyddiaeth")
    [full_slot] = make_slots(full, 1, start=welsh_fair.starts_at + dt.timedelta(hours=3))
    booking_create(user=make_provider("first"), slot_id=full_slot.pk)

    page = welsh_page(client.get("/cy/events/ffair-de-ddwyrain/"))

    text = main_text(page)
    assert "Dydd Gwener 18 Rhagfyr 2026, 09:00 tan 17:00 (amser y DU)" in text
    assert "Ar agor tan 17 Rhagfyr 2026, 09:00. Hyd at 3 cymhorthfa yr un; gallwch ganslo hyd at 24 awr cyn hynny." in text
    assert "Cymorthfeydd a slotiau rhydd" in text
    assert f"Gyda {host.name}" in text
    assert "Iaith: Cymraeg Ystafell: Ystafell 2" in text  # no "Welsh (Cymraeg)" on a Welsh page
    assert "3 slot rhydd" in text
    assert "Yn llawn." in text  # the other surgery
    assert f'href="/cy/accounts/login/?next=/cy/events/ffair-de-ddwyrain/">Mewngofnodwch</a>' in page
    assert f'href="/cy/network/{host.slug}/"' in page
    assert "Surgeries" not in text and "free slot" not in text and "Fully booked" not in text
    assert no_english_dates(text)


def test_welsh_fair_page_marks_a_clash_and_the_slot_booked_in_welsh(client, welsh_fair, welsh_slots, host, provider):
    other = factories.SurgeryFactory(event=welsh_fair, title="Technoleg")
    make_slots(other, 1, start=welsh_slots[0].starts_at)  # 10:00, beside the booked one
    booking_create(user=provider, slot_id=welsh_slots[0].pk)
    client.force_login(provider)

    text = main_text(welsh_page(client.get("/cy/events/ffair-de-ddwyrain/")))

    assert "Eich cymorthfeydd yn y digwyddiad hwn" in text
    assert "10:00–10:20: Mathemateg · Ychwanegu at y calendr Mathemateg am 10:00 · Canslo Mathemateg am 10:00" in text
    assert f"Yn gwrthdaro ag eich archeb gyda {host.name} am 10:00." in text


def test_welsh_booking_form_asks_in_welsh(client, welsh_fair, welsh_slots, provider):
    client.force_login(provider)

    page = welsh_page(client.get(f"/cy/events/ffair-de-ddwyrain/book/{welsh_slots[1].pk}/"))

    text = main_text(page)
    assert "Archebu cymhorthfa" in text
    assert "Archeb ar gyfer Priya Provider" in text
    assert "Iaith Cymraeg" in text
    assert "Dydd Gwener 18 Rhagfyr 2026, 10:20–10:40 (amser y DU)" in text
    assert "Pa rai o'ch blaenoriaethau yr hoffech eu trafod?" in text
    assert "Cwestiynau i'r gwesteiwr (dewisol)" in text
    assert "Gallwch ganslo ar-lein hyd at 24 awr cyn i'r slot ddechrau." in text
    assert no_english_dates(text)


def test_welsh_booking_form_with_too_long_questions_keeps_them_and_says_why_in_welsh(client, welsh_slots, provider):
    theme = factories.ThemeFactory(name="Llythrennedd", slug="llythrennedd")
    client.force_login(provider)
    questions = "Sut mae cynllunio gwersi mathemateg dwyieithog? " * 50  # over 2,000 characters

    response = client.post(
        f"/cy/events/ffair-de-ddwyrain/book/{welsh_slots[1].pk}/", {"questions": questions, "priorities": [theme.pk]}
    )

    page = welsh_page(response)
    assert response.status_code == 200
    assert "Sicrhewch" in page  # Django's own Welsh for "Ensure this value has at most 2000 characters"
    assert "Ensure this value" not in page
    assert questions.strip()[:200] in unescape(page)
    assert re.search(rf'value="{theme.pk}"[^>]*checked', page)  # the priority ticked stays ticked
    assert provider.bookings.count() == 0


def test_welsh_booking_refused_says_why_in_welsh_and_keeps_what_was_typed(client, welsh_slots, provider):
    booking_create(user=make_provider("quicker"), slot_id=welsh_slots[1].pk)
    client.force_login(provider)

    response = client.post(
        f"/cy/events/ffair-de-ddwyrain/book/{welsh_slots[1].pk}/", {"questions": "Beth am ADY?"}
    )

    page = welsh_page(response)
    assert response.status_code == 409
    assert "Mae'n ddrwg gennym, mae rhywun newydd gymryd y slot hwnnw. Dewiswch amser arall." in main_text(page)
    assert "Gweld y slotiau rhydd" in page
    assert re.search(r">\s*Beth am ADY\?</textarea>", page)


def test_welsh_booking_made_goes_to_the_welsh_confirmation_with_a_welsh_message(client, welsh_slots, provider):
    client.force_login(provider)

    response = client.post(f"/cy/events/ffair-de-ddwyrain/book/{welsh_slots[1].pk}/", {"questions": ""})

    booking = provider.bookings.get()
    assert response["Location"] == f"/cy/events/bookings/{booking.pk}/"
    assert flashes(response) == [
        "Archebwyd: Mathemateg am 10:20, Dydd Gwener 18 Rhagfyr. Mae e-bost cadarnhau gyda ffeil calendr ar ei ffordd."
    ]


def test_welsh_booking_detail_says_what_to_do_next_in_welsh(client, welsh_slots, provider, host):
    booking = booking_create(user=provider, slot_id=welsh_slots[1].pk, questions="Beth am ADY?")
    client.force_login(provider)

    page = welsh_page(client.get(f"/cy/events/bookings/{booking.pk}/"))

    text = main_text(page)
    assert "Mae eich cymhorthfa wedi'i harchebu" in text
    assert "Dydd Gwener 18 Rhagfyr 2026, 10:20–10:40 (amser y DU)" in text
    assert "Eich cwestiynau Beth am ADY?" in text
    assert "Ffair Ddysgu'r De-ddwyrain i gyd (09:00–17:00, ffeil calendr)" in text
    assert "Beth i'w wneud nesaf" in text
    assert "mae'r gymhorthfa'n para 20 munud ac yn dechrau'n brydlon" in text
    assert "20\xa0munud" in page  # the number stays with its unit
    assert "Gallwch ganslo ar-lein tan 10:20, Dydd Iau 17 Rhagfyr 2026" in text
    assert f'href="/cy/events/bookings/{booking.pk}/cancel/?next=/cy/events/bookings/{booking.pk}/"' in page
    assert no_english_dates(text)


def test_welsh_booking_detail_too_late_to_cancel_names_the_host_in_welsh(client, welsh_slots, provider, host,
                                                                        time_machine):
    booking = booking_create(user=provider, slot_id=welsh_slots[1].pk)
    time_machine.move_to(welsh_slots[1].starts_at - dt.timedelta(hours=2))
    client.force_login(provider)

    text = main_text(welsh_page(client.get(f"/cy/events/bookings/{booking.pk}/")))

    assert f"Mae'n rhy hwyr i ganslo ar-lein. Anfonwch e-bost at {host.name} i ddweud na allwch ddod." in text


def test_welsh_booking_cancel_asks_then_cancels_in_welsh(client, welsh_slots, provider):
    booking = booking_create(user=provider, slot_id=welsh_slots[1].pk)
    client.force_login(provider)

    page = welsh_page(client.get(f"/cy/events/bookings/{booking.pk}/cancel/"))
    response = client.post(f"/cy/events/bookings/{booking.pk}/cancel/")

    text = main_text(page)
    assert "Canslo eich archeb" in text
    assert "Mathemateg yn Ffair Ddysgu'r De-ddwyrain, Dydd Gwener 18 Rhagfyr 2026, 10:20–10:40 (amser y DU)." in text
    assert "Canslo'r archeb hon" in text
    assert response["Location"] == "/cy/account/"  # the Welsh account page, not the English one
    assert flashes(response) == ["Mae eich archeb ar gyfer Mathemateg wedi'i chanslo."]


def test_welsh_booking_cancelled_shows_the_date_in_welsh(client, welsh_slots, provider):
    from events.booking import booking_cancel

    booking = booking_create(user=provider, slot_id=welsh_slots[1].pk)
    booking_cancel(booking_id=booking.pk, user=provider)
    client.force_login(provider)

    text = main_text(welsh_page(client.get(f"/cy/events/bookings/{booking.pk}/")))

    assert "Archeb wedi'i chanslo" in text
    assert "Fe wnaethoch ganslo'r archeb hon ar 18 Tachwedd 2026." in text


@pytest.fixture
def attended(welsh_fair, welsh_slots, provider):
    """The provider booked 10:00; the fair is then moved two days into the past."""
    booking_create(user=provider, slot_id=welsh_slots[0].pk)
    welsh_fair.starts_at -= dt.timedelta(days=32)
    welsh_fair.ends_at -= dt.timedelta(days=32)
    welsh_fair.save()
    return welsh_fair


def test_welsh_evaluation_form_asks_in_welsh(client, attended, provider):
    # Its Welsh title in the Welsh column too: the heading is one sentence, with no lang="en" part.
    attended.title_cy = attended.title_en_gb
    attended.save()
    client.force_login(provider)

    text = main_text(welsh_page(client.get("/cy/events/ffair-de-ddwyrain/evaluation/")))

    assert "Sut oedd Ffair Ddysgu'r De-ddwyrain?" in text
    assert "At ei gilydd, sut byddech chi'n graddio'r digwyddiad?" in text
    assert "5 – rhagorol" in text
    assert "Y prif fanteision i chi" in text
    assert "Anfon fy ngwerthusiad" in text


def test_welsh_evaluation_without_a_rating_keeps_the_answers_and_asks_in_welsh(client, attended, provider):
    client.force_login(provider)

    response = client.post("/cy/events/ffair-de-ddwyrain/evaluation/", {"main_benefits": "Cwrdd â thîm ADY"})

    page = welsh_page(response)
    assert "Mae angen y maes hwn." in page  # Django's own Welsh for "This field is required."
    assert re.search(r">\s*Cwrdd â thîm ADY</textarea>", page)
    assert attended.evaluations.count() == 0


def test_welsh_evaluation_sent_thanks_in_welsh_and_shows_the_answers(client, attended, provider):
    client.force_login(provider)

    response = client.post("/cy/events/ffair-de-ddwyrain/evaluation/", {"rating": 5, "ideas": "Mwy o Gymraeg"})
    answers = main_text(welsh_page(client.get("/cy/events/ffair-de-ddwyrain/evaluation/")))

    assert response["Location"] == "/cy/events/ffair-de-ddwyrain/"
    assert flashes(response) == ["Diolch: mae eich gwerthusiad wedi'i gofnodi."]
    assert "fe wnaethoch werthuso'r digwyddiad hwn ar 18 Tachwedd 2026" in answers
    assert "Gradd gyffredinol 5 allan o 5" in answers
    assert "Syniadau sy'n werth eu datblygu Mwy o Gymraeg" in answers
    assert "Y prif fanteision i chi (gadawyd yn wag)" in answers


def test_welsh_evaluation_before_the_fair_ends_says_when_in_welsh(client, welsh_slots, provider):
    booking_create(user=provider, slot_id=welsh_slots[0].pk)
    client.force_login(provider)

    text = main_text(welsh_page(client.get("/cy/events/ffair-de-ddwyrain/evaluation/")))

    assert "mae'n dod i ben am 17:00, Dydd Gwener 18 Rhagfyr 2026 (amser y DU)" in text
    assert no_english_dates(text)


def test_welsh_waiting_list_join_says_so_in_welsh(client, welsh_fair, welsh_surgery, provider):
    [only] = make_slots(welsh_surgery, 1)
    booking_create(user=make_provider("first"), slot_id=only.pk)
    client.force_login(provider)

    response = client.post(f"/cy/events/surgeries/{welsh_surgery.pk}/waitlist/")
    page = welsh_page(client.get("/cy/events/ffair-de-ddwyrain/"))

    assert response["Location"] == f"/cy/events/ffair-de-ddwyrain/#surgery-{welsh_surgery.pk}"
    assert flashes(response) == [
        "Rydych ar y rhestr aros ar gyfer Mathemateg. "
        "Os daw slot yn rhydd, byddwn yn anfon e-bost atoch ac yn ei gadw i chi."
    ]
    assert "Rydych ar y rhestr aros." in main_text(page)


def test_english_fair_page_still_says_welsh_with_its_welsh_name(client, welsh_slots):
    page = client.get("/events/ffair-de-ddwyrain/").content.decode()

    assert '<html lang="en-GB">' in page
    assert 'Language: Welsh (<span lang="cy">Cymraeg</span>)' in page
    assert "Friday 18 December 2026, 09:00</time> to" in page


def test_welsh_booking_pages_mark_the_fair_title_in_the_breadcrumb_only_while_it_has_no_welsh_version(
    client, welsh_fair, welsh_slots, provider
):
    welsh_fair.title = "South East learning fair"  # English only
    welsh_fair.save()
    booking = booking_create(user=provider, slot_id=welsh_slots[0].pk)
    client.force_login(provider)
    paths = [f"/cy/events/ffair-de-ddwyrain/book/{welsh_slots[1].pk}/", f"/cy/events/bookings/{booking.pk}/"]

    for path in paths:
        crumbs = welsh_page(client.get(path), status=200).split('class="breadcrumb', 1)[1].split("</nav>", 1)[0]
        assert languages_of(crumbs, "South East learning fair") == ["en"]

    welsh_fair.title_cy = "Ffair Ddysgu'r De-ddwyrain"
    welsh_fair.save()
    for path in paths:
        crumbs = welsh_page(client.get(path), status=200).split('class="breadcrumb', 1)[1].split("</nav>", 1)[0]
        assert languages_of(crumbs, "Ffair Ddysgu'r De-ddwyrain") == [None] and 'lang="en"' not in crumbs

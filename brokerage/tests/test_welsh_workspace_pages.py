"""The regional workers' workspace, insights, the coordinator's start page and the admin answer in Welsh under /cy/."""

import html
import re

import pytest

from programmes.choices import OfferStatus
from tests_support import factories
from tests_support.html_language import languages_of
from tests_support.welsh import welsh_page as welsh_document

pytestmark = pytest.mark.django_db


def welsh_page(response):
    return html.unescape(welsh_document(response, status=200))  # the words as read (Welsh has many apostrophes)


@pytest.fixture
def programme():
    return factories.ProgrammeFactory(plain_name="Maths hub")


@pytest.fixture
def signed_in_worker(client, programme):
    worker = factories.RegionalWorkerFactory(programmes=[programme], user__first_name="Alys")
    client.force_login(worker.user)
    return worker


def test_workspace_home_in_welsh(client, signed_in_worker, programme):
    factories.OfferFactory(programme=programme, title="Hyfforddi mathemateg", status=OfferStatus.DRAFT)

    page = welsh_page(client.get("/cy/workspace/"))

    assert "Helo, Alys" in page
    assert "Chi sy'n gofalu am gynigion" in page
    assert "Cynigion drafft" in page
    assert "drafft</a>" in page  # "1 drafft" in the figures at a glance
    assert 'href="/cy/workspace/offers/new/"' in page
    assert "Due for review" not in page and "My directory entry" not in page


def test_workspace_offer_list_in_welsh(client, signed_in_worker, programme):
    theme = factories.ThemeFactory(slug="maths")
    factories.OfferFactory(programme=programme, title="Hyfforddi mathemateg", themes=[theme])

    page = welsh_page(client.get("/cy/workspace/all-offers/", {"theme": "maths"}))

    assert "Cynigion pob rhaglen" in page
    assert "1 rhaglen, 1 cynnig" in page
    assert 'href="/cy/offers/' in page  # the offers open in the Welsh catalogue
    assert "programme," not in page and "All programmes' offers" not in page


def test_workspace_offer_form_in_welsh(client, signed_in_worker):
    page = welsh_page(client.get("/cy/workspace/offers/new/"))

    assert "Cynnig newydd" in page
    assert "Crynodeb clir" in page  # a field's label
    assert "Cadw fel drafft" in page
    assert 'data-count-left="{left} o {limit} nod ar ôl"' in page  # the live count's words


def test_workspace_offer_form_errors_in_welsh_keep_what_was_typed(client, signed_in_worker, programme):
    theme, audience = factories.ThemeFactory(), factories.AudienceFactory()
    response = client.post("/cy/workspace/offers/new/", {
        "programme": programme.pk, "title": "Mathemateg i bawb", "summary": "Cefnogaeth i athrawon.",
        "themes": [theme.pk], "audiences": [audience.pk], "format": "workshop", "cost": "paid",
        "starts_on": "2027-03-10", "ends_on": "2027-03-01",
    })

    page = welsh_page(response)
    assert "Mae problemau i'w cywiro" in page  # two problems: Welsh plural
    assert "Rhaid i'r dyddiad gorffen fod ar y dyddiad dechrau (10 Mawrth 2027) neu wedi hynny." in page
    assert "Mae angen pris y pen ar gynnig y telir amdano." in page
    assert 'value="Mathemateg i bawb"' in page and "Cefnogaeth i athrawon." in page
    assert "The end date must" not in page


def test_workspace_flash_message_in_welsh(client, signed_in_worker, programme):
    offer = factories.OfferFactory(programme=programme, title="Hyfforddi", status=OfferStatus.PUBLISHED)

    response = client.post(f"/cy/workspace/offers/{offer.pk}/retire/", follow=True)

    assert "Mae “Hyfforddi” wedi'i dynnu'n ôl: nid yw darparwyr yn ei weld mwyach." in welsh_page(response)


def test_insights_dashboard_in_welsh(client, coordinator):
    client.force_login(coordinator)

    page = welsh_page(client.get("/cy/insights/"))

    assert "Galw yn y cyfnod hwn" in page
    assert "Bylchau: lle mae'r galw'n fwy na'r cyflenwad" in page
    assert "Cynigion a galw fesul thema" in page  # the chart's title, computed in Python
    assert "Demand in this period" not in page


def test_insights_cache_never_gives_a_welsh_page_the_english_body(client, coordinator):
    """The dashboard's body and figures are cached: the same query in the other language is its own entry."""
    client.force_login(coordinator)

    english = client.get("/insights/").content.decode()
    welsh = welsh_page(client.get("/cy/insights/"))
    english_again = client.get("/insights/").content.decode()

    assert "Demand in this period" in english and "Demand in this period" in english_again
    assert "Galw yn y cyfnod hwn" in welsh
    assert "Offers and demand by theme" not in welsh and "Cynigion a galw fesul thema" not in english_again


def test_coordinator_start_page_in_welsh(client, coordinator):
    factories.JointEventFactory(title="Ffair ddysgu")
    client.force_login(coordinator)

    page = welsh_page(client.get("/cy/coordinators/"))

    assert "Beth sydd angen sylw" in page
    assert "Ceisiadau i ymuno â sefydliad" in page
    assert 'href="/cy/admin/"' in page


def test_admin_index_in_welsh(client, coordinator):
    client.force_login(coordinator)

    page = welsh_page(client.get("/cy/admin/"))

    assert "Beth hoffech chi ei wneud?" in page
    assert "Ffeiriau ac archebion" in page  # the portal's section names
    assert ">Cynigion</a>" in page  # a model, named by the portal
    assert "Gweld y wefan" in page  # Django's own admin string its Welsh catalogue lacks
    assert "Fairs and bookings" not in page and "Recent actions" not in page


def test_admin_offer_changelist_in_welsh(client, coordinator):
    factories.OfferFactory(title="Hyfforddi mathemateg")
    client.force_login(coordinator)

    page = welsh_page(client.get("/cy/admin/programmes/offer/"))

    assert "Hyfforddi mathemateg" in page
    assert "adolygu" in page  # the portal's review filter
    assert "Yn hwyr (6 mis neu fwy)" in page
    assert "Overdue (6 months or more)" not in page


def test_admin_offer_change_form_in_welsh(client, coordinator):
    offer = factories.OfferFactory(title="Hyfforddi mathemateg")
    client.force_login(coordinator)

    page = welsh_page(client.get(f"/cy/admin/programmes/offer/{offer.pk}/change/"))

    assert "Hyfforddi mathemateg" in page
    assert "Dwy neu dair brawddeg glir: beth ydyw a pham mae'n helpu." in page  # a model field's help text
    assert 'for="id_title_en_gb">Teitl yn Saesneg' in page  # the model field's name, in Welsh
    assert 'for="id_title_cy">Teitl yn Gymraeg' in page
    assert "Yn ôl i'r wefan" in page
    assert "Two or three plain sentences" not in page


def test_admin_programme_import_page_in_welsh(client, coordinator):
    programme = factories.ProgrammeFactory()
    client.force_login(coordinator)

    page = welsh_page(client.get(f"/cy/admin/programmes/programme/{programme.pk}/import-offers/"))

    assert "1. Uwchlwytho ffeil CSV" in page
    assert "Rhagolwg o'r mewnforio" in page


def column_header(page, field):
    """The words of the changelist's column header for field, tags stripped."""
    match = re.search(rf'<th scope="col" class="[^"]*column-{field}[^"]*">(.*?)</th>', page, re.S)
    assert match, f"no {field} column"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def field_label(page, field):
    match = re.search(rf'<label[^>]* for="id_{field}">(.*?)</label>', page, re.S)
    assert match, f"no label for {field}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_admin_offer_changelist_column_headers_in_welsh(client, coordinator):
    factories.OfferFactory(title="Hyfforddi mathemateg")
    client.force_login(coordinator)

    page = welsh_page(client.get("/cy/admin/programmes/offer/"))

    # Column headers come from the models' field names, which Django derives
    # from the attribute unless the model names them for translation.
    assert column_header(page, "starts_on") == "Yn dechrau ar"
    assert column_header(page, "last_reviewed_on") == "Adolygwyd ddiwethaf ar"
    assert column_header(page, "last_reviewed_by") == "Adolygwyd ddiwethaf gan"
    assert column_header(page, "programme") == "Rhaglen"
    assert "Starts on" not in page and "Last reviewed" not in page


def test_admin_offer_changelist_column_headers_stay_english_on_english_pages(client, coordinator):
    factories.OfferFactory(title="Maths coaching")
    client.force_login(coordinator)

    page = html.unescape(client.get("/admin/programmes/offer/").content.decode())

    assert column_header(page, "starts_on") == "Starts on"
    assert column_header(page, "last_reviewed_by") == "Last reviewed by"


def test_admin_joint_event_changelist_column_headers_in_welsh(client, coordinator):
    factories.JointEventFactory(title="Ffair ddysgu")
    client.force_login(coordinator)

    page = welsh_page(client.get("/cy/admin/events/jointevent/"))

    assert "Ffair ddysgu" in page
    assert column_header(page, "starts_at") == "Yn dechrau am"
    assert column_header(page, "venue") == "Lleoliad"
    assert column_header(page, "region") == "Rhanbarth"
    assert column_header(page, "kind") == "Math"
    assert "Starts at" not in page and "Venue" not in page


def test_admin_joint_event_change_form_labels_in_welsh(client, coordinator):
    event = factories.JointEventFactory(title="Ffair ddysgu")
    client.force_login(coordinator)

    page = welsh_page(client.get(f"/cy/admin/events/jointevent/{event.pk}/change/"))

    assert field_label(page, "max_surgeries_per_person") == "Uchafswm cymorthfeydd y pen:"
    assert "<label>Archebu'n agor am:</label>" in page  # a date and time field: its label names no input
    assert field_label(page, "waitlist_hold_hours") == "Oriau dal lle o'r rhestr aros:"
    assert field_label(page, "title_cy") == "Teitl [cy]:"  # modeltranslation's Welsh column
    assert "Booking opens at" not in page and "Waitlist hold hours" not in page


def crumbs_of(page):
    return page.split('class="breadcrumb', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("path", ["/cy/workspace/all-offers/", "/cy/workspace/profile/", "/cy/workspace/offers/new/"])
def test_workspace_breadcrumbs_are_named_in_welsh(client, signed_in_worker, path):
    page = welsh_page(client.get(path))
    assert 'aria-label="Briwsion bara"' in page and 'aria-label="Breadcrumb"' not in page


@pytest.mark.parametrize("path", ["/cy/workspace/offers/{pk}/", "/cy/workspace/offers/{pk}/edit/"])
def test_workspace_breadcrumbs_mark_an_offer_title_with_no_welsh_version(client, signed_in_worker, programme, path):
    english_only = factories.OfferFactory(programme=programme, title="Maths coaching")
    welsh = factories.OfferFactory(programme=programme, title="Fractions", title_cy="Ffracsiynau")

    page = welsh_page(client.get(path.format(pk=english_only.pk)))
    assert 'aria-label="Briwsion bara"' in page
    assert languages_of(crumbs_of(page), "Maths coaching") == ["en"]
    crumbs = crumbs_of(welsh_page(client.get(path.format(pk=welsh.pk))))
    assert languages_of(crumbs, "Ffracsiynau") == [None] and 'lang="en"' not in crumbs

"""The workspace's tables on a phone: every data cell names its column (data-label), so the stacked
layout of static/css/workspace.css can label it. The 390px check itself is a browser test
(brokerage/tests/test_browser_journeys.py)."""

import re

import pytest

from events.booking import booking_create
from tests_support import factories

pytestmark = pytest.mark.django_db


def cells(html):
    return re.findall(r"<td([^>]*)>", html)


def test_workspace_bookings_cells_carry_their_column_labels(client, slots, host, provider):
    booking_create(user=provider, slot_id=slots[0].pk, questions="<b>Can you visit?</b>")
    client.force_login(host.user)

    html = client.get("/workspace/").content.decode()

    section = html.split('id="surgery-bookings"')[1].split("</section>")[0]
    assert [re.search(r'data-label="([^"]+)"', attrs).group(1) for attrs in cells(section)] == [
        "When", "Surgery", "Who", "Wants to discuss", "Questions",
    ]
    assert 'class="table table-sm align-top ws-table mb-0"' in section
    assert "table-responsive" not in section  # no box that scrolls sideways
    assert "<b>Can you visit?</b>" not in section


def test_workspace_offer_table_labels_every_cell_but_the_actions(client, host):
    programme = factories.ProgrammeFactory()
    host.programmes.add(programme)
    factories.OfferFactory(programme=programme, contact=host)
    client.force_login(host.user)

    html = client.get("/workspace/").content.decode()

    table = html.split('<table class="table ws-table')[1].split("</table>")[0]
    labelled = [attrs for attrs in cells(table) if "data-label" in attrs]
    assert len(labelled) == 3
    assert all("data-label" in attrs or "ws-actions" in attrs for attrs in cells(table))

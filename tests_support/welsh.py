"""What the Welsh page tests ask of a response: that it is a Welsh page, and its words as a person reads them."""

import re
from html import unescape


def welsh_page(response, status=None):
    """The page's HTML, once it is shown to be Welsh (<html lang="cy">, Content-Language: cy) and, if
    given, answered `status`."""
    if status is not None:
        assert response.status_code == status
    page = response.content.decode()
    assert re.search(r'<html lang="cy"[ >]', page)  # the admin's also says dir="ltr"
    assert response.headers["Content-Language"] == "cy"
    return page


def visible_text(page):
    """The words of some HTML as read: tags dropped, entities decoded, spaces squeezed."""
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))
    text = re.sub(r" ([.;,:)])", r"\1", text)  # a closing tag before punctuation left a space
    return re.sub(r"\( ", "(", text)  # and an opening tag after a bracket


def main_text(page):
    """What the page's main region says (the frame is tested in brokerage/tests/test_welsh_pages.py)."""
    return visible_text(page.split('id="main"', 1)[1].split("</main>", 1)[0])

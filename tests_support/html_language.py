"""The language a reader's software takes a text in: the lang attribute of its nearest element that has one."""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Languages(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, lang or None)
        self.texts = []  # (text, language in force)

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        if data.strip():
            language = next((lang for _, lang in reversed(self.stack) if lang), None)
            self.texts.append((data.strip(), language))


def languages_of(page, text):
    """The languages in force wherever `text` appears in the page (one per element holding it)."""
    parser = _Languages()
    parser.feed(page)
    return [language for data, language in parser.texts if text in data]


def main_of(client, path):
    """The page's main region, inside the page's own <html lang>, as a screen reader meets it."""
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    opening = re.search(r"<html[^>]*>", page).group()
    return opening + page.split('id="main"', 1)[1].split("</main>", 1)[0] + "</html>"

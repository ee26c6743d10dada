"""What a bulletin says, in general (the archive) and to one subscriber.

The items are loaded once per bulletin; a subscriber's version is a filter
of them by the subscriber's themes and regions. Many subscribers share the
same choices, so the rendered email is cached per (themes, regions) pair with
placeholders for the name and the unsubscribe link, and only those are
substituted per subscriber: that keeps rendering out of the sending rate.
The unsubscribe placeholder stands for the link's path without a language
prefix, after the site address in the language of the text around it: one
substitution gives the Welsh half of a bilingual email its /cy/ link, the
English half and the List-Unsubscribe header theirs.

Each reader gets the bulletin in their language: a renderer works in one
language (items, dates, links and the frame all rendered with it active, so
translated content fields follow it), and a reader whose language is not
known gets one email with the Welsh version first and the English one after
(`bulletin_renderer`, `BilingualBulletinRenderer`).
"""

import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from brokerage.insights.links import tracked_link

from events.models import JointEvent
from people.languages import url_in_language
from programmes.emails import BILINGUAL, ENGLISH, WELSH, RenderedEmail, bilingual_email, render_subject
from programmes.models import GlossaryTerm, Offer, Theme
from programmes.translated_text import ShownText, translated
from programmes.words import SITE_NAME

from ..choices import BulletinItemKind
from ..models import BulletinItem

NAME_PLACEHOLDER = "@@subscriber-name@@"
# The unsubscribe link's path, without language prefix (see the module's docstring).
UNSUBSCRIBE_PLACEHOLDER = "@@unsubscribe-path@@"
ACRONYM = re.compile(r"\b[A-Z][A-Za-z0-9&]*[A-Z0-9]\b")


def absolute(path):
    return f"{settings.SITE_URL}{path}"


# The public addresses are stable (docs/architecture.md: bulletins link to them), so the
# bulletin builds them directly rather than depending on other apps' URLconfs.
def offer_path(offer):
    return f"/offers/{offer.slug}/"


def event_path(event):
    return f"/events/{event.slug}/"


def site_root(language):
    """The site's address in `language`, to put a path without language prefix after: ".../cy" in Welsh."""
    return absolute(url_in_language("/", language).rstrip("/"))


def in_reading_language(path):
    """The path in the language being rendered: a Welsh reader's links open the Welsh pages."""
    return url_in_language(path, translation.get_language())


@dataclass
class Entry:
    # The texts are ShownText (programmes.translated_text): the templates mark English
    # standing in for Welsh with lang="en".
    kind: str
    title: ShownText
    url: str
    summary: ShownText
    pinned: bool
    detail: str = ""
    programme: ShownText | str = ""
    theme_ids: tuple = ()
    region_ids: frozenset | None = None  # None: every region
    glossary: list = field(default_factory=list)


@dataclass
class Section:
    theme: Theme
    entries: list


@dataclass
class Content:
    sections: list
    events: list

    @property
    def is_empty(self):
        return not self.sections and not self.events

    @property
    def glossary(self):
        return glossary_of([e for s in self.sections for e in s.entries] + self.events)


def glossary_of(entries):
    """The (acronym, meaning) pairs these entries use, sorted."""
    seen = {}
    for entry in entries:
        for acronym, meaning in entry.glossary:
            seen.setdefault(acronym, meaning)
    return sorted(seen.items())


def _glossary_for(text, glossary):
    found = []
    for word in dict.fromkeys(ACRONYM.findall(text)):
        if word in glossary:
            found.append((word, glossary[word]))
    return found


class BulletinContent:
    """The bulletin's kept items, loaded once, filtered per reader."""

    def __init__(self, bulletin):
        self.bulletin = bulletin
        self.themes = list(Theme.objects.order_by("position", "name"))
        glossary = dict(GlossaryTerm.objects.values_list("acronym", "meaning"))
        items = list(
            BulletinItem.objects.filter(bulletin=bulletin, dropped=False)
            .select_related("offer__programme", "event__region")
            .order_by("-pinned", "position", "id")
        )
        offer_ids = [i.offer_id for i in items if i.kind == BulletinItemKind.OFFER]
        event_ids = [i.event_id for i in items if i.kind == BulletinItemKind.EVENT]
        offer_themes, offer_regions, event_themes = {}, {}, {}
        for offer_id, theme_id in Offer.themes.through.objects.filter(offer_id__in=offer_ids).values_list(
            "offer_id", "theme_id"
        ):
            offer_themes.setdefault(offer_id, set()).add(theme_id)
        for offer_id, region_id in Offer.regions.through.objects.filter(offer_id__in=offer_ids).values_list(
            "offer_id", "region_id"
        ):
            offer_regions.setdefault(offer_id, set()).add(region_id)
        for event_id, theme_id in JointEvent.objects.filter(id__in=event_ids).values_list(
            "id", "surgeries__themes"
        ):
            if theme_id:
                event_themes.setdefault(event_id, set()).add(theme_id)
        theme_order = {t.pk: n for n, t in enumerate(self.themes)}

        self.offers, self.events = [], []
        for item in items:
            if item.kind == BulletinItemKind.OFFER:
                offer = item.offer
                regions = offer_regions.get(offer.pk)
                self.offers.append(
                    Entry(
                        kind="offer",
                        title=translated(offer, "title"),
                        # Insights: a signed redirect that records the click, then goes to the offer.
                        url=tracked_link(in_reading_language(offer_path(offer)), bulletin=bulletin.pk, offer=offer.pk,
                                         theme=min(offer_themes.get(offer.pk, ()), key=lambda t: theme_order.get(t, 0), default=None)),
                        summary=translated(offer, "summary"),
                        pinned=item.pinned,
                        detail=f"{offer.get_format_display()} · {offer.get_cost_display()}",
                        programme=translated(offer.programme, "plain_name"),
                        theme_ids=tuple(sorted(offer_themes.get(offer.pk, ()), key=lambda t: theme_order.get(t, 0))),
                        region_ids=None if offer.is_national or not regions else frozenset(regions),
                        glossary=_glossary_for(f"{offer.title} {offer.summary}", glossary),
                    )
                )
            else:
                event = item.event
                self.events.append(
                    Entry(
                        kind="event",
                        title=translated(event, "title"),
                        url=tracked_link(in_reading_language(event_path(event)), bulletin=bulletin.pk,
                                         theme=min(event_themes.get(event.pk, ()), key=lambda t: theme_order.get(t, 0), default=None)),
                        summary=translated(event, "summary"),
                        pinned=item.pinned,
                        detail=f"{_when(event)} · {event.venue}",
                        theme_ids=tuple(event_themes.get(event.pk, ())),
                        region_ids=None if event.region_id is None else frozenset([event.region_id]),
                        glossary=_glossary_for(f"{event.title} {event.summary}", glossary),
                    )
                )
        self.events.sort(key=lambda e: not e.pinned)

    def for_choices(self, theme_ids=frozenset(), region_ids=frozenset()):
        """The content for someone interested in these themes and regions (empty: all)."""

        def region_fits(entry):
            return entry.region_ids is None or not region_ids or bool(entry.region_ids & region_ids)

        def theme_fits(entry):
            return not theme_ids or not entry.theme_ids or bool(set(entry.theme_ids) & theme_ids)

        by_theme = {}
        for entry in self.offers:
            if not (region_fits(entry) and theme_fits(entry)):
                continue
            # Each offer once, under the first of its themes the reader chose.
            wanted = [t for t in entry.theme_ids if not theme_ids or t in theme_ids]
            by_theme.setdefault(wanted[0] if wanted else None, []).append(entry)
        sections = [Section(theme, by_theme[theme.pk]) for theme in self.themes if theme.pk in by_theme]
        if None in by_theme:
            sections.append(Section(Theme(name=gettext("Other offers"), slug="other"), by_theme[None]))
        events = [e for e in self.events if region_fits(e) and theme_fits(e)]
        return Content(sections=sections, events=events)

    def for_everyone(self):
        return self.for_choices()


def _sent_size(html):
    """Bytes of this HTML as it goes out: UTF-8, lines ending CRLF."""
    return len(html.encode()) + html.count("\n")


class BulletinRenderer:
    """Renders personalised bulletin emails quickly.

    Each entry, section heading and the outer frame are rendered once; a
    reader's email is the frame with their sections' fragments joined in,
    cached per (themes, regions) choice, then only the name and unsubscribe
    link are substituted per reader.

    An email shows the first BULLETIN_EMAIL_ITEMS_PER_SECTION items of each
    section, at most BULLETIN_EMAIL_ITEMS_TOTAL in all (shared out section
    by section), and fewer if its HTML would pass HTML_BUDGET_BYTES; a
    section cut short links to the rest in the web archive.
    """

    TEMPLATES = "bulletins/emails/"
    CONTENT_PLACEHOLDER = "@@bulletin-content@@"
    # Gmail clips a message whose HTML passes about 102 KB, hiding the rest
    # (the unsubscribe link included); this keeps a margin below it.
    HTML_BUDGET_BYTES = 90_000
    # Room for a reader's name in place of its placeholder: 150 characters
    # (Subscriber.name), each up to 6 bytes once escaped ("&quot;").
    NAME_RESERVE_BYTES = 150 * 6

    def __init__(self, bulletin, content=None, *, language=None, part=False, html_budget=None):
        # `language`: None renders in the active one. `part`: the HTML without its document
        # wrapper, for the bilingual email. `html_budget`: a share of HTML_BUDGET_BYTES.
        self.language = language or translation.get_language()
        self.part = part
        self.html_budget = html_budget or self.HTML_BUDGET_BYTES
        with translation.override(self.language):
            self._build(bulletin, content)

    def _build(self, bulletin, content):
        self.bulletin = bulletin
        self.content = content or BulletinContent(bulletin)
        self._cache = {}
        self._prepared = {}
        self._frames = {}
        self._glossaries = {}
        base = {"bulletin": bulletin, "site_name": SITE_NAME, "site_url": settings.SITE_URL}
        self._base = base
        self._entries = {}
        self._entry_sizes = {}
        for entry in self.content.offers + self.content.events:
            context = {**base, "entry": entry}
            self._entries[id(entry)] = (
                render_to_string(f"{self.TEMPLATES}_entry.html", context),
                render_to_string(f"{self.TEMPLATES}_entry.txt", context),
            )
            self._entry_sizes[id(entry)] = _sent_size(self._entries[id(entry)][0])
        self._headings = {}
        self._more = {}
        self._web_url = absolute(bulletin.get_absolute_url())
        self.site_root = site_root(self.language)
        self._offers_url = absolute(in_reading_language("/offers/"))
        self._preferences_url = absolute(reverse("bulletins:subscribe"))

    def _more_line(self, title, anchor, count):
        """"...and N more on the web", linking to the section in the archive."""
        key = (anchor, count)
        if key not in self._more:
            context = {**self._base, "title": title, "count": count, "url": f"{self._web_url}#{anchor}"}
            self._more[key] = (
                render_to_string(f"{self.TEMPLATES}_more.html", context),
                render_to_string(f"{self.TEMPLATES}_more.txt", context),
            )
        return self._more[key]

    def _heading(self, title):
        if title not in self._headings:
            context = {**self._base, "title": title}
            self._headings[title] = (
                render_to_string(f"{self.TEMPLATES}_section.html", context),
                render_to_string(f"{self.TEMPLATES}_section.txt", context),
            )
        return self._headings[title]

    def _frame(self, is_empty):
        if is_empty not in self._frames:
            context = {
                **self._base,
                "is_empty": is_empty,
                "content_html": self.CONTENT_PLACEHOLDER,
                "name": NAME_PLACEHOLDER,
                "unsubscribe_url": f"{self.site_root}{UNSUBSCRIBE_PLACEHOLDER}",
                "web_url": self._web_url,
                "offers_url": self._offers_url,
                "preferences_url": self._preferences_url,
                "email_part": self.part,
            }
            self._frames[is_empty] = (
                render_subject(f"{self.TEMPLATES}bulletin_subject.txt", context),
                render_to_string(f"{self.TEMPLATES}bulletin_body.txt", context),
                render_to_string(f"{self.TEMPLATES}bulletin_body.html", context),
            )
        return self._frames[is_empty]

    def _glossary(self, pairs):
        key = tuple(pairs)
        if key not in self._glossaries:
            context = {**self._base, "glossary": pairs}
            self._glossaries[key] = (
                render_to_string(f"{self.TEMPLATES}_glossary.html", context) if pairs else "",
                render_to_string(f"{self.TEMPLATES}_glossary.txt", context) if pairs else "",
            )
        return self._glossaries[key]

    def _cached(self, theme_ids, region_ids):
        key = (frozenset(theme_ids), frozenset(region_ids))
        if key not in self._cache:
            with translation.override(self.language):
                self._cache[key] = self._render(self.content.for_choices(*key))
        return key, self._cache[key]

    def prepared_for(self, *, theme_ids=frozenset(), region_ids=frozenset()):
        """A PreparedMessage for these choices, False when the reader is skipped, None if not preparable."""
        from .emails import PreparedMessage

        key, rendered = self._cached(theme_ids, region_ids)
        if rendered is None:
            return False
        if key not in self._prepared:
            subject, text, html = rendered
            self._prepared[key] = PreparedMessage.prepare(
                subject=subject, text=text, html=html, name_placeholder=NAME_PLACEHOLDER,
                unsubscribe_placeholder=UNSUBSCRIBE_PLACEHOLDER, list_unsubscribe_root=self.site_root,
            )
        return self._prepared[key]

    def render_for(self, *, name, token, theme_ids=frozenset(), region_ids=frozenset()):
        """(subject, text, html) for one reader, or None when nothing matches and empties are skipped."""
        _, rendered = self._cached(theme_ids, region_ids)
        if rendered is None:
            return None
        subject, text, html = rendered
        path = unsubscribe_path(token)
        return (
            subject,
            text.replace(NAME_PLACEHOLDER, name).replace(UNSUBSCRIBE_PLACEHOLDER, path),
            html.replace(NAME_PLACEHOLDER, escape(name)).replace(UNSUBSCRIBE_PLACEHOLDER, path),
        )

    def _render(self, content):
        if content.is_empty and not self.bulletin.send_empty:
            return None
        groups = [
            (translated(section.theme, "name"), f"theme-{section.theme.slug}", section.entries)
            for section in content.sections
        ]
        if content.events:
            groups.append((ShownText(gettext("Coming events")), "events-heading", content.events))
        subject, text, html = self._frame(content.is_empty)
        quotas = self._quotas(groups, frame_html=html)
        html_parts, text_parts, shown = self._parts(groups, quotas)
        glossary_html, glossary_text = self._glossary(glossary_of(shown))
        html_parts.append(glossary_html)
        text_parts.append(glossary_text)
        return (
            subject,
            text.replace(self.CONTENT_PLACEHOLDER, "".join(text_parts)),
            html.replace(self.CONTENT_PLACEHOLDER, "".join(html_parts)),
        )

    def _parts(self, groups, quotas):
        """The HTML and text fragments of the sections as cut to their quotas, and the entries shown."""
        html_parts, text_parts, shown = [], [], []
        for (title, anchor, entries), quota in zip(groups, quotas, strict=True):
            heading_html, heading_text = self._heading(title)
            html_parts.append(heading_html)
            text_parts.append(heading_text)
            for entry in entries[:quota]:
                entry_html, entry_text = self._entries[id(entry)]
                html_parts.append(entry_html)
                text_parts.append(entry_text)
            shown.extend(entries[:quota])
            if quota < len(entries):
                more_html, more_text = self._more_line(title, anchor, len(entries) - quota)
                html_parts.append(more_html)
                text_parts.append(more_text)
        return html_parts, text_parts, shown

    def _quotas(self, groups, *, frame_html):
        """How many items of each section the email shows.

        Round by round, each section takes its next item until the section
        cap or the total is reached, so every section shows its first items
        (pinned ones lead) before any shows more. Then, while the HTML would
        pass the budget, the fullest section (the later of equals) gives one back.
        """
        per_section = settings.BULLETIN_EMAIL_ITEMS_PER_SECTION
        left = settings.BULLETIN_EMAIL_ITEMS_TOTAL
        quotas = [0] * len(groups)
        for rank in range(per_section):
            for n, (_, _, entries) in enumerate(groups):
                if left and rank < len(entries):
                    quotas[n] += 1
                    left -= 1
        fixed = (
            _sent_size(frame_html) - len(self.CONTENT_PLACEHOLDER)
            + frame_html.count(NAME_PLACEHOLDER) * (self.NAME_RESERVE_BYTES - len(NAME_PLACEHOLDER))
            + frame_html.count(UNSUBSCRIBE_PLACEHOLDER)
            * (len(unsubscribe_path(uuid.UUID(int=0))) - len(UNSUBSCRIBE_PLACEHOLDER))
        )
        while any(quotas) and fixed + self._content_size(groups, quotas) > self.html_budget:
            fullest = max(range(len(quotas)), key=lambda n: (quotas[n], n))
            quotas[fullest] -= 1
        return quotas

    def _content_size(self, groups, quotas):
        size, shown = 0, []
        for (title, anchor, entries), quota in zip(groups, quotas, strict=True):
            size += _sent_size(self._heading(title)[0])
            size += sum(self._entry_sizes[id(entry)] for entry in entries[:quota])
            shown.extend(entries[:quota])
            if quota < len(entries):
                size += _sent_size(self._more_line(title, anchor, len(entries) - quota)[0])
        return size + _sent_size(self._glossary(glossary_of(shown))[0])


class BilingualBulletinRenderer(BulletinRenderer):
    """For a reader whose language is not known: the Welsh version, then the English one, in one email.

    Each version is a BulletinRenderer of its own with half the HTML budget;
    the two are joined by programmes.emails.bilingual_email, the same rule
    every other email follows. The placeholders (name, unsubscribe link)
    appear in both halves and are substituted in both: each half's link
    opens the unsubscribe page in its language; the List-Unsubscribe header
    has the address without language prefix.
    """

    def __init__(self, bulletin):
        self.bulletin = bulletin
        self.language = BILINGUAL
        half = (self.HTML_BUDGET_BYTES - 2_000) // 2  # 2 kB for the bilingual wrapper
        self.welsh = BulletinRenderer(bulletin, language=WELSH, part=True, html_budget=half)
        self.english = BulletinRenderer(bulletin, language=ENGLISH, part=True, html_budget=half)
        self.site_root = self.english.site_root  # the List-Unsubscribe header's
        self._cache = {}
        self._prepared = {}

    def _cached(self, theme_ids, region_ids):
        key = (frozenset(theme_ids), frozenset(region_ids))
        if key not in self._cache:
            _, welsh = self.welsh._cached(*key)
            _, english = self.english._cached(*key)
            if welsh is None or english is None:
                self._cache[key] = None
            else:
                email = bilingual_email(RenderedEmail(*welsh), RenderedEmail(*english))
                self._cache[key] = (email.subject, email.text, email.html)
        return key, self._cache[key]


def bulletin_renderer(bulletin, language):
    """A renderer for readers of `language` ("cy", "en-gb", or BILINGUAL when not known)."""
    if language == BILINGUAL:
        return BilingualBulletinRenderer(bulletin)
    return BulletinRenderer(bulletin, language=language)


_renderers = {}


def renderer_for(bulletin, language):
    """One renderer per bulletin and language per worker process: a bulletin's content is frozen once sending starts."""
    key = (bulletin.pk, bulletin.sent_at, language)
    if key not in _renderers:
        if len(_renderers) >= 6:  # two bulletins' three languages
            _renderers.clear()
        _renderers[key] = bulletin_renderer(bulletin, language)
    return _renderers[key]


def unsubscribe_url(token):
    """A subscriber's one-click link; with no token (a test copy) a page that unsubscribes nobody."""
    if token is None:
        return absolute(reverse("bulletins:unsubscribe_test"))
    return absolute(reverse("bulletins:unsubscribe", args=[token]))


def unsubscribe_path(token):
    """unsubscribe_url's path without language prefix, whatever the active language: what
    UNSUBSCRIBE_PLACEHOLDER stands for."""
    with translation.override(ENGLISH):
        return reverse("bulletins:unsubscribe_test") if token is None else reverse("bulletins:unsubscribe", args=[token])


def _when(event):
    from django.utils import timezone
    from django.utils.formats import date_format

    start = timezone.localtime(event.starts_at)
    return f"{date_format(start, 'l j F Y')}, {date_format(start, 'H:i')}"

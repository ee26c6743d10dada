"""Walk every URL pattern and try hostile values on it: the machinery of brokerage/tests/test_hostile_input.py.

`url_patterns()` lists every pattern the root resolver knows, with its full
route split into segments; `fill()` puts sample values into a route's
converters and groups. `PageForms` reads the forms and the query parameters
a page itself uses out of its HTML, so the walker posts to the fields a form
really has and tries the filters a page really offers (an admin changelist's
`status__exact`, say) beside the documented ones.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

# One hostile value per kind of trouble; a list is sent as a repeated parameter.
HOSTILE_VALUES = [
    ("NUL", "a\x00b"),
    ("100,000 characters", "x" * 100_000),
    ("unicode", "Ŵŷâ 👩‍🏫 \u202e"),
    ("markup", "<script>alert(1)</script>"),
    ("formula", "=cmd|' /C calc'!A0"),
    ("first day of the calendar", "0001-01-01"),
    ("last day of the calendar", "9999-12-31"),
    ("a five-digit year", "10000-01-01"),
    ("negative", "-1"),
    ("huge", "99999999999999999999"),
    ("repeated", ["1", "2"]),
]

# What the public pages read (DESIGN.md's addresses), plus what the admin's changelists read.
DOCUMENTED_PARAMS = [
    "q", "theme", "audience", "region", "format", "cost", "accredited", "sort", "page", "start", "end", "next",
    "email", "per_page", "past", "programme", "role", "language",
]
ADMIN_PARAMS = ["q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters"]

_ROUTE_PART = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^()]*\)")


@dataclass
class Pattern:
    """One URL pattern: its qualified name (or None) and its route, one segment per resolver level."""

    name: str | None
    segments: list  # [(pattern object, its text)]
    callback: object

    @property
    def route(self):
        return "".join(text for _, text in self.segments)

    @property
    def parameters(self):
        """The names of the values the route needs, in order (unnamed regex groups as "0", "1"...)."""
        names = []
        for pattern, text in self.segments:
            if isinstance(pattern, RoutePattern):
                names += [m["name"] for m in _ROUTE_PART.finditer(text)]
            elif isinstance(pattern, RegexPattern):
                names += [m["name"] or str(i) for i, m in enumerate(_REGEX_GROUP.finditer(text))]
        return names


def url_patterns(resolver=None, segments=(), namespace=None):
    """Every URLPattern under `resolver` (the root one by default), depth first."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        here = [*segments, (entry.pattern, str(entry.pattern))]
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from url_patterns(entry, here, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Pattern(name=name, segments=here, callback=entry.callback)


def fill(pattern, values):
    """The path of `pattern` with `values` ({parameter name: text}) in its converters and groups."""
    path = ""
    for part, text in pattern.segments:
        if isinstance(part, RoutePattern):
            path += _ROUTE_PART.sub(lambda m: str(values[m["name"]]), text)
        else:
            counter = iter(range(100))
            filled = _REGEX_GROUP.sub(lambda m: str(values[m["name"] or str(next(counter))]), text)
            path += filled.removeprefix("^").removesuffix("$")
    return "/" + path


@dataclass
class Form:
    method: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> default value (a list for multiple values)
    files: list = field(default_factory=list)  # names of file inputs
    editable: list = field(default_factory=list)  # names a person types or chooses (not hidden, not buttons)


class PageForms(HTMLParser):
    """The forms of an HTML page and the query parameters of its links back to itself."""

    def __init__(self, page_url, html):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms = []
        self.link_params = set()
        self._form = self._select = self._textarea = None
        self._options = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            target = urlsplit(urljoin(self.page_url, attrs["href"]))
            if target.path == urlsplit(self.page_url).path and target.query:
                self.link_params.update(key for key, _ in parse_qsl(target.query, keep_blank_values=True))
        elif tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self._form = Form(method=(attrs.get("method") or "get").lower(), action=action)
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "select":
            self._select, self._options = attrs, []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form.fields[attrs["name"]] = ""
            self._form.editable.append(attrs["name"])
        elif tag == "button" and attrs.get("type", "submit") == "submit":
            self._form.fields.setdefault(attrs["name"], attrs.get("value", ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name = self._select["name"]
            chosen = [value for value, selected in self._options if selected]
            if "multiple" in self._select:
                self._form.fields[name] = chosen
            else:
                self._form.fields[name] = chosen[0] if chosen else (self._options[0][0] if self._options else "")
            self._form.editable.append(name)
            self._select = None

    def _input(self, attrs):
        form, name, kind = self._form, attrs["name"], attrs.get("type", "text").lower()
        if kind == "file":
            form.files.append(name)
            form.editable.append(name)
        elif kind in ("checkbox", "radio"):
            if name not in form.editable:
                form.editable.append(name)
            if "checked" in attrs:
                if kind == "checkbox":
                    form.fields.setdefault(name, [])
                    if isinstance(form.fields[name], list):
                        form.fields[name].append(attrs.get("value", "on"))
                else:
                    form.fields[name] = attrs.get("value", "on")
        elif kind in ("submit", "image", "reset", "button"):
            if kind == "submit":
                form.fields.setdefault(name, attrs.get("value", ""))
        else:
            form.fields[name] = attrs.get("value", "")
            if kind != "hidden":
                form.editable.append(name)


class Reads:
    def __init__(self):
        self.keys = set()  # asked for by name
        self.everything = False  # went through them all (the admin's changelist and initial data do)


class RecordingQueryDict(QueryDict):
    """request.GET that remembers which keys the view asked for by name, and whether it read them all."""

    def __init__(self, query_string=None, mutable=False, encoding=None, reads=None):
        self.reads = Reads()  # filling the dict reads it too: counted apart, then dropped
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.reads = Reads() if reads is None else reads

    def __getitem__(self, key):
        self.reads.keys.add(key)
        return super().__getitem__(key)

    def _getlist(self, key, *args, **kwargs):
        self.reads.keys.add(key)
        return super()._getlist(key, *args, **kwargs)

    def __contains__(self, key):
        self.reads.keys.add(key)
        return super().__contains__(key)

    def __iter__(self):
        self.reads.everything = True
        return super().__iter__()

    def lists(self):
        self.reads.everything = True
        return super().lists()


class QueryReads:
    """The query parameters the views read, request by request.

    Installed as the last middleware during the walk, it swaps request.GET
    for a RecordingQueryDict; `last` holds what the latest request's view read.
    """

    last = Reads()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        QueryReads.last = Reads()
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""), reads=QueryReads.last)
        return self.get_response(request)

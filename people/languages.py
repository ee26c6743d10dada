"""The same page in the other language: what the language switch links to."""

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_from_path

from .choices import Language


def other_language(language):
    return Language.ENGLISH if language == Language.WELSH else Language.WELSH


def url_in_language(url, language):
    """`url` (a path with its query, as request.get_full_path() gives it) in `language`:
    the same view, arguments and query.

    translate_url() reverses the view in the other language; where the path
    resolves to no named view (a 404 page) it gives the path back, and then the
    counterpart is the same path with the language prefix put on or taken off,
    which is all /cy/ changes. The result always starts with one slash: an
    address such as //other.example/ must not turn the switch into a link to
    another site.
    """
    path, mark, query = url.partition("?")
    path = translate_url(_one_leading_slash(path), language)
    current = get_language_from_path(path)
    if (current or settings.LANGUAGE_CODE) != language:
        bare = path_without_language(path)
        path = bare if language == settings.LANGUAGE_CODE else f"/{language}{bare}"
    return _one_leading_slash(path) + mark + query


def path_without_language(path):
    """`path` without its language prefix: "/cy/offers/" -> "/offers/", "/cy" -> "/"."""
    language = get_language_from_path(path)
    return (path.removeprefix(f"/{language}") or "/") if language else path


def _one_leading_slash(path):
    return "/" + path.lstrip("/")


def link_in_language(url, language):
    """A link to this site (SITE_URL + path, or a path) in `language`; any other address as it is.

    For links built in Python before an email is rendered (a signed token in
    them, say): the email's templates put them in the language being rendered.
    A link already in `language` is left exactly as it is, so an English
    reader's links are the addresses they always were.
    """
    site = settings.SITE_URL
    if url.startswith(site) and url[len(site):len(site) + 1] in ("", "/", "?", "#"):
        origin, path = site, url[len(site):]
    elif url.startswith("/") and not url.startswith("//"):
        origin, path = "", url
    else:
        return url
    if (get_language_from_path(path or "/") or settings.LANGUAGE_CODE) == language:
        return url
    return origin + url_in_language(path or "/", language)

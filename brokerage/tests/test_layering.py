"""Imports and URL names only point downwards: people <- programmes <- providers <- events <- brokerage.

An app may import, and reverse URL names of, only itself and the apps below
it. URL names are checked where an app reverses them in Python (`reverse`,
`reverse_lazy`, `redirect` with a literal name) and in its own templates
(`{% url %}` in templates/<app>/, templates/emails/<app>/, templates/admin/<app>/;
the other templates are the project's, at the top). Each namespace, or
unnamespaced name, belongs to the app whose URLconf defines it.
"""

import ast
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["people", "programmes", "providers", "events", "brokerage"]
REVERSING_CALLS = {"reverse", "reverse_lazy", "redirect"}
URL_TAG = re.compile(r"""{%\s*url\s+(['"])([^'"]+)\1""")
# Reversed up the layers on purpose, each with its reason.
ALLOWED_UPWARD_NAMES = set()


def imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]


def app_sources(app):
    return [path for path in (ROOT / app).rglob("*.py") if "tests" not in path.parts]


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_layering_lower_app_imports_no_higher_app(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :])
    offending = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in app_sources(app)
        for name in imported_apps(path)
        if name in higher
    )
    assert offending == []


def url_name_owners():
    """{namespace or unnamespaced name: the app whose URLconf defines it} (our apps only)."""
    owners = {}

    def walk(resolver, parent=None):
        # A plain list of patterns (i18n_patterns' /cy/ prefix) belongs to the URLconf around it.
        module = getattr(resolver.urlconf_module, "__name__", None)
        app = module.split(".")[0] if module else parent
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace:
                    module = getattr(entry.urlconf_module, "__name__", "")
                    owners[entry.namespace + ":"] = module.split(".")[0]
                else:
                    walk(entry, app)
            elif isinstance(entry, URLPattern) and entry.name and app in LAYERS:
                owners[entry.name] = app

    walk(get_resolver())
    return owners


def owner_of(name, owners):
    namespace, colon, _ = name.rpartition(":")
    return owners.get(f"{namespace.split(':')[0]}:" if colon else name)


def reversed_in_python(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        first = node.args[0]
        if called in REVERSING_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value


def app_templates(app):
    for folder in (ROOT / "templates" / app, ROOT / "templates" / "emails" / app, ROOT / "templates" / "admin" / app):
        yield from (path for path in folder.rglob("*") if path.is_file())


def reversed_names(app):
    for path in app_sources(app):
        for name in reversed_in_python(path):
            yield path, name
    for path in app_templates(app):
        for match in URL_TAG.finditer(path.read_text(encoding="utf-8")):
            yield path, match.group(2)


def test_url_names_are_known_to_the_check():
    owners = url_name_owners()
    # Spot checks that the walk sees namespaces and unnamespaced names.
    assert (owners["catalogue:"], owners["account:"], owners["network:"], owners["home"]) == (
        "brokerage", "providers", "programmes", "brokerage",
    )


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_layering_lower_app_reverses_no_higher_apps_url_names(app):
    owners = url_name_owners()
    higher = set(LAYERS[LAYERS.index(app) + 1 :])
    offending = sorted(
        f"{path.relative_to(ROOT)} reverses {name} ({owner_of(name, owners)})"
        for path, name in reversed_names(app)
        if owner_of(name, owners) in higher and (str(path.relative_to(ROOT)), name) not in ALLOWED_UPWARD_NAMES
    )
    assert offending == []

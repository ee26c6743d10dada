"""Imports only point downwards: people <- programmes <- providers <- events <- brokerage."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["people", "programmes", "providers", "events", "brokerage"]


def imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_layering_lower_app_imports_no_higher_app(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :])
    offending = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / app).rglob("*.py")
        if "tests" not in path.parts
        for name in imported_apps(path)
        if name in higher
    )
    assert offending == []

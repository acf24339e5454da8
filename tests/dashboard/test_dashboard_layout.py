"""The dashboard's layout by page family, as README's "Working on liteboard" describes it."""

import ast
from pathlib import Path

import pytest

from dashboard import app

DASHBOARD = Path(app.__file__).resolve().parent
FAMILIES = [family.__name__.split(".")[1] for family in app.FAMILIES]


def imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_the_families_are_the_packages_beside_the_plumbing():
    packages = {p.parent.name for p in DASHBOARD.glob("*/__init__.py")}
    assert packages == {*FAMILIES, "web"}


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_has_its_routes_its_http_doc_and_plain_functions_without_flask(family):
    folder = DASHBOARD / family
    assert (folder / "http_api.md").is_file()
    assert app.FAMILIES[FAMILIES.index(family)].bp.name == family
    for module in folder.glob("*.py"):
        if module.name != "routes.py":
            flask = [name for name in imports(module) if name.split(".")[0] in ("flask", "werkzeug")]
            assert not flask, f"{module.relative_to(DASHBOARD)} imports {flask}: plain functions take no Flask"


@pytest.mark.parametrize("url", ["/api/runs", "/static/style.css", "/api/nope", "/nope"])
def test_every_answer_carries_the_security_headers(client, url):
    response = client.get(url)
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"

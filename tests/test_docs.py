"""Every CLI command and option, API route and public engine name is documented where users look."""

import re
from pathlib import Path

import pytest

import engine
from dashboard import cli
from dashboard.app import create_app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# docs/API.md, and the http_api.md beside each page family's code (dashboard/<family>/http_api.md).
API_DOCS = [ROOT / "docs" / "API.md", *sorted((ROOT / "dashboard").glob("*/http_api.md"))]
API_DOC = "\n".join(path.read_text(encoding="utf-8") for path in API_DOCS)
ENGINE_DOCS = README + (ROOT / "docs" / "ENGINE.md").read_text(encoding="utf-8")


def code_words(markdown):
    """Identifiers in code: fenced blocks and `inline spans`."""
    fenced = re.findall(r"```.*?```", markdown, re.DOTALL)
    prose = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    spans = fenced + re.findall(r"`([^`\n]+)`", prose)
    return {word for span in spans for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", span)}


ENGINE_DOCUMENTED = code_words(ENGINE_DOCS)


def subcommands():
    parser = cli.parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    return commands.choices


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_cli_command_and_its_options_are_in_the_readme(command):
    assert f"liteboard {command}" in README
    for action in subcommands()[command]._actions:
        for flag in action.option_strings:
            if flag.startswith("--") and flag != "--help":
                assert flag in README, f"README does not mention `liteboard {command} {flag}`"


def normalise(route):
    """`/api/runs/<path:name>` and `/api/runs/<run>` both become `/api/runs/<>`."""
    return re.sub(r"<[^>]*>", "<>", route)


def api_routes(tmp_path):
    app = create_app(str(tmp_path))
    return {normalise(rule.rule) for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/") and "<path:anything>" not in rule.rule}


def test_every_api_route_is_documented(tmp_path):
    headings = re.findall(r"^##+ [^`\n]*`(?:GET|POST|PUT|DELETE) (/api/[^`]*)`", API_DOC, re.MULTILINE)
    documented = {normalise(h) for h in headings if not h.endswith("...")}
    routes = api_routes(tmp_path)
    assert routes, "no API routes found"
    assert routes - documented == set(), "routes missing from docs/API.md and dashboard/*/http_api.md"
    assert documented - routes == set(), "docs/API.md or an http_api.md documents routes that do not exist"


@pytest.mark.parametrize("name", sorted(n for n in engine.__all__ if not n.startswith("_")))
def test_public_engine_name_is_documented(name):
    assert name in ENGINE_DOCUMENTED, f"engine.{name} is in neither README.md nor docs/ENGINE.md"

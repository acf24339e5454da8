"""docs/API.md and each page family's http_api.md document every route of its blueprint; docs/API.md the CLI."""

import re
from pathlib import Path

import pytest

from dashboard import cli

ROOT = Path(__file__).resolve().parents[2]
API_MD = ROOT / "docs" / "API.md"


def documented_paths():
    text = "\n".join(path.read_text() for path in [API_MD, *(ROOT / "dashboard").glob("*/http_api.md")])
    return set(re.findall(r"`(?:GET )?(/[^`\s?]*)", text))


def routes(app, blueprint):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(f"{blueprint}.") and "anything" not in rule.arguments:
            yield re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule).replace("<name>", "<run>")


@pytest.mark.parametrize("blueprint", ["runs", "scalars", "graph", "compare", "web"])
def test_every_route_is_documented(app, blueprint):
    missing = sorted(set(routes(app, blueprint)) - documented_paths())
    assert not missing, f"routes missing from docs/API.md and the http_api.md files: {missing}"


def test_the_cli_is_documented():
    text = API_MD.read_text()
    assert "python -m dashboard" in text
    usage = re.search(r"liteboard serve [^\n#]*", text).group(0)
    defaults = cli.parser().parse_args(["serve"])
    for option in ("logdir", "host", "port"):
        assert f"--{option}" in usage
    assert f"--host {defaults.host}" in usage and f"--port {cli.server.DEFAULT_PORT}" in usage

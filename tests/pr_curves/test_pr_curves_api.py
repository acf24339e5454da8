"""/api/pr_curves and the /pr_curves page's HTML, on runs that log PR curves."""

from urllib.parse import quote

import pytest

from dashboard.app import create_app
from pr_runs import pr_logdir  # noqa: F401  (fixture)


@pytest.fixture
def client(pr_logdir):  # noqa: F811
    return create_app(pr_logdir).test_client()


def get(client, **params):
    runs = params.pop("runs", ["cls_good"])
    query = "&".join([f"run={quote(r)}" for r in runs] + [f"{k}={quote(str(v))}" for k, v in params.items()])
    return client.get(f"/api/pr_curves?{query}")


def test_each_runs_curves_by_step(client):
    body = get(client, runs=["cls_good", "cls_poor"], tag="val/pr").get_json()
    assert body["tag"] == "val/pr" and [r["run"] for r in body["runs"]] == ["cls_good", "cls_poor"]
    curves = body["runs"][0]["curves"]
    assert [c["step"] for c in curves] == [0, 5, 10]
    first = curves[0]
    assert len(first["thresholds"]) == 51 and first["thresholds"][0] == 0.0
    assert first["recall"][0] == 1.0 and first["true_positives"][0] + first["false_negatives"][0] > 0
    assert set(first) == {"step", "wall_time", "thresholds", "true_positives", "false_positives",
                          "true_negatives", "false_negatives", "precision", "recall"}


def test_max_steps_keeps_the_first_and_latest(client):
    curves = get(client, tag="val/pr", max_steps=2).get_json()["runs"][0]["curves"]
    assert [c["step"] for c in curves] == [0, 10]


@pytest.mark.parametrize("params, status, message", [
    ({"tag": "nope"}, 404, "run 'cls_good' has no tag 'nope'"),
    ({"tag": "loss"}, 404, "run 'cls_good' has no pr_curve tag \\(it is scalar\\) 'loss'"),
    ({"runs": ["missing"], "tag": "val/pr"}, 404, "missing"),
    ({"tag": "val/pr", "max_steps": "0"}, 400, "max_steps"),
    ({"runs": [], "tag": "val/pr"}, 400, "run"),
])
def test_bad_requests_get_a_json_error_naming_what_is_wrong(client, params, status, message):
    import re
    response = get(client, **params)
    assert response.status_code == status
    assert re.search(message, response.get_json()["error"])


def test_the_page_has_its_tab_and_loads_its_script(client):
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        tabs, scripts = {}, []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "a" and attrs.get("aria-current") == "page":
                self.tabs["active"] = attrs["href"]
            if tag == "script" and attrs.get("src"):
                self.scripts.append(attrs["src"])

    parser = Parser()
    parser.feed(client.get("/pr_curves").get_data(as_text=True))
    assert parser.tabs["active"] == "/pr_curves"
    assert "/static/pr_curves/pr_curves.js" in parser.scripts

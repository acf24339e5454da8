"""Who may change state: the checks every POST, PUT or DELETE passes before its route runs.

The dashboard's state-changing routes (hiding, naming, labelling, trashing runs) would otherwise
be reachable by any web page the user has open: a form or fetch() aimed at 127.0.0.1 carries no
proof of where it came from. So a change needs a per-server random token that only this server's
own pages can read (they send it as the X-Liteboard-Token header, from a <meta> in base.html), and
a browser's Origin and Sec-Fetch-Site headers, when sent, must name this server. A server started
with --read-only refuses every change. Reads (GET, HEAD, OPTIONS) pass untouched, and a method a
route does not take is left to routing (a 405 names it), so no check can make a GET change state.
"""

import hmac
import secrets
from urllib.parse import urlsplit

from flask import abort, current_app, request

from dashboard.web.security import host_name, is_address

HEADER = "X-Liteboard-Token"
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token():
    """This server's token, made once per app (a restart makes a new one)."""
    return current_app.config["CSRF_TOKEN"]


def port_of(netloc, scheme):
    """The port of a Host header or an Origin's netloc; the scheme's own port when none is given."""
    try:
        port = urlsplit(f"//{netloc}").port
    except ValueError:
        port = None
    return port or (443 if scheme == "https" else 80)


def origin_problem(origin):
    """Why `origin` (an Origin header) is not where this server listens; None when it is."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"Origin {origin[:200]!r} is not a web page of this server"
    name = host_name(parts.netloc)
    allowed = is_address(name) or name in current_app.config["ALLOWED_HOSTS"]
    if not allowed or port_of(parts.netloc, parts.scheme) != port_of(request.host, request.scheme):
        return f"Origin {origin[:200]!r} is another site than this server ({request.host[:200]})"
    return None


def refusal():
    """Why the current request may not change state; None when it may."""
    config = current_app.config
    if config["READ_ONLY"]:
        return "this server was started with --read-only, so it changes nothing"
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return f"a request from another site (Sec-Fetch-Site: {site[:40]}) cannot change anything here"
    origin = request.headers.get("Origin")
    if origin is not None:
        problem = origin_problem(origin)
        if problem:
            return problem
    sent = request.headers.get(HEADER)
    if not sent:
        return (f"the {HEADER} header is missing; the dashboard's pages send it (any page's "
                "<meta name=\"liteboard-token\">, or GET /api/manage/state, gives it)")
    if not hmac.compare_digest(sent.encode("utf-8", "replace"), config["CSRF_TOKEN"].encode()):
        return f"the {HEADER} header is wrong (a token of another server, or of this one before a restart)"
    return None


def check_request():
    if request.method in READ_METHODS or request.routing_exception is not None:
        return
    problem = refusal()
    if problem:
        abort(403, problem)


def install(app):
    app.config.setdefault("CSRF_TOKEN", secrets.token_urlsafe(32))
    app.before_request(check_request)

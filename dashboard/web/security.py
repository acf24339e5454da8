"""The security headers of every answer, set in one place for the whole app.

Scripts come only from this server, never inline: even if a name slipped past
escaping, an injected <img onerror> or <script> would not run. plotly adds inline
styles, hence 'unsafe-inline' for styles. A page whose charts compile code at run
time says so with @allows_eval, and only its answers allow it.

A request whose Host header is no name the server listens on is refused, as
Jupyter does: a hostile page whose DNS name is rebound to 127.0.0.1 would
otherwise read the API (file paths, host names, command lines) as same-origin.
An address literal is served, since rebinding needs a name.
"""

import ipaddress

from flask import abort, current_app, request

# The names every server answers to; dashboard.cli adds the bound address and --host.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def content_security_policy(allow_eval=False, frame_ancestors="'none'"):
    """The Content-Security-Policy header's value; `allow_eval` adds 'unsafe-eval' to script-src,
    and `frame_ancestors` names who may frame the page (config FRAME_ANCESTORS: the notebook's)."""
    policy = dict(POLICY, **{"frame-ancestors": frame_ancestors})
    if allow_eval:
        policy["script-src"] += " 'unsafe-eval'"
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


def allows_eval(view):
    """Mark a page whose scripts need eval (plotly's WebGL charts compile their shaders with Function())."""
    view.allows_eval = True
    return view


def add_headers(response):
    view = current_app.view_functions.get(request.endpoint)
    policy = content_security_policy(getattr(view, "allows_eval", False), current_app.config["FRAME_ANCESTORS"])
    response.headers.setdefault("Content-Security-Policy", policy)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def host_name(host):
    """The name of a Host header: without its port and brackets, lowercased, no trailing dot."""
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return host.lower().rstrip(".")


def is_address(name):
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def check_host():
    name = host_name(request.host)
    if not (is_address(name) or name in current_app.config["ALLOWED_HOSTS"]):
        abort(400, f"Host {name[:200]!r} is not a name this server listens on; "
                   "open it as http://localhost:<port>/")


def install(app):
    app.before_request(check_host)
    app.after_request(add_headers)

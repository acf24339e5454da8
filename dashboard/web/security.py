"""The security headers of every answer, set in one place for the whole app.

Scripts come only from this server, never inline: even if a name slipped past
escaping, an injected <img onerror> or <script> would not run. plotly adds inline
styles, hence 'unsafe-inline' for styles. A page whose charts compile code at run
time says so with @allows_eval, and only its answers allow it.
"""

from flask import current_app, request

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def content_security_policy(allow_eval=False):
    """The Content-Security-Policy header's value; `allow_eval` adds 'unsafe-eval' to script-src."""
    policy = dict(POLICY)
    if allow_eval:
        policy["script-src"] += " 'unsafe-eval'"
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


STRICT_POLICY = content_security_policy()
EVAL_POLICY = content_security_policy(allow_eval=True)


def allows_eval(view):
    """Mark a page whose scripts need eval (plotly's WebGL charts compile their shaders with Function())."""
    view.allows_eval = True
    return view


def add_headers(response):
    view = current_app.view_functions.get(request.endpoint)
    policy = EVAL_POLICY if getattr(view, "allows_eval", False) else STRICT_POLICY
    response.headers.setdefault("Content-Security-Policy", policy)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def install(app):
    app.after_request(add_headers)

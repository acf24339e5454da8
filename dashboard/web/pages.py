"""How a page is rendered: its template, the client settings, and its tab in the navigation.

Pages carry no data in their HTML beyond what the URL names (escaped by Jinja);
their scripts fetch the JSON API and render everything else with textContent.
"""

from flask import current_app, render_template, request


def settings():
    """Client settings, written into <body data-*> by base.html."""
    config = current_app.config
    return {"refresh-seconds": config["REFRESH_SECONDS"], "max-points": config["MAX_POINTS"]}


def render_page(template, **context):
    """A page of the current blueprint's family: base.html marks that family's tab as the active one."""
    return render_template(template, settings=settings(), active=request.blueprint, **context)

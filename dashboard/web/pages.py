"""How a page is rendered: its template, the client settings, and its tab in the navigation.

Pages carry no data in their HTML beyond what the URL names (escaped by Jinja);
their scripts fetch the JSON API and render everything else with textContent.
"""

from flask import current_app, render_template, request

from dashboard.web import csrf

# app.extensions key of the notices every page shows at its top (a damaged state file moved aside).
NOTICES = "liteboard.notices"


def settings():
    """Client settings, written into <body data-*> by base.html (escaped by Jinja). The logdir
    served is one: every empty page says which folder it looked in. `root` is the path the app is
    served under (--path_prefix), which every URL a script builds starts with."""
    config = current_app.config
    return {"refresh-seconds": config["REFRESH_SECONDS"], "max-points": config["MAX_POINTS"],
            "logdir": config["LOGDIR"], "read-only": int(config["READ_ONLY"]), "root": request.script_root}


def render_page(template, active=None, **context):
    """A page of the current blueprint's family: base.html marks that family's tab (or the
    `active` tab, for a family of several pages) as the active one."""
    return render_template(template, settings=settings(), active=active or request.blueprint,
                           csrf_token=csrf.token(), notices=current_app.extensions.get(NOTICES, ()), **context)

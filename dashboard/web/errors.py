"""How failures become answers: JSON under /api, a plain page elsewhere.

Bad input and missing things are the client's business (400 / 404); a run
file that cannot be read is reported as such (422), never as a crash. An
unexpected exception is logged with its traceback on the server and answered
with a short JSON error that carries no traceback.
"""

import sqlite3

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

import tracker


class BadParameter(ValueError):
    """A query parameter is missing or malformed; the message names it."""


def too_large(limit, advice):
    """The error for an answer that would pass MAX_RESPONSE_BYTES; `advice` says what to ask for instead."""
    return BadParameter(f"the answer would exceed {limit} bytes (MAX_RESPONSE_BYTES); {advice}")


def status_for(exc):
    """The HTTP status an exception from reading the logdir deserves."""
    if isinstance(exc, BadParameter):
        return 400
    if isinstance(exc, (tracker.RunNotFoundError, tracker.TagNotFoundError, FileNotFoundError)):
        return 404
    if isinstance(exc, (tracker.TrackerError, sqlite3.Error)):
        return 422
    return 500


def message_for(exc, status):
    if status == 500:
        return f"internal error ({type(exc).__name__}); the server log has the details"
    if isinstance(exc, FileNotFoundError):
        return "the run's file vanished while it was being read"
    if isinstance(exc, sqlite3.Error):
        return f"run data could not be read: {exc}"
    return str(exc.args[0]) if exc.args else str(exc)


def wants_json():
    return request.path == "/api" or request.path.startswith("/api/")


def respond(message, status):
    if wants_json():
        return jsonify(error=message), status
    return render_template("error.html", message=message, status=status), status


def install(app):
    @app.errorhandler(HTTPException)
    def http_error(exc):
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            allowed = ", ".join(m for m in exc.valid_methods if m not in ("HEAD", "OPTIONS"))
            return respond(f"{request.method} is not allowed on {request.path[:200]}; it takes {allowed}"
                           + (" (a change is never made by a GET)" if request.method == "GET" else ""), 405)
        return respond(exc.description, exc.code)

    @app.errorhandler(Exception)
    def any_error(exc):
        status = status_for(exc)
        if status == 500:
            app.logger.exception("unexpected error serving %s", request.path)
        return respond(message_for(exc, status), status)

"""The run management family's routes: the Trash page (`/trash`), the state-changing API
(hide, name, annotate, label, trash, restore, empty the trash) and what a script needs to use it.

Every change is a PUT, POST or DELETE with a JSON body, passed by dashboard.web.csrf first, and
logged to the terminal in one line. Fields are checked here, at the boundary; a bad one is a 400
naming it and nothing is written.
"""

from flask import Blueprint, current_app, jsonify, request

import tracker
from dashboard.manage import annotate, trash
from dashboard.manage.store import StateUnwritable, Store, say
from dashboard.web import csrf, logdir, params
from dashboard.web.errors import BadParameter, respond
from dashboard.web.pages import NOTICES, render_page
from dashboard.web.state_folder import state_dir

bp = Blueprint("manage", __name__)
STORE = "liteboard.manage.store"

MAX_DISPLAY_NAME = 200
MAX_NOTES = 20_000
MAX_LABELS = 32
MAX_LABEL = 64
FIELDS = ("hidden", "display_name", "notes", "labels")


@bp.record_once
def make_store(state):
    """One Store per app; a damaged file is found (and moved aside) at start, where it is seen."""
    app = state.app
    root = app.config["LOGDIR"]
    made = Store(lambda create=False: state_dir(root, create))
    made.notices = app.extensions.setdefault(NOTICES, [])
    app.extensions[STORE] = made
    made.check()


@bp.errorhandler(trash.TrashRefused)
@bp.errorhandler(StateUnwritable)
def refused(exc):
    return respond(str(exc), 409)


def store():
    """The app's Store (made when this blueprint is registered)."""
    return current_app.extensions[STORE]


def annotated_run(run):
    """One run summary with its annotations."""
    return annotate.annotate([run], store().annotations())[0]


def body():
    """The request's JSON object."""
    if not request.is_json:
        raise BadParameter("the body must be JSON, sent with Content-Type: application/json")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadParameter("the body must be a JSON object, such as {\"run\": \"name\", \"hidden\": true}")
    return data


def run_info(data):
    """The RunInfo of the body's `run`; a 404 naming a run that does not exist."""
    name = data.get("run")
    if not isinstance(name, str):
        raise BadParameter(f"field 'run' must be a string (the run's name), got {type(name).__name__}")
    params.name("run", name)
    index = logdir.index()
    if name not in index.colors([name]):
        raise tracker.RunNotFoundError(f"run {name[:200]!r} does not exist in {logdir.path()}")
    try:
        with logdir.open_run(name) as run:  # its status now, not as last scanned
            info = run.info()
    except tracker.UnreadableRunError:
        info = index.infos([name])[0]
    return info, index


def text_field(data, key, limit, one_line):
    value = data[key]
    if not isinstance(value, str):
        raise BadParameter(f"field '{key}' must be a string, got {type(value).__name__}")
    if len(value) > limit:
        raise BadParameter(f"field '{key}' is longer than {limit} characters ({len(value)})")
    if one_line and any(ch < " " for ch in value):
        raise BadParameter(f"field '{key}' must be one line, without control characters")
    if "\x00" in value:
        raise BadParameter(f"field '{key}' contains a NUL character")
    return value.strip() if one_line else value


def labels_field(data):
    value = data["labels"]
    if not isinstance(value, list):
        raise BadParameter(f"field 'labels' must be a list of strings, got {type(value).__name__}")
    if len(value) > MAX_LABELS:
        raise BadParameter(f"field 'labels' holds {len(value)} labels; a run may have at most {MAX_LABELS}")
    labels = set()
    for index, label in enumerate(value):
        if not isinstance(label, str):
            raise BadParameter(f"field 'labels' item {index} must be a string, got {type(label).__name__}")
        text = text_field({f"labels[{index}]": label}, f"labels[{index}]", MAX_LABEL, one_line=True)
        if not text:
            raise BadParameter(f"field 'labels' item {index} is empty")
        labels.add(text)
    return sorted(labels)


def changes(data):
    """The checked changes of a PUT /api/manage/run body."""
    unknown = [key for key in data if key not in ("run", *FIELDS)]
    if unknown:
        raise BadParameter(f"unknown field {unknown[0][:40]!r}; a run's fields are {', '.join(FIELDS)}")
    found = {}
    if "hidden" in data:
        if not isinstance(data["hidden"], bool):
            raise BadParameter(f"field 'hidden' must be true or false, got {type(data['hidden']).__name__}")
        found["hidden"] = data["hidden"]
    if "display_name" in data:
        found["display_name"] = text_field(data, "display_name", MAX_DISPLAY_NAME, one_line=True)
    if "notes" in data:
        found["notes"] = text_field(data, "notes", MAX_NOTES, one_line=False)
    if "labels" in data:
        found["labels"] = labels_field(data)
    if not found:
        raise BadParameter(f"nothing to change; give one of {', '.join(FIELDS)}")
    return found


def shown(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@bp.get("/trash")
def trash_page():
    return render_page("manage/trash.html")


@bp.get("/api/manage/state")
def state():
    """What a page or a script needs before changing anything: the token, and whether it may."""
    folder, in_cache = state_dir(logdir.path())
    return jsonify(read_only=current_app.config["READ_ONLY"], token=csrf.token(), header=csrf.HEADER,
                   state_folder=str(folder), trash_available=not in_cache,
                   notices=list(store().notices))


@bp.put("/api/manage/run")
def update_run():
    """Hide or unhide a run, or set its display name, notes or labels (the fields given)."""
    data = body()
    found = changes(data)
    info, _ = run_info(data)
    annotation = store().update(info.name, found)
    logdir.index().touch(info.name)
    say(f"run {info.name!r}: " + ", ".join(f"{key}={shown(value)}" for key, value in found.items()))
    return jsonify(run=info.name, **annotation.to_dict())


@bp.get("/api/manage/trash")
def list_trash():
    """The trashed runs, oldest first."""
    return jsonify(trash=[record.to_dict() for record in store().trash()])


@bp.post("/api/manage/trash")
def trash_run():
    """Move a run's directory to the trash."""
    data = body()
    extra = [key for key in data if key != "run"]
    if extra:
        raise BadParameter(f"unknown field {extra[0][:40]!r}; moving a run to the trash takes only 'run'")
    info, index = run_info(data)
    record = trash.move_to_trash(logdir.path(), store(), info, index.names())
    index.refresh()
    say(f"run {info.name!r} moved to the trash ({record.folder})")
    return jsonify(trashed=record.to_dict())


@bp.post("/api/manage/restore")
def restore_run():
    """Move a trashed run back to where it was."""
    data = body()
    record_id = data.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, int):
        raise BadParameter(f"field 'id' must be an integer (a trash record's id), got {type(record_id).__name__}")
    record = store().trash_record(record_id)
    if record is None:
        raise tracker.RunNotFoundError(f"the trash holds no run with id {record_id}")
    trash.restore(logdir.path(), store(), record)
    logdir.index().refresh()
    say(f"run {record.run!r} restored from the trash")
    return jsonify(restored=record.to_dict())


@bp.delete("/api/manage/trash")
def empty_trash():
    """Remove every trashed run's directory for good: the one route that deletes files."""
    removed = trash.empty(store())
    say(f"trash emptied: {len(removed)} run(s) removed for good"
               + (f" ({', '.join(repr(r.run) for r in removed[:5])}{', ...' if len(removed) > 5 else ''})"
                  if removed else ""))
    return jsonify(removed=[record.to_dict() for record in removed])

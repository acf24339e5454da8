"""The `liteboard` command: `liteboard serve --logdir DIR [--host 127.0.0.1] [--port 6006] [--verbose] [--read-only] ...`.

`python -m dashboard ...` is the same command, and `serve` may be left out
(`python -m dashboard --logdir runs`). The terminal shows the URL, errors and
starting or stopping, not a line per request: every open page polls the API
every few seconds. Every failure to start is one line and exit code 2.

TensorBoard's own habits work too (`--logdir_spec`, `--bind_all`, `--path_prefix`,
`--window_title`, `--reload_interval`, `--version`), and its loader's flags are
accepted with a note, so a `tensorboard ...` line works with its first word changed.

A logdir may be a URL (`--logdir s3://bucket/prefix`, or one of --logdir_spec's): its runs
are fetched into a local cache of at most --cache_size; a bucket that cannot be used at
start is the one line and exit code 2.
"""

import argparse
import logging
import math
import os
import re
import sys
import threading
import urllib.parse
from importlib import metadata

import tracker
from dashboard import server, transfer
from tracker import object_storage

COMMANDS = ("serve", *transfer.COMMANDS)

# Flags that tune how TensorBoard's loader samples and reloads event files; liteboard reads
# every point from SQLite on each request, so they have nothing to change here.
TENSORBOARD_LOADER_FLAGS = ("samples_per_plugin", "load_fast", "reload_multifile", "reload_task",
                            "purge_orphaned_data", "max_reload_threads")


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line instead of the usage text and the error."""

    def error(self, message):
        self.exit(2, f"{self.prog}: {message}; see {self.prog} --help\n")


def port_number(text):
    """A TCP port, 0 (pick a free one) to 65535; an argparse type, so the error names --port."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number from 0 to 65535")
    return port


def seconds(text):
    """A number of seconds, 0 or more (0: pages load once and do not poll)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds, 0 or more")
    return value


def expanded(text):
    """A path with ~ and $VARIABLES expanded, as a shell would have before TensorBoard saw it
    (a URL's $VARIABLES only)."""
    if object_storage.is_url(text):
        return os.path.expandvars(text)
    return os.path.expandvars(os.path.expanduser(text))


_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def byte_size(text):
    """A number of bytes: `4GB`, `500MB`, `1.5GiB`, `1000000` (units of 1000, or 1024 with an i)."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*([A-Za-z]*)\s*", text)
    unit = match and _UNITS.get(match.group(2).lower())
    if not unit:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 4GB, 500MB or 1.5GiB")
    return int(float(match.group(1)) * unit)


def logdir_spec(text):
    """`name1:path1,name2:path2` as {name: path}; a run of path1 is shown as name1/<run>."""
    spec = {}
    for entry in text.split(","):
        name, colon, path = entry.partition(":")
        if not colon or not name or not path:
            raise argparse.ArgumentTypeError(f"{entry!r} is not name:path")
        if "/" in name or name in (".", ".."):
            raise argparse.ArgumentTypeError(f"name {name!r} of {entry!r} may not be '.', '..' or hold '/'")
        if name in spec:
            raise argparse.ArgumentTypeError(f"name {name!r} is given twice")
        spec[name] = expanded(path)
    return spec


def path_prefix(text):
    """`/a/b` from `a/b/`, `/a/b` or `a/b`; '' for the root. Only characters a URL path holds as they are."""
    prefix = "/" + text.strip("/") if text.strip("/") else ""
    if urllib.parse.quote(prefix, safe="/:@!$&'()*+,;=-._~") != prefix or "/../" in prefix + "/" \
            or "/./" in prefix + "/" or "//" in prefix:
        raise argparse.ArgumentTypeError(f"{text!r} is not a URL path such as /proxy/6006")
    return prefix


def version():
    try:
        return metadata.version("liteboard")
    except metadata.PackageNotFoundError:  # a checkout on sys.path, never installed
        return "unknown"


def add_serve_arguments(serve):
    """The serve flags: the CLI's, and the notebook magic's (dashboard.notebook)."""
    where = serve.add_mutually_exclusive_group()
    where.add_argument("--logdir", type=expanded, default="runs",
                       help="directory holding the runs, ~ and $VARS expanded (default: runs)")
    where.add_argument("--logdir_spec", type=logdir_spec, metavar="NAME:PATH,...",
                       help="several logdirs, each run shown as NAME/<run>")
    serve.add_argument("--cache_size", type=byte_size, default=None, metavar="SIZE",
                       help="local cache of runs served from URL logdirs (s3://...), least recently "
                            "used dropped first (default: 4GB)")
    host = serve.add_mutually_exclusive_group()
    host.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    host.add_argument("--bind_all", action="store_true",
                      help="serve on every network interface, so other machines can connect")
    serve.add_argument("--port", type=port_number, default=None,
                       help=f"port (default: {server.DEFAULT_PORT} or the next free one; 0 picks any free one)")
    serve.add_argument("--path_prefix", type=path_prefix, default="",
                       help="serve under this URL path, as behind a reverse proxy or JupyterHub (e.g. /proxy/6006)")
    serve.add_argument("--window_title", default=None, help="the browser tab's title (default: liteboard)")
    serve.add_argument("--reload_interval", type=seconds, default=None,
                       help="seconds between the pages' refreshes (default: 5; 0 loads once)")
    serve.add_argument("--verbose", "-v", action="store_true", help="also log every request")
    serve.add_argument("--read-only", action="store_true",
                       help="refuse every change (hiding, naming, labelling, trashing runs)")
    serve.add_argument("--version", action="version", version=f"liteboard {version()}")
    for flag in TENSORBOARD_LOADER_FLAGS:
        serve.add_argument(f"--{flag}", nargs="?", const="true", default=None, metavar="VALUE",
                           help="TensorBoard's loader setting, accepted; liteboard keeps every point")


def parser():
    top = Parser(prog="liteboard", description="A TensorBoard-style dashboard for liteboard runs.")
    top.add_argument("--version", action="version", version=f"liteboard {version()}")
    commands = top.add_subparsers(dest="command", required=True)
    add_serve_arguments(commands.add_parser("serve", help="serve the dashboard for a logdir"))
    transfer.add_parsers(commands)
    return top


def host_of(args):
    return server.ALL_INTERFACES if args.bind_all else args.host


def ignored_flags(args):
    """One line naming the TensorBoard loader flags given, or None."""
    given = [f"--{flag}" for flag in TENSORBOARD_LOADER_FLAGS if getattr(args, flag) is not None]
    if not given:
        return None
    return f"{', '.join(given)}: TensorBoard's loader settings, ignored; liteboard keeps every point anyway"


def logdir_problem(args):
    """Why the logdir(s) cannot be served (a file), else None; one that is missing is only noted.
    (The run index's first scan notes TensorBoard event files not imported yet.)"""
    for name, path in (args.logdir_spec or {"": args.logdir}).items():
        flag = f"--logdir_spec {name}" if name else "--logdir"
        if object_storage.is_url(path):
            try:
                object_storage.normalize(path)
            except ValueError as exc:
                return f"{flag}: {exc}".replace("log_dir '", "logdir '")
            continue  # its bucket is checked as the app is made
        if os.path.exists(path) and not os.path.isdir(path):
            return f"{flag} {path!r} is a file, not a directory"
        if not os.path.isdir(path):
            print(f"liteboard: {path!r} does not exist yet; runs appear as soon as they are written",
                  file=sys.stderr)
    return None


def make_app(args, **config):
    """The dashboard app for parsed serve arguments; `config` adds settings (the notebook's framing)."""
    from dashboard.app import create_app

    config = {"ALLOWED_HOSTS": server.allowed_hosts(host_of(args)), "PATH_PREFIX": args.path_prefix,
              "READ_ONLY": args.read_only, **config}
    if args.window_title is not None:
        config["WINDOW_TITLE"] = args.window_title
    if args.reload_interval is not None:
        config["REFRESH_SECONDS"] = args.reload_interval
    if args.cache_size is not None:
        config["CACHE_BYTES"] = args.cache_size
    return create_app(args.logdir_spec or args.logdir, config)


def after_ctrl_c(message, file=None):
    """Print `message` on a line of its own: a terminal has just echoed ^C where the cursor was."""
    file = file or sys.stdout
    print(("\n" if file.isatty() else "") + message, file=file, flush=True)


def start_first_scan(app):
    """Scan the logdir (in a thread) as the server starts, rather than when the first page asks:
    the first page of a big logdir comes sooner, and the terminal hears at once of TensorBoard
    files to import."""
    from dashboard.web import logdir

    def scan():
        with app.app_context():
            try:
                logdir.index()
            except Exception as exc:  # the first request meets it again, and answers with it
                print(f"liteboard: the first scan of the logdir failed ({type(exc).__name__}: {exc})",
                      file=sys.stderr, flush=True)

    threading.Thread(target=scan, name="liteboard-first-scan", daemon=True).start()


def serve(args):
    """Serve until Ctrl+C; print the URL once the socket is bound."""
    problem = logdir_problem(args)
    if problem:
        print(f"liteboard: {problem}", file=sys.stderr)
        return 2
    note = ignored_flags(args)
    if note:
        print(f"liteboard: {note}", file=sys.stderr)
    try:
        app = make_app(args)
    except (tracker.RemoteStorageError, ImportError) as exc:  # a bucket missing or refused, no s3fs
        print(f"liteboard: {exc}", file=sys.stderr)
        return 2
    host = host_of(args)
    try:
        sock = server.listen(host, args.port)
    except server.CannotListen as exc:
        print(f"liteboard: {exc}", file=sys.stderr)
        return 2
    httpd = server.make(app, sock, host)
    # werkzeug logs each request at INFO and each error at ERROR.
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.WARNING)
    print(f"liteboard: serving {app.config['LOGDIR']} at {server.url(app, httpd.socket, host)} "
          "(Ctrl+C to stop)", flush=True)
    start_first_scan(app)
    httpd.serve_forever()  # werkzeug's returns on Ctrl+C, with the socket closed
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "serve")
    args = parser().parse_args(argv)
    if args.command in transfer.COMMANDS:
        return transfer.run(args)
    try:
        status = serve(args)
    except KeyboardInterrupt:  # before the server was up; once it is, werkzeug catches it
        status = 0
    if status == 0:
        after_ctrl_c("liteboard: stopped")
    return status

"""The `liteboard` command: `liteboard serve --logdir DIR [--host 127.0.0.1] [--port 6006] [--verbose] [--read-only]`.

`python -m dashboard ...` is the same command, and `serve` may be left out
(`python -m dashboard --logdir runs`). The terminal shows the URL, errors and
starting or stopping, not a line per request: every open page polls the API
every few seconds. Every failure to start is one line and exit code 2.
"""

import argparse
import logging
import os
import socket
import sys

from dashboard import transfer
from tracker.interop import tb_files

COMMANDS = ("serve", *transfer.COMMANDS)


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


def parser():
    top = Parser(prog="liteboard", description="A TensorBoard-style dashboard for liteboard runs.")
    commands = top.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the dashboard for a logdir")
    serve.add_argument("--logdir", default="runs", help="directory holding the runs (default: runs)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=port_number, default=6006, help="port (default: 6006; 0 picks a free one)")
    serve.add_argument("--verbose", "-v", action="store_true", help="also log every request")
    serve.add_argument("--read-only", action="store_true",
                       help="refuse every change (hiding, naming, labelling, trashing runs)")
    transfer.add_parsers(commands)
    return top


def after_ctrl_c(message, file=None):
    """Print `message` on a line of its own: a terminal has just echoed ^C where the cursor was."""
    file = file or sys.stdout
    print(("\n" if file.isatty() else "") + message, file=file, flush=True)


def allowed_hosts(host):
    """The Host header names the server answers to when bound to `host` (the rest are DNS rebinding).

    Bound to every interface, the machine is reached by its own names too.
    """
    from dashboard.web.security import LOOPBACK_NAMES, host_name

    names = [*LOOPBACK_NAMES, host]
    if host in ("", "0.0.0.0", "::"):
        names += [socket.gethostname(), socket.getfqdn()]
    return tuple(dict.fromkeys(host_name(name) for name in names if name))


def serve(logdir, host, port, verbose=False, read_only=False):
    """Serve until Ctrl+C; print the URL once the socket is bound."""
    # Imported here, where main() catches Ctrl+C, rather than before it can.
    from werkzeug.serving import make_server

    from dashboard.app import create_app

    if os.path.exists(logdir) and not os.path.isdir(logdir):
        print(f"liteboard: --logdir {logdir!r} is a file, not a directory", file=sys.stderr)
        return 2
    if not os.path.isdir(logdir):
        print(f"liteboard: {logdir!r} does not exist yet; runs appear as soon as they are written",
              file=sys.stderr)
    tensorboard_dirs = tb_files.unimported_dirs(logdir)
    if tensorboard_dirs:
        print(f"liteboard: {tb_files.notice(logdir, tensorboard_dirs)}", file=sys.stderr)
    app = create_app(logdir, {"ALLOWED_HOSTS": allowed_hosts(host), "READ_ONLY": read_only})
    # Bind here rather than in werkzeug, which exits the process when the port is taken.
    try:
        sock = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as exc:
        reason = exc.__context__ or exc  # create_server re-raises bind's error with the address appended
        print(f"liteboard: cannot listen on {host}:{port}: {reason.strerror or reason}", file=sys.stderr)
        return 2
    with sock:
        server = make_server(host, port, app, threaded=True, fd=sock.fileno())
    # werkzeug logs each request at INFO and each error at ERROR.
    logging.getLogger("werkzeug").setLevel(logging.INFO if verbose else logging.WARNING)
    shown_host = f"[{host}]" if ":" in host else host
    print(f"liteboard: serving {app.config['LOGDIR']} at http://{shown_host}:{server.socket.getsockname()[1]}/ "
          "(Ctrl+C to stop)", flush=True)
    server.serve_forever()  # werkzeug's returns on Ctrl+C, with the socket closed
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "serve")
    args = parser().parse_args(argv)
    if args.command in transfer.COMMANDS:
        return transfer.run(args)
    try:
        status = serve(args.logdir, args.host, args.port, args.verbose, args.read_only)
    except KeyboardInterrupt:  # before the server was up; once it is, werkzeug catches it
        status = 0
    if status == 0:
        after_ctrl_c("liteboard: stopped")
    return status

"""The `liteboard` command: `liteboard serve --logdir DIR [--host 127.0.0.1] [--port 6006]`.

`python -m dashboard ...` is the same command, and `serve` may be left out
(`python -m dashboard --logdir runs`).
"""

import argparse
import os
import socket
import sys

COMMANDS = ("serve",)


def parser():
    top = argparse.ArgumentParser(prog="liteboard", description="A TensorBoard-style dashboard for liteboard runs.")
    commands = top.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the dashboard for a logdir")
    serve.add_argument("--logdir", default="runs", help="directory holding the runs (default: runs)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=6006, help="port (default: 6006; 0 picks a free one)")
    return top


def serve(logdir, host, port, out=sys.stdout):
    """Serve until interrupted; print the URL once the socket is bound."""
    from werkzeug.serving import make_server

    from dashboard.app import create_app

    if os.path.exists(logdir) and not os.path.isdir(logdir):
        print(f"liteboard: --logdir {logdir!r} is a file, not a directory", file=sys.stderr)
        return 2
    if not os.path.isdir(logdir):
        print(f"liteboard: {logdir!r} does not exist yet; runs appear as soon as they are written",
              file=sys.stderr)
    app = create_app(logdir)
    # Bind here rather than in werkzeug, which exits the process when the port is taken.
    try:
        sock = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    except OSError as exc:
        print(f"liteboard: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    with sock:
        server = make_server(host, port, app, threaded=True, fd=sock.fileno())
    shown_host = f"[{host}]" if ":" in host else host
    print(f"liteboard: serving {app.config['LOGDIR']} at http://{shown_host}:{server.socket.getsockname()[1]}/ "
          "(Ctrl+C to stop)", file=out, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "serve")
    args = parser().parse_args(argv)
    if args.command == "serve":
        return serve(args.logdir, args.host, args.port)
    return 2

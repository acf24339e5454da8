"""The dashboard's socket and WSGI server, shared by `liteboard serve` and the notebook magic.

The socket is bound here rather than in werkzeug, which exits the process when the port is
taken. Left to its default, the port is 6006 or, when that is taken, the next free one, as
TensorBoard does; a port asked for by name is that port or an error.
"""

import errno
import socket
import sys

DEFAULT_PORT = 6006
# How many ports from DEFAULT_PORT on are tried before giving up (TensorBoard tries 100).
PORT_ATTEMPTS = 100
ALL_INTERFACES = "0.0.0.0"


class CannotListen(Exception):
    """The server could not bind its socket; the message says which address and why."""


def allowed_hosts(host):
    """The Host header names the server answers to when bound to `host` (the rest are DNS rebinding).

    Bound to every interface, the machine is reached by its own names too.
    """
    from dashboard.web.security import LOOPBACK_NAMES, host_name

    names = [*LOOPBACK_NAMES, host]
    if host in ("", ALL_INTERFACES, "::"):
        names += [socket.gethostname(), socket.getfqdn()]
    return tuple(dict.fromkeys(host_name(name) for name in names if name))


def bind(host, port):
    """A socket listening on host:port; OSError as the OS says it."""
    return socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)


def listen(host, port=None, note=None):
    """A socket listening on `host` at `port`; port None is DEFAULT_PORT or the next free one.

    `note(text)` hears of each default port found taken (default: a line on stderr).
    """
    note = note or (lambda text: print(f"liteboard: {text}", file=sys.stderr, flush=True))
    scanning = port is None
    candidates = range(DEFAULT_PORT, min(DEFAULT_PORT + PORT_ATTEMPTS, 65536)) if scanning else (port,)
    for candidate in candidates:
        try:
            return bind(host, candidate)
        except OSError as exc:
            reason = exc.__context__ or exc  # create_server re-raises bind's error with the address appended
            if not (scanning and getattr(reason, "errno", None) == errno.EADDRINUSE):
                raise CannotListen(f"cannot listen on {host}:{candidate}: {reason.strerror or reason}") from None
            if candidate + 1 in candidates:
                note(f"port {candidate} is in use; trying {candidate + 1}")
    raise CannotListen(f"cannot listen on {host}: ports {candidates[0]} to {candidates[-1]} are all in use")


def url(app, sock, host):
    """The address to open: the bound port, under the app's --path_prefix."""
    port = sock.getsockname()[1]
    shown = socket.gethostname() if host in ("", ALL_INTERFACES, "::") else f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{app.config['PATH_PREFIX']}/"


def make(app, sock, host):
    """A threaded werkzeug server for `app` on the bound `sock` (closed here; the server holds its own)."""
    from werkzeug.serving import make_server

    with sock:
        return make_server(host, sock.getsockname()[1], app, threaded=True, fd=sock.fileno())

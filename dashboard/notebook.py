"""The notebook extension, as TensorBoard has one: `%load_ext dashboard` (or `%load_ext liteboard`),
then `%liteboard --logdir runs` in a cell.

The magic takes `liteboard serve`'s flags, starts the server in a background thread of the
kernel once, and shows the dashboard in an iframe in the cell's output; the same line again
reuses that server. `display(port=None, height=800)` shows a server again, `list()` names
them and `stop(port)` ends one. IPython is imported only here, when a notebook asks.
"""

import logging
import shlex
import threading
from dataclasses import dataclass, field

from dashboard import cli, server

# The pages may be framed by a notebook on this machine (Jupyter, JupyterLab, VS Code), no one else.
FRAME_ANCESTORS = ("'self' http://localhost:* http://127.0.0.1:* https://localhost:* https://127.0.0.1:* "
                   "vscode-webview:")
DEFAULT_HEIGHT = 800
# The flags that make two servers differ; the rest (a note, --verbose) do not start another.
SERVER_FLAGS = ("logdir", "logdir_spec", "host", "bind_all", "port", "path_prefix", "window_title", "reload_interval")


@dataclass
class Server:
    """A dashboard this kernel serves."""

    port: int
    logdir: str
    url: str
    key: tuple = field(repr=False)
    httpd: object = field(repr=False)
    thread: threading.Thread = field(repr=False)


_servers = []  # in the order they started


class MagicParser(cli.Parser):
    """The serve flags, with a bad one raised as IPython's UsageError rather than exiting the kernel."""

    def error(self, message):
        from IPython.core.error import UsageError

        raise UsageError(f"%liteboard: {message}")


def parse(line):
    magic = MagicParser(prog="%liteboard", description="Serve liteboard in the background and show it here.")
    cli.add_serve_arguments(magic)
    return magic.parse_args(shlex.split(line))


def key_of(args):
    return tuple(repr(getattr(args, flag)) for flag in SERVER_FLAGS)


def start(args):
    """The server for `args`: this kernel's one started with the same flags, else a new one."""
    from IPython.core.error import UsageError

    for running in _servers:
        if running.key == key_of(args):
            return running
    problem = cli.logdir_problem(args)
    if problem:
        raise UsageError(f"%liteboard: {problem}")
    note = cli.ignored_flags(args)
    if note:
        print(f"liteboard: {note}")
    host = cli.host_of(args)
    app = cli.make_app(args, FRAME_ANCESTORS=FRAME_ANCESTORS)
    try:
        sock = server.listen(host, args.port, note=lambda text: print(f"liteboard: {text}"))
    except server.CannotListen as exc:
        raise UsageError(f"%liteboard: {exc}") from None
    httpd = server.make(app, sock, host)
    # werkzeug would log each of the pages' polls into the cell's output.
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.WARNING)
    port = httpd.socket.getsockname()[1]
    thread = threading.Thread(target=httpd.serve_forever, name=f"liteboard:{port}", daemon=True)
    thread.start()
    cli.start_first_scan(app)
    running = Server(port, app.config["LOGDIR"], server.url(app, httpd.socket, host),
                     key_of(args), httpd, thread)
    _servers.append(running)
    return running


def liteboard_magic(line):
    """%liteboard [liteboard serve flags]: serve liteboard in the background and show it in this cell."""
    try:
        args = parse(line)
    except SystemExit:  # --version or --help printed its text
        return
    display(start(args).port)


def find(port):
    """This kernel's server on `port` (None: the latest started)."""
    for running in reversed(_servers):
        if port is None or running.port == port:
            return running
    ports = ", ".join(str(s.port) for s in _servers) or "none yet; start one with %liteboard --logdir DIR"
    wanted = "any port" if port is None else f"port {port}"
    raise ValueError(f"no liteboard server of this kernel is on {wanted} (running: {ports})")


def display(port=None, height=DEFAULT_HEIGHT):
    """Show the dashboard served on `port` (default: the latest started) in an iframe `height` pixels high."""
    from IPython import display as ipython_display

    if not (isinstance(height, int) and 0 < height <= 100_000):
        raise ValueError(f"height must be a number of pixels from 1 to 100000, got {height!r}")
    ipython_display.display(ipython_display.IFrame(find(port).url, width="100%", height=height))


def list():  # noqa: A001  (TensorBoard's name: tensorboard.notebook.list)
    """Print this kernel's servers, one a line, and return them."""
    if not _servers:
        print("No liteboard servers are running in this kernel.")
    for running in _servers:
        print(f"port {running.port}: logdir {running.logdir} at {running.url}")
    return [*_servers]


def stop(port=None):
    """End the server on `port` (default: the latest started)."""
    running = find(port)
    running.httpd.shutdown()
    running.httpd.server_close()
    running.thread.join(timeout=10)
    _servers.remove(running)


def load_ipython_extension(ipython):
    ipython.register_magic_function(liteboard_magic, magic_kind="line", magic_name="liteboard")


__all__ = ["display", "list", "load_ipython_extension", "stop"]

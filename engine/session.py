"""Session: keeps variable values and runs only the part of the graph that the fetches need.

The first `run` with a given (fetches, fed tensors) compiles a plan (`engine.plan`) and keeps
it; later runs with the same fetches and feeds reuse it. Values of a run live in the plan's
run; variables live in the Session; nothing is written onto the graph.
"""

import contextlib

from .graph import default_session, get_default_graph
from .plan import compile_plan


class SessionState:
    """What a Session keeps between runs: variable values and random generators, keyed by op."""

    def __init__(self):
        self.variables = {}
        self.generators = {}


class Session:
    """Runs a graph: `with Session() as sess: sess.run(fetches, feed_dict)`."""

    def __init__(self, target="", graph=None, config=None):
        self.graph = graph if graph is not None else get_default_graph()
        self._state = SessionState()
        self._plans = {}
        self._closed = False
        self._context = None

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Values of `fetches` (a tensor, op, name, or nested list/tuple/dict of them), in the
        same structure; ops give None. `feed_dict` maps tensors or names to values."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        feeds = {} if feed_dict is None else feed_dict
        try:
            # a flat list of fetches (the common case) keys as its items; None can't be a fetch
            key = (list, *fetches, None, *feeds) if type(fetches) is list else (fetches, *feeds)
            plan = self._plans.get(key)
        except TypeError:  # nested or dict fetches: key them by a hashable copy
            key = (_freeze(fetches), *feeds)
            plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = compile_plan(self.graph, self._state, fetches, feeds)
        return plan.run(feeds.values())

    def as_default(self):
        """Make this the default session inside the block (for `eval` and `run`); unlike
        `with Session()`, leaving the block does not close it."""
        return default_session(self)

    def close(self):
        self._closed = True
        self._state = SessionState()
        self._plans.clear()

    def __enter__(self):
        self._context = contextlib.ExitStack()
        self._context.enter_context(self.graph.as_default())
        self._context.enter_context(default_session(self))
        return self

    def __exit__(self, *exc):
        self._context.close()
        self.close()


class InteractiveSession(Session):
    """A Session that makes itself the default on creation, for notebooks and shells."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._default = default_session(self)
        self._default.__enter__()

    def close(self):
        default, self._default = self._default, None
        if default is not None:
            default.__exit__(None, None, None)
        super().close()


def _freeze(fetches):
    if isinstance(fetches, (list, tuple)):
        return (type(fetches), tuple(_freeze(f) for f in fetches))
    if isinstance(fetches, dict):
        return (type(fetches), tuple((k, _freeze(v)) for k, v in fetches.items()))
    return fetches

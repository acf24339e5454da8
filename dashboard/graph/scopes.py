"""A graph definition read as a tree of name scopes, the way TensorBoard groups it.

`GraphIndex` is built once per stored graph and then answers every view of it:
which scope holds a node, which nodes consume a tensor, which siblings fold
into a series (`add`, `add_1`, ... `add_9`), and which nodes stay out of the
main flow (constants and summary ops). It is plain data with no Flask import,
so the views and their tests need no server.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

# Ops that are drawn beside the flow rather than in it: a constant is shown as a
# small tag on the node that reads it, a summary op in its scope's side list.
CONST_OPS = frozenset({"Const"})
SUMMARY_OPS = frozenset({"ScalarSummary", "MergeSummary", "HistogramSummary", "TensorSummary",
                         "TensorSummaryV2", "ImageSummary", "AudioSummary", "TextSummary"})
# Where a dependency walk stops: the graph's inputs and its state.
SOURCE_OPS = frozenset({"Placeholder", "PlaceholderWithDefault", "Variable", "VariableV2",
                        "VarHandleOp"})

# Siblings named `base`, `base_1`, `base_2`... with the same op fold into one
# series node once there are this many of them (TensorBoard's default).
SERIES_MIN = 5
_SERIES_NAME = re.compile(r"^(.*?)(?:_(\d+))?$", re.S)


class GraphDefError(ValueError):
    """A stored graph definition does not follow the graph_def format; the message says where."""


def is_summary(op):
    return op in SUMMARY_OPS or op.endswith("Summary")


def is_aux(op):
    """Constants and summaries: shown beside the flow, never laid out in it."""
    return op in CONST_OPS or is_summary(op)


def is_control_sink(node, consumers):
    """An `init`-style NoOp: it only waits on control inputs and nothing reads it.

    TensorBoard draws these beside the graph with a small marker on each
    dependency instead of a dashed edge from every variable.
    """
    return (node.op == "NoOp" and not consumers
            and all(control for _, _, control in node.inputs))


def parse_input(text):
    """`"^init"` -> ("init", 0, True); `"w:1"` -> ("w", 1, False); `"x"` -> ("x", 0, False)."""
    control = text.startswith("^")
    if control:
        text = text[1:]
    name, sep, index = text.rpartition(":")
    if sep and index.isdigit():
        return name, int(index), control
    return text, 0, control


@dataclass
class Node:
    name: str
    op: str
    inputs: list          # [(producer, output index, is control)]
    attrs: dict
    dtype: object
    shape: object
    scope: str            # path of the scope box that holds the node ("" = root)
    raw_inputs: list      # the input strings as stored
    series: str = None    # id of the series the node folds into, if any


@dataclass
class Scope:
    path: str                                  # "" for the root, else "a/b"
    depth: int
    scopes: dict = field(default_factory=dict)  # child short name -> Scope
    nodes: list = field(default_factory=list)   # names of the nodes directly inside
    series: dict = field(default_factory=dict)  # series id -> Series, for the nodes directly inside
    op_counts: Counter = field(default_factory=Counter)  # every node below, by op
    size: int = 0                              # number of nodes below
    aux: bool = True                           # everything below is a constant, summary or control sink

    @property
    def label(self):
        return self.path.rsplit("/", 1)[-1] if self.path else "(root)"


@dataclass
class Series:
    id: str
    scope: str
    base: str
    op: str
    members: list          # node names in index order

    @property
    def label(self):
        return f"{self.base}[{len(self.members)}]"


def _scope_of(name, scope_paths):
    """A node lives in its name's prefix; a node named like a scope lives inside that scope."""
    if name in scope_paths:
        return name
    return name.rpartition("/")[0]


def _check_node(i, node):
    if not isinstance(node, dict):
        raise GraphDefError(f"graph_def node {i} is not an object")
    name, op = node.get("name"), node.get("op")
    if not isinstance(name, str) or not name:
        raise GraphDefError(f"graph_def node {i} has no name")
    if not isinstance(op, str) or not op:
        raise GraphDefError(f"graph_def node {name!r} has no op")
    inputs = node.get("inputs")
    inputs = [] if inputs is None else inputs
    if not isinstance(inputs, list) or not all(isinstance(s, str) and s for s in inputs):
        raise GraphDefError(f"graph_def node {name!r} has inputs that are not a list of names")
    attrs = node.get("attrs")
    attrs = {} if attrs is None else attrs
    if not isinstance(attrs, dict):
        raise GraphDefError(f"graph_def node {name!r} has attrs that are not an object")
    return name, op, inputs, attrs


class GraphIndex:
    """Nodes by name, who consumes what, and the scope tree with op counts and series."""

    def __init__(self, graph_def):
        if not isinstance(graph_def, dict) or not isinstance(graph_def.get("nodes"), list):
            raise GraphDefError("graph_def must be an object with a 'nodes' list")
        checked = [_check_node(i, node) for i, node in enumerate(graph_def["nodes"])]
        scope_paths = {}           # in order of first appearance, so boxes keep the graph's order
        for name, *_ in checked:
            parts = name.split("/")
            for k in range(1, len(parts)):
                scope_paths.setdefault("/".join(parts[:k]))

        self.nodes = {}
        for (name, op, inputs, attrs), raw in zip(checked, graph_def["nodes"]):
            if name in self.nodes:
                raise GraphDefError(f"graph_def has two nodes named {name!r}")
            self.nodes[name] = Node(
                name=name, op=op, inputs=[parse_input(s) for s in inputs], attrs=attrs,
                dtype=raw.get("dtype"), shape=raw.get("shape"),
                scope=_scope_of(name, scope_paths), raw_inputs=inputs)

        self.consumers = {name: [] for name in self.nodes}   # producer -> [(consumer, index, control)]
        self.missing_inputs = []                             # (consumer, producer) pairs
        for node in self.nodes.values():
            for producer, index, control in node.inputs:
                if producer in self.consumers:
                    self.consumers[producer].append((node.name, index, control))
                else:
                    self.missing_inputs.append((node.name, producer))

        self.root = Scope(path="", depth=0)
        self.scopes = {"": self.root}
        for path in sorted(scope_paths, key=lambda p: p.count("/")):
            parent, _, short = path.rpartition("/")
            scope = Scope(path=path, depth=path.count("/") + 1)
            self.scopes[parent].scopes[short] = scope
            self.scopes[path] = scope
        # Each scope's chain of enclosing scopes, computed once: every view walks them per node.
        self.chains = {path: self.chain(path) for path in self.scopes}
        for node in self.nodes.values():
            self.scopes[node.scope].nodes.append(node.name)
            aux = self.is_aux_node(node.name)
            for path in self.chains[node.scope]:
                self.scopes[path].op_counts[node.op] += 1
                self.scopes[path].size += 1
                self.scopes[path].aux &= aux
        self.series = {}                                     # series id -> Series
        for scope in self.scopes.values():
            self._fold_series(scope)

    @staticmethod
    def chain(scope_path):
        """The scope paths from the root down to `scope_path`, root ("") first."""
        if not scope_path:
            return [""]
        parts = scope_path.split("/")
        return [""] + ["/".join(parts[:k]) for k in range(1, len(parts) + 1)]

    def is_aux_node(self, name):
        """Drawn beside the flow: a constant, a summary op or an `init`-style control sink."""
        node = self.nodes[name]
        return is_aux(node.op) or is_control_sink(node, self.consumers[name])

    def _fold_series(self, scope):
        groups = {}
        for name in scope.nodes:
            node = self.nodes[name]
            if node.name in self.scopes or is_aux(node.op):
                continue
            base, number = _SERIES_NAME.match(name.rpartition("/")[2]).groups()
            groups.setdefault((base, node.op), []).append((int(number or 0), name))
        prefix = f"{scope.path}/" if scope.path else ""
        for (base, op), members in groups.items():
            if len(members) < SERIES_MIN:
                continue
            members.sort()
            series_id = f"{prefix}{base}_[{members[0][0]}-{members[-1][0]}]"
            if series_id in self.series or series_id in self.nodes:
                series_id = f"{series_id}({op})"
            series = Series(id=series_id, scope=scope.path, base=base, op=op,
                            members=[name for _, name in members])
            scope.series[series_id] = series
            self.series[series_id] = series
            for name in series.members:
                self.nodes[name].series = series_id

    def lineage(self, name):
        """Every node `name` depends on (data and control inputs), back to its placeholders and variables."""
        seen = {name}
        stack = [name]
        while stack:
            node = self.nodes[stack.pop()]
            if node.op in SOURCE_OPS and node.name != name:
                continue
            for producer, _, _ in node.inputs:
                if producer in self.nodes and producer not in seen:
                    seen.add(producer)
                    stack.append(producer)
        return seen

"""Random tensors, fresh each run and reproducible with a seed (TF1's graph- and op-level seeds).

With a graph seed (`set_random_seed`, alias `random.set_seed`) or an op seed, each Session
draws the same sequence; a new Session starts the sequence again, as in TF1.
"""

import collections

import numpy as np

from . import dtypes
from .extend import NOT_DIFFERENTIABLE, defop, make_op
from .array_ops import cast, convert_to_tensor, is_tensor_like, shape_argument
from .errors import InvalidArgumentError
from .graph import as_dims, get_default_graph, name_scope
from .math_ops import add, multiply

_DEFAULT_GRAPH_SEED = 87654321


def set_random_seed(seed):
    """Seed every random op made afterwards in the default graph."""
    get_default_graph().seed = None if seed is None else int(seed)


set_seed = set_random_seed


def _seeds(op_seed):
    """(graph seed, op seed) by TF1's rule; (None, None) means unseeded."""
    graph = get_default_graph()
    if graph.seed is not None:
        return graph.seed, len(graph.get_operations()) if op_seed is None else int(op_seed)
    if op_seed is not None:
        return _DEFAULT_GRAPH_SEED, int(op_seed)
    return None, None


def op_seeds(op_seed):
    """The (seed, seed2) attrs of a random op made now in the default graph, by TF1's rule."""
    return _seeds(op_seed)


def generator(op, state):
    """The random generator of `op` (attrs seed, seed2) in a Session: one per op per Session."""
    if op not in state.generators:
        attrs = op.attrs
        seeded = attrs["seed"] is not None
        state.generators[op] = np.random.default_rng([attrs["seed"], attrs["seed2"]] if seeded else None)
    return state.generators[op]


def _sampler(draw):
    """Compile hook: a function drawing from this op's generator."""
    def compile_random(op, state):
        attrs = op.attrs
        generator_ = generator(op, state)
        dtype = attrs["dtype"].numpy_dtype
        if op.inputs:  # the shape is a tensor, known when the graph runs
            return lambda shape: draw(generator_, {**attrs, "shape": tuple(shape)}).astype(dtype, copy=False)
        return lambda: draw(generator_, attrs).astype(dtype, copy=False)
    return compile_random


def _truncated(generator, shape):
    """Standard normal values, redrawn until within two standard deviations (TF's rule)."""
    values = generator.standard_normal(shape)
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = generator.standard_normal(outside.sum())
        outside = np.abs(values) > 2
    return values


_random = {"grads": NOT_DIFFERENTIABLE,
           "shape": lambda *shape, **attrs: attrs["shape"], "dtype": lambda *shape, **attrs: attrs["dtype"]}
defop("RandomStandardNormal", **_random, compile=_sampler(
    lambda gen, a: gen.standard_normal(a["shape"]) * a["stddev"] + a["mean"]))
defop("TruncatedNormal", **_random, compile=_sampler(
    lambda gen, a: _truncated(gen, a["shape"]) * a["stddev"] + a["mean"]))
defop("RandomUniform", **_random, compile=_sampler(
    lambda gen, a: gen.uniform(a["minval"], a["maxval"], a["shape"])))


def _random_op(op_type, shape, dtype, seed, name, **params):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(f"{op_type} makes floating-point values, not {dtype.name}")
    dynamic = []
    if is_tensor_like(shape) or isinstance(shape, (list, tuple)) and any(map(is_tensor_like, shape)):
        shape, dynamic = shape_argument(shape, "shape")  # e.g. tf.shape(x): known when the graph runs
    dims = as_dims(shape)
    if not dynamic and (dims is None or None in dims):
        raise ValueError(f"{op_type} needs a fully known shape (or a shape tensor), got {shape}")
    seed, seed2 = _seeds(seed)
    attrs = {"shape": dims, "dtype": dtype, "seed": seed, "seed2": seed2,
             **{k: float(v) for k, v in params.items()}}
    return make_op(op_type, dynamic, attrs=attrs, name=name)


def _scaled(op_type, shape, mean, stddev, dtype, seed, name):
    """`mean` and `stddev` as numbers go into the op; as tensors, they scale a standard draw
    (TF1 builds `name/mul` and `name` the same way)."""
    if not (is_tensor_like(mean) or is_tensor_like(stddev)):
        return _random_op(op_type, shape, dtype, seed, name, mean=mean, stddev=stddev)
    with name_scope(name) as scope:
        draw = _random_op(op_type, shape, dtype, seed, op_type, mean=0.0, stddev=1.0)
        return add(multiply(draw, stddev, name="mul"), mean, name=scope)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    return _scaled("RandomStandardNormal", shape, mean, stddev, dtype, seed, name or "random_normal")


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    return _scaled("TruncatedNormal", shape, mean, stddev, dtype, seed, name or "truncated_normal")


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=dtypes.float32, seed=None, name=None):
    return _random_op("RandomUniform", shape, dtype, seed, name or "random_uniform",
                      minval=minval, maxval=maxval)


normal, uniform = random_normal, random_uniform


# -- candidate samplers (for sampled losses: tf.nn.nce_loss, tf.nn.sampled_softmax_loss) ------

CandidateSampler = collections.namedtuple(
    "CandidateSampler", ["sampled_candidates", "true_expected_count", "sampled_expected_count"])


def _log_uniform(range_max):
    """(draw(generator, n) -> classes, p(classes)): Zipf-like, P(k) = log((k+2)/(k+1)) / log(range_max+1)."""
    log_range = np.log(range_max + 1.0)

    def draw(gen, n):
        return np.minimum(np.floor(np.exp(gen.random(n) * log_range)).astype(np.int64) - 1, range_max - 1)
    return draw, lambda k: np.log((k + 2.0) / (k + 1.0)) / log_range


def _uniform(range_max):
    return (lambda gen, n: gen.integers(0, range_max, n, dtype=np.int64)), lambda k: np.full(np.shape(k), 1.0 / range_max)


_DISTRIBUTIONS = {"LogUniformCandidateSampler": _log_uniform, "UniformCandidateSampler": _uniform}


def _compile_candidate_sampler(op, state):
    gen = generator(op, state)
    num_sampled, unique, range_max = op.attrs["num_sampled"], op.attrs["unique"], op.attrs["range_max"]
    draw, probability = _DISTRIBUTIONS[op.type](range_max)

    def sample(true_classes):
        if unique:  # draw until num_sampled distinct classes; the tries set the expected counts
            found, tries = {}, 0
            while len(found) < num_sampled:
                batch = draw(gen, num_sampled)
                for k in batch:
                    tries += 1
                    found.setdefault(int(k), None)
                    if len(found) == num_sampled:
                        break
            sampled = np.fromiter(found, np.int64, num_sampled)

            def expected(k):
                return -np.expm1(tries * np.log1p(-probability(k)))
        else:
            sampled = draw(gen, num_sampled)

            def expected(k):
                return probability(k) * num_sampled
        return (sampled, expected(true_classes).astype(np.float32), expected(sampled).astype(np.float32))
    return sample


for _sampler_type in _DISTRIBUTIONS:
    defop(_sampler_type, compile=_compile_candidate_sampler, grads=NOT_DIFFERENTIABLE)


def _candidate_sampler(op_type, true_classes, num_true, num_sampled, unique, range_max, seed, name):
    true_classes = convert_to_tensor(true_classes)
    if not true_classes.dtype.is_integer:
        raise TypeError(f"{op_type}: true_classes must be int64 class ids, got {true_classes.dtype.name}")
    true_classes = cast(true_classes, dtypes.int64)
    dims = true_classes._dims
    if dims is not None and (len(dims) != 2 or dims[1] not in (None, num_true)):
        raise ValueError(f"{op_type}: true_classes must be [batch_size, num_true={num_true}], "
                         f"got shape {true_classes.shape}")
    if unique and num_sampled > range_max:
        raise InvalidArgumentError(f"{op_type}: Sampler's range is too small: {num_sampled} unique "
                                   f"samples from range_max={range_max}")
    seed, seed2 = _seeds(seed)
    attrs = {"num_true": int(num_true), "num_sampled": int(num_sampled), "unique": bool(unique),
             "range_max": int(range_max), "seed": seed, "seed2": seed2}
    batch = None if dims is None else dims[0]
    op = true_classes.graph.create_op(op_type, [true_classes], attrs, name or op_type, [
        (dtypes.int64, (int(num_sampled),)), (dtypes.float32, (batch, int(num_true))),
        (dtypes.float32, (int(num_sampled),))])
    return CandidateSampler(*op.outputs)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """`num_sampled` classes drawn from [0, range_max) by a log-uniform (Zipfian) law, as for
    word ids sorted by frequency (without repeats if `unique`), and the expected count of each
    true and sampled class in such a draw."""
    return _candidate_sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                              range_max, seed, name)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """As `log_uniform_candidate_sampler`, every class equally likely."""
    return _candidate_sampler("UniformCandidateSampler", true_classes, num_true, num_sampled, unique,
                              range_max, seed, name)

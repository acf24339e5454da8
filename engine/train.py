"""Optimizers (`tf.train`): gradient descent, momentum and Adam, and the global step.

`minimize(loss)` = `compute_gradients` (one `gradients` op for all variables) then
`apply_gradients`, which adds one update op per variable (`ApplyGradientDescent`...) under the
optimizer's name scope. Updates change the variable's stored array in place.
"""

import numpy as np

from . import dtypes
from .array_ops import cast, convert_to_tensor, zeros
from .control_flow_ops import group
from .extend import defop, make_op
from .gradients import gradients
from .graph import GraphKeys, Tensor, get_default_graph
from .state_ops import Variable, assign_add, trainable_variables


def _apply_gradient_descent(var, lr, grad):
    var -= lr * grad
    return var


def _apply_momentum(var, accum, lr, grad, momentum, *, use_nesterov):
    accum *= momentum
    accum += grad
    if use_nesterov:
        var -= lr * grad + lr * momentum * accum
    else:
        var -= lr * accum
    return var


def _apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    lr_t = lr * np.sqrt(1 - beta2_power) / (1 - beta1_power)
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * np.square(grad)
    var -= lr_t * m / (np.sqrt(v) + epsilon)
    return var


# update ops: each changes its first input, a variable's array, in place and returns it
defop("ApplyGradientDescent", forward=_apply_gradient_descent, grads=None)
defop("ApplyMomentum", forward=_apply_momentum, grads=None)
defop("ApplyAdam", forward=_apply_adam, grads=None)


class Optimizer:
    """Base class: `minimize`, `compute_gradients`, `apply_gradients`; subclasses add `_apply`."""

    name = "Optimizer"

    def __init__(self, learning_rate, use_locking=False, name=None):
        self._learning_rate = learning_rate
        self._name = name or self.name

    def minimize(self, loss, global_step=None, var_list=None, name=None):
        """The op that takes one step downhill on `loss` (and adds 1 to `global_step`, if given)."""
        grads_and_vars = self.compute_gradients(loss, var_list=var_list)
        if not any(g is not None for g, _ in grads_and_vars):
            names = ", ".join(v.op.name for _, v in grads_and_vars)
            raise ValueError(f"No gradients provided for any variable: loss '{loss.name}' "
                             f"does not depend on {names}")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None):
        """[(gradient or None, variable)] for `var_list` (default: the trainable variables)."""
        loss = convert_to_tensor(loss)
        with loss.graph.as_default():
            var_list = trainable_variables() if var_list is None else list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, [v.value() for v in var_list])
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError("No gradients provided for any variable")
        graph = pairs[0][1].graph
        with graph.as_default(), graph.name_scope(name or self._name) as scope:
            self._scope, self._hyper = scope, {}
            updates = []
            for grad, var in pairs:
                with graph.name_scope("update_" + var.op.name.replace("/", "_")):
                    updates.append(self._apply(grad, var))
            finish = self._finish(updates)
            if global_step is None:
                return group(*finish, name=scope)
            one = convert_to_tensor(1, dtype=global_step.dtype, name="increment")
        with graph.as_default(), graph.control_dependencies(finish):
            return assign_add(global_step, one, name=scope).op

    def _finish(self, updates):
        return updates

    def _constant(self, key, value, dtype):
        """A hyperparameter as a tensor of the variable's dtype, one per name and dtype."""
        if (key, dtype) not in self._hyper:
            with get_default_graph().name_scope(self._scope):
                tensor = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype, name=key)
                self._hyper[key, dtype] = cast(tensor, dtype)
        return self._hyper[key, dtype]

    def _slot(self, var, slot_name):
        """A variable like `var`, zero-initialized, named `<var>/<slot_name>`."""
        graph = var.graph
        with graph.name_scope(var.op.name + "/"):
            return Variable(zeros(var.shape.as_list(), var.dtype), trainable=False, name=slot_name)


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * gradient."""

    name = "GradientDescent"

    def _apply(self, grad, var):
        lr = self._constant("learning_rate", self._learning_rate, var.dtype)
        return make_op("ApplyGradientDescent", [var._ref, lr, grad])


class MomentumOptimizer(Optimizer):
    """accum = momentum * accum + gradient; var -= learning_rate * accum (or Nesterov's step)."""

    name = "Momentum"

    def __init__(self, learning_rate, momentum, use_locking=False, name=None, use_nesterov=False):
        super().__init__(learning_rate, use_locking, name)
        self._momentum = momentum
        self._use_nesterov = bool(use_nesterov)

    def _apply(self, grad, var):
        accum = self._slot(var, "Momentum")
        lr = self._constant("learning_rate", self._learning_rate, var.dtype)
        momentum = self._constant("momentum", self._momentum, var.dtype)
        return make_op("ApplyMomentum", [var._ref, accum._ref, lr, grad, momentum],
                       {"use_nesterov": self._use_nesterov})


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba), with TF1's bias-corrected learning rate and epsilon outside the sqrt."""

    name = "Adam"

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, use_locking=False, name=None):
        super().__init__(learning_rate, use_locking, name)
        self._beta1, self._beta2, self._epsilon = beta1, beta2, epsilon
        self._powers = {}  # graph -> (beta1_power, beta2_power): one optimizer may serve several graphs

    def _apply(self, grad, var):
        graph = var.graph
        if graph not in self._powers:
            with graph.name_scope(None), graph.control_dependencies(None):
                self._powers[graph] = (
                    Variable(self._beta1, dtype=dtypes.float32, trainable=False, name="beta1_power"),
                    Variable(self._beta2, dtype=dtypes.float32, trainable=False, name="beta2_power"))
        m, v = self._slot(var, "Adam"), self._slot(var, "Adam_1")
        hyper = [self._constant(k, value, var.dtype) for k, value in
                 (("learning_rate", self._learning_rate), ("beta1", self._beta1),
                  ("beta2", self._beta2), ("epsilon", self._epsilon))]
        powers = [cast(p.value(), var.dtype) for p in self._powers[graph]]
        return make_op("ApplyAdam", [var._ref, m._ref, v._ref, *powers, *hyper, grad])

    def _finish(self, updates):
        graph = get_default_graph()  # apply_gradients runs this inside the variables' graph
        beta1_power, beta2_power = self._powers[graph]
        with graph.control_dependencies(updates):
            return updates + [beta1_power.assign(beta1_power * self._beta1, name="update_beta1_power"),
                              beta2_power.assign(beta2_power * self._beta2, name="update_beta2_power")]


def global_step(sess, global_step_tensor):
    """The global step's current value in `sess`, as a Python int (TF1's `tf.train.global_step`)."""
    return int(sess.run(global_step_tensor))


def get_global_step(graph=None):
    graph = graph or get_default_graph()
    steps = graph.get_collection(GraphKeys.GLOBAL_STEP)
    return steps[0] if steps else None


def get_or_create_global_step(graph=None):
    """The graph's `global_step` variable (int64, not trainable), made on first use."""
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    if step is None:
        with graph.as_default(), graph.name_scope(None), graph.control_dependencies(None):
            step = Variable(0, dtype=dtypes.int64, trainable=False, name="global_step",
                            collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])
    return step

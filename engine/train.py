"""Optimizers (`tf.train`): gradient descent, momentum, Adam, RMSProp, Adagrad, Adadelta and FTRL,
the global step, and (re-exported here, where TF1 users reach for them) the learning-rate
schedules and `ExponentialMovingAverage`.

`minimize(loss)` = `compute_gradients` (one backward pass for all variables) then
`apply_gradients`, which adds one update op per variable (`ApplyGradientDescent`...) under the
optimizer's name scope. Updates change the variable's stored array in place. An optimizer's
extra state per variable lives in slot variables named as TF1 names them (`w/Adam`,
`w/Adam_1`, `w/RMSProp`...), found again with `get_slot(var, name)`.
"""

import numpy as np

from . import dtypes
from .array_ops import cast, constant, convert_to_tensor, is_tensor_like
from .control_flow_ops import group
from .extend import defop, make_op
from .gradients import gradients
from .math_ops import maximum
from .graph import GraphKeys, Tensor, get_default_graph
from .learning_rate_decay import (cosine_decay, exponential_decay, inverse_time_decay,  # noqa: F401
                                  natural_exp_decay, piecewise_constant, polynomial_decay)
from .moving_averages import ExponentialMovingAverage  # noqa: F401
from .meta_graph import export_meta_graph  # noqa: F401 - tf.train's checkpoint names
from .saver import (CheckpointState, Saver, checkpoint_exists, get_checkpoint_state,  # noqa: F401
                    import_meta_graph, latest_checkpoint, list_variables, load_variable,
                    update_checkpoint_state)
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


def _apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad):
    ms += (np.square(grad) - ms) * (1 - rho)
    mom *= momentum
    mom += lr * grad / np.sqrt(ms + epsilon)
    var -= mom
    return var


def _apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    ms += (np.square(grad) - ms) * (1 - rho)
    mg += (grad - mg) * (1 - rho)
    mom *= momentum
    mom += lr * grad / np.sqrt(ms - np.square(mg) + epsilon)
    var -= mom
    return var


def _apply_adagrad(var, accum, lr, grad):
    accum += np.square(grad)
    var -= lr * grad / np.sqrt(accum)
    return var


def _apply_adadelta(var, accum, accum_update, lr, rho, epsilon, grad):
    accum *= rho
    accum += np.square(grad) * (1 - rho)
    update = np.sqrt(accum_update + epsilon) / np.sqrt(accum + epsilon) * grad
    accum_update *= rho
    accum_update += np.square(update) * (1 - rho)
    var -= update * lr
    return var


def _apply_ftrl(var, accum, linear, grad, lr, l1, l2, lr_power):
    return _apply_ftrl_v2(var, accum, linear, grad, lr, l1, l2, 0.0, lr_power)


def _apply_ftrl_v2(var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power):
    new_accum = accum + np.square(grad)
    sigma = (np.power(new_accum, -lr_power) - np.power(accum, -lr_power)) / lr
    linear += grad + 2 * l2_shrinkage * var - sigma * var
    quadratic = np.power(new_accum, -lr_power) / lr + 2 * l2
    var[...] = np.where(np.abs(linear) > l1, (np.sign(linear) * l1 - linear) / quadratic, 0.0)
    accum[...] = new_accum
    return var


# update ops: each changes its first input, a variable's array, in place (and its slots') and returns it
defop("ApplyGradientDescent", forward=_apply_gradient_descent, grads=None)
defop("ApplyMomentum", forward=_apply_momentum, grads=None)
defop("ApplyAdam", forward=_apply_adam, grads=None)
defop("ApplyRMSProp", forward=_apply_rms_prop, grads=None)
defop("ApplyCenteredRMSProp", forward=_apply_centered_rms_prop, grads=None)
defop("ApplyAdagrad", forward=_apply_adagrad, grads=None)
defop("ApplyAdadelta", forward=_apply_adadelta, grads=None)
defop("ApplyFtrl", forward=_apply_ftrl, grads=None)
defop("ApplyFtrlV2", forward=_apply_ftrl_v2, grads=None)


def _describe(value):
    """A variable or tensor as TF1's messages print it."""
    if isinstance(value, Variable):
        return f"<tf.Variable '{value.name}' shape={value.shape} dtype={value.dtype.name}_ref>"
    if isinstance(value, Tensor):
        return f'Tensor("{value.name}", shape={value.shape}, dtype={value.dtype.name})'
    return repr(value)


def _quoted_list(values):
    return "[" + ", ".join(f'"{_describe(v)}"' for v in values) + "]"


class Optimizer:
    """Base class: `minimize`, `compute_gradients`, `apply_gradients`, the slots; subclasses
    add `_apply(grad, var)` (and `_finish(updates)` for state shared by all variables)."""

    name = "Optimizer"
    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, learning_rate, use_locking=False, name=None):
        self._learning_rate = learning_rate
        self._name = name or self.name
        self._slots = {}  # slot name -> {variable: slot variable}

    def get_name(self):
        return self._name

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None, grad_loss=None):
        """The op that takes one step downhill on `loss` (and adds 1 to `global_step`, if given)."""
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        if not any(g is not None for g, _ in grads_and_vars):
            raise ValueError("No gradients provided for any variable, check your graph for ops that do "
                             "not support gradients, between variables "
                             f"{_quoted_list(v for _, v in grads_and_vars)} and loss {_describe(loss)}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        """[(gradient or None, variable)] for `var_list` (default: the trainable variables)."""
        loss = convert_to_tensor(loss)
        with loss.graph.as_default():
            var_list = trainable_variables() if var_list is None else list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            if not isinstance(v, (Variable, Tensor)):
                raise TypeError(f"var_list holds {v!r}, which is neither a Variable nor a Tensor")
        xs = [v.value() if isinstance(v, Variable) else v for v in var_list]
        grads = gradients(loss, xs, grad_ys=None if grad_loss is None else [grad_loss])
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """The op that applies each (gradient, variable) pair's update; pairs with None skip."""
        grads_and_vars = list(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        for g, v in grads_and_vars:
            if not isinstance(v, Variable):
                raise TypeError(f"apply_gradients updates variables; {_describe(v)} is not one")
        pairs = [(convert_to_tensor(g), v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError(f"No gradients provided for any variable: "
                             f"{_quoted_list(v for _, v in grads_and_vars)}.")
        graph = pairs[0][1].graph
        with graph.as_default(), graph.name_scope(name or self._name) as scope:
            self._scope, self._hyper = scope, {}
            self._prepare(graph)
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

    def _prepare(self, graph):
        """Called once per apply_gradients in the variables' graph, before any `_apply`."""

    def _finish(self, updates):
        return updates

    # -- slots ----------------------------------------------------------------------------
    def get_slot_names(self):
        """The names of the slots this optimizer keeps per variable, sorted (TF1's order)."""
        return sorted(self._slots)

    def get_slot(self, var, name):
        """The slot variable `name` kept for `var`, or None (TF1 returns None too)."""
        return self._slots.get(name, {}).get(var)

    def variables(self):
        """The variables this optimizer made in the default graph (slots and shared state), by name."""
        graph = get_default_graph()
        made = [v for slots in self._slots.values() for v in slots.values()] + self._non_slot_variables()
        return sorted((v for v in made if v.graph is graph), key=lambda v: v.name)

    def _non_slot_variables(self):
        return []

    def _slot(self, var, slot_name, initial=0.0, name=None):
        """The slot `slot_name` for `var`: a variable like it filled with `initial`, named
        `<var>/<name or optimizer name>` (made once; later calls return it)."""
        slots = self._slots.setdefault(slot_name, {})
        if var not in slots:
            graph = var.graph
            value = np.full(var.shape.as_list(), initial, var.dtype.numpy_dtype)
            # its initial value must not wait for the ops the update waits for (batch norm's)
            with graph.as_default(), graph.name_scope(var.op.name + "/"), graph.control_dependencies(None):
                slots[var] = Variable(constant(value, name="Initializer"), trainable=False,
                                      name=name or self._name)
        return slots[var]

    def _constant(self, key, value, dtype):
        """A hyperparameter as a tensor of the variable's dtype, one per name and dtype; a
        tensor (a schedule, a placeholder) or a callable giving one is taken as it is."""
        if (key, dtype) not in self._hyper:
            value = value() if callable(value) else value
            with get_default_graph().name_scope(self._scope):
                tensor = convert_to_tensor(value) if is_tensor_like(value) else \
                    convert_to_tensor(value, dtype, name=key)
                self._hyper[key, dtype] = cast(tensor, dtype)
        return self._hyper[key, dtype]

    def _hyperparameters(self, var, **values):
        return [self._constant(key, value, var.dtype) for key, value in values.items()]


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * gradient."""

    name = "GradientDescent"

    def _apply(self, grad, var):
        (lr,) = self._hyperparameters(var, learning_rate=self._learning_rate)
        return make_op("ApplyGradientDescent", [var._ref, lr, grad])


class MomentumOptimizer(Optimizer):
    """accum = momentum * accum + gradient; var -= learning_rate * accum (or Nesterov's step)."""

    name = "Momentum"

    def __init__(self, learning_rate, momentum, use_locking=False, name=None, use_nesterov=False):
        super().__init__(learning_rate, use_locking, name)
        self._momentum = momentum
        self._use_nesterov = bool(use_nesterov)

    def _apply(self, grad, var):
        accum = self._slot(var, "momentum")
        lr, momentum = self._hyperparameters(var, learning_rate=self._learning_rate, momentum=self._momentum)
        return make_op("ApplyMomentum", [var._ref, accum._ref, lr, grad, momentum],
                       {"use_nesterov": self._use_nesterov})


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba), with TF1's bias-corrected learning rate and epsilon outside the sqrt."""

    name = "Adam"

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, use_locking=False, name=None):
        super().__init__(learning_rate, use_locking, name)
        self._beta1, self._beta2, self._epsilon = beta1, beta2, epsilon
        self._powers = {}  # graph -> (beta1_power, beta2_power): one optimizer may serve several graphs

    def _prepare(self, graph):
        if graph not in self._powers:
            with graph.name_scope(None), graph.control_dependencies(None):
                self._powers[graph] = (
                    Variable(self._beta1, dtype=dtypes.float32, trainable=False, name="beta1_power"),
                    Variable(self._beta2, dtype=dtypes.float32, trainable=False, name="beta2_power"))

    def _non_slot_variables(self):
        return list(self._powers.get(get_default_graph(), ()))

    def _apply(self, grad, var):
        m, v = self._slot(var, "m"), self._slot(var, "v")
        hyper = self._hyperparameters(var, learning_rate=self._learning_rate, beta1=self._beta1,
                                      beta2=self._beta2, epsilon=self._epsilon)
        powers = [cast(p.value(), var.dtype) for p in self._powers[var.graph]]
        return make_op("ApplyAdam", [var._ref, m._ref, v._ref, *powers, *hyper, grad])

    def _finish(self, updates):
        graph = get_default_graph()  # apply_gradients runs this inside the variables' graph
        beta1_power, beta2_power = self._powers[graph]
        with graph.control_dependencies(updates):
            return updates + [beta1_power.assign(beta1_power * self._beta1, name="update_beta1_power"),
                              beta2_power.assign(beta2_power * self._beta2, name="update_beta2_power")]


class RMSPropOptimizer(Optimizer):
    """RMSProp as TF1 has it: ms = decay ms + (1 - decay) g^2 (starting at 1);
    mom = momentum mom + lr g / sqrt(ms + epsilon); var -= mom. `centered` also tracks the
    mean gradient mg and divides by sqrt(ms - mg^2 + epsilon)."""

    name = "RMSProp"

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name=None):
        super().__init__(learning_rate, use_locking, name)
        self._decay, self._momentum, self._epsilon = decay, momentum, epsilon
        self._centered = bool(centered)

    def _apply(self, grad, var):
        rms = self._slot(var, "rms", 1.0)
        mg = self._slot(var, "mg") if self._centered else None
        mom = self._slot(var, "momentum")
        hyper = self._hyperparameters(var, learning_rate=self._learning_rate, decay=self._decay,
                                      momentum=self._momentum, epsilon=self._epsilon)
        if self._centered:
            return make_op("ApplyCenteredRMSProp", [var._ref, mg._ref, rms._ref, mom._ref, *hyper, grad])
        return make_op("ApplyRMSProp", [var._ref, rms._ref, mom._ref, *hyper, grad])


class AdagradOptimizer(Optimizer):
    """accum += g^2; var -= lr g / sqrt(accum), accum starting at `initial_accumulator_value`."""

    name = "Adagrad"

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False, name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(learning_rate, use_locking, name)
        self._initial_accumulator_value = initial_accumulator_value

    def _apply(self, grad, var):
        accum = self._slot(var, "accumulator", self._initial_accumulator_value)
        (lr,) = self._hyperparameters(var, learning_rate=self._learning_rate)
        return make_op("ApplyAdagrad", [var._ref, accum._ref, lr, grad])


class AdadeltaOptimizer(Optimizer):
    """Adadelta (Zeiler): step = sqrt(accum_update + eps) / sqrt(accum + eps) g, with both
    accumulators decaying by `rho`; var -= lr step."""

    name = "Adadelta"

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False, name="Adadelta"):
        super().__init__(learning_rate, use_locking, name)
        self._rho, self._epsilon = rho, epsilon

    def _apply(self, grad, var):
        accum, accum_update = self._slot(var, "accum"), self._slot(var, "accum_update")
        hyper = self._hyperparameters(var, learning_rate=self._learning_rate, rho=self._rho,
                                      epsilon=self._epsilon)
        return make_op("ApplyAdadelta", [var._ref, accum._ref, accum_update._ref, *hyper, grad])


class FtrlOptimizer(Optimizer):
    """FTRL-Proximal (McMahan et al., 2013) as TF1 has it: per coordinate, accum += g^2 and
    linear += g - (accum_new^-p - accum^-p) / lr * var (p: `learning_rate_power`), then var is
    0 where |linear| <= l1, else (sign(linear) l1 - linear) / (accum_new^-p / lr + 2 l2).
    `l2_shrinkage_regularization_strength` adds 2 * it * var to the gradient in `linear`
    (TF1's ApplyFtrlV2); `beta` adds beta / (2 lr) to l2."""

    name = "Ftrl"

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False,
                 name="Ftrl", accum_name=None, linear_name=None, l2_shrinkage_regularization_strength=0.0,
                 beta=None):
        super().__init__(learning_rate, use_locking, name)
        for what, value in (("initial_accumulator_value", initial_accumulator_value),
                            ("l1_regularization_strength", l1_regularization_strength),
                            ("l2_regularization_strength", l2_regularization_strength),
                            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)):
            if value < 0.0:
                raise ValueError(f"{what} {value:f} needs to be positive or zero")
        if learning_rate_power > 0.0:
            raise ValueError(f"learning_rate_power {learning_rate_power:f} needs to be negative or zero")
        self._power, self._initial = learning_rate_power, initial_accumulator_value
        self._l1, self._l2 = l1_regularization_strength, l2_regularization_strength
        self._shrinkage, self._beta = l2_shrinkage_regularization_strength, beta or 0.0
        self._accum_name, self._linear_name = accum_name, linear_name

    def _apply(self, grad, var):
        accum = self._slot(var, "accum", self._initial, self._accum_name)
        linear = self._slot(var, "linear", 0.0, self._linear_name)
        lr, l1 = self._hyperparameters(var, learning_rate=self._learning_rate,
                                       l1_regularization_strength=self._l1)
        l2 = self._l2
        if self._beta:  # TF1 keeps the learning rate off zero here
            l2 = lambda: self._l2 + self._beta / (2.0 * maximum(lr, 1e-36))  # noqa: E731
        (l2,) = self._hyperparameters(var, adjusted_l2_regularization_strength=l2)
        (power,) = self._hyperparameters(var, learning_rate_power=self._power)
        if self._shrinkage:
            (shrinkage,) = self._hyperparameters(var, l2_shrinkage_regularization_strength=self._shrinkage)
            return make_op("ApplyFtrlV2", [var._ref, accum._ref, linear._ref, grad, lr, l1, l2, shrinkage, power])
        return make_op("ApplyFtrl", [var._ref, accum._ref, linear._ref, grad, lr, l1, l2, power])


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

"""The seed's equations in plain NumPy (float64): the yardstick every backend is checked against.

LSTM, gate order i, f, g, o, with z_t = x_t W + h_{t-1} U + b split into four blocks::

    i_t = σ(z_i)   f_t = σ(z_f)   g_t = tanh(z_g)   o_t = σ(z_o)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h_t = o_t ⊙ tanh(c_t)

GRU, gate order z, r, n (Keras's z, r, h), with the reset gate applied after the recurrent product
(``reset_after=True``, the default of both Keras 3 and PyTorch), so the recurrent term keeps its own
bias b_U::

    z_t = σ(x_t W_z + b_z + h_{t-1} U_z + b_U,z)   r_t = σ(x_t W_r + b_r + h_{t-1} U_r + b_U,r)
    n_t = tanh(x_t W_n + b_n + r_t ⊙ (h_{t-1} U_n + b_U,n))
    h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}

Plain RNN: s_t = tanh(x_t W + s_{t-1} U + b). All start from zero state.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from .family import GRU, LSTM, family as family_of
from .spec import ModelSpec
from .trace import LayerTrace, Trace
from .weights import Weights

# Probabilities are clipped to [PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR] in the loss, as Keras does.
PROBABILITY_FLOOR = 1e-7
# The three array operations the loss needs beyond arithmetic; a backend passes its framework's own
# (see per_example_loss), so the one definition below is the loss every backend computes.
NUMPY_OPS = SimpleNamespace(clip=np.clip, log=np.log,
                            pick=lambda outputs, y: outputs[np.arange(len(outputs)), np.asarray(y, dtype=np.int64)])


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def output_activation(z: np.ndarray, task: str) -> np.ndarray:
    if task == "binary":
        return sigmoid(z)
    if task == "multiclass":
        return softmax(z)
    return z


def per_example_loss(outputs, y, task: str, ops=NUMPY_OPS):
    """The training loss of each example, ``outputs`` (N, output_dim) and ``y`` (N,): binary cross-entropy
    on probabilities clipped to the floor, cross-entropy on the picked class's probability, or squared
    error. Written once in operators every framework's tensors share plus ``ops`` (clip, log, pick)."""
    if task == "binary":
        p = ops.clip(outputs[:, 0], PROBABILITY_FLOOR, 1 - PROBABILITY_FLOOR)
        return -(y * ops.log(p) + (1 - y) * ops.log(1 - p))
    if task == "multiclass":
        return -ops.log(ops.clip(ops.pick(outputs, y), PROBABILITY_FLOOR, 1.0))
    return (outputs[:, 0] - y) ** 2


def mean_loss(outputs: np.ndarray, y, task: str) -> float:
    """:func:`per_example_loss` averaged over the examples, in float64."""
    return float(np.mean(per_example_loss(np.asarray(outputs, dtype=np.float64), np.asarray(y), task)))


def loss(output: np.ndarray, y, task: str) -> float:
    """The training loss of one example, ``output`` being (output_dim,)."""
    return mean_loss(np.asarray(output)[None, :], np.asarray([y]), task)


def lstm_layer(x: np.ndarray, W, U, b, deltas=None, forget=None, silence=()) -> LayerTrace:
    steps, units = x.shape[0], U.shape[0]
    z_in = x @ W + b
    h = np.zeros(units)
    c = np.zeros(units)
    out = {name: np.zeros((steps, units)) for name in LSTM.quantities()}
    for t in range(steps):
        z = z_in[t] + h @ U
        i, f, g, o = (z[k * units:(k + 1) * units] for k in range(4))
        i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
        if forget is not None:
            f = np.full(units, float(forget))
        c = f * c + i * g
        h = o * np.tanh(c)
        if deltas is not None:
            h = h + deltas[t]
        h[list(silence)] = 0.0
        for name, value in zip(LSTM.quantities(), (h, c, i, f, g, o)):
            out[name][t] = value
    return LayerTrace(h=out["h"], c=out["c"], gates={name: out[name] for name in LSTM.gates})


def gru_layer(x: np.ndarray, W, U, b, b_U, deltas=None, silence=()) -> LayerTrace:
    steps, units = x.shape[0], U.shape[0]
    x_z, x_r, x_n = np.split(x @ W + b, 3, axis=1)
    h = np.zeros(units)
    out = {name: np.zeros((steps, units)) for name in GRU.quantities()}
    for t in range(steps):
        h_z, h_r, h_n = np.split(h @ U + b_U, 3)
        z = sigmoid(x_z[t] + h_z)
        r = sigmoid(x_r[t] + h_r)
        n = np.tanh(x_n[t] + r * h_n)
        h = (1 - z) * n + z * h
        if deltas is not None:
            h = h + deltas[t]
        h[list(silence)] = 0.0
        for name, value in zip(GRU.quantities(), (h, z, r, n)):
            out[name][t] = value
    return LayerTrace(h=out["h"], gates={name: out[name] for name in GRU.gates})


def rnn_layer(x: np.ndarray, W, U, b, deltas=None, silence=()) -> LayerTrace:
    steps, units = x.shape[0], U.shape[0]
    z_in = x @ W + b
    s = np.zeros(units)
    h = np.zeros((steps, units))
    for t in range(steps):
        s = np.tanh(z_in[t] + s @ U)
        if deltas is not None:
            s = s + deltas[t]
        s[list(silence)] = 0.0
        h[t] = s
    return LayerTrace(h=h)


EQUATIONS = {"lstm": lstm_layer, "gru": gru_layer, "rnn": rnn_layer}  # each family of zoo.family, one layer


def head(weights: Weights, spec: ModelSpec, h: np.ndarray) -> np.ndarray:
    """The Dense head applied to every step's top-layer state (dropout is inactive at inference)."""
    act = np.tanh if spec.activation == "tanh" else (lambda z: np.maximum(z, 0.0))
    a = h
    for k in range(len(spec.head)):
        a = act(a @ weights[f"head.{k}.W"].astype(np.float64) + weights[f"head.{k}.b"])
    return output_activation(a @ weights["output.W"].astype(np.float64) + weights["output.b"], spec.task)


def embed(weights: Weights, spec: ModelSpec, x) -> np.ndarray:
    if spec.input == "tokens":
        return weights["embedding"].astype(np.float64)[np.asarray(x, dtype=np.int64)]
    return np.asarray(x, dtype=np.float64).reshape(len(x), spec.n_features)


def forward(weights: Weights, spec: ModelSpec, family: str, x, deltas=None, intervention=None) -> Trace:
    """Trace one sequence. ``deltas[k]`` (T, H_k), if given, is added to layer k's h_t as it is made:
    the derivative of the loss with respect to it is ∂L/∂h_t. An ``intervention`` (zoo.intervention)
    clamps one layer's forget gate or silences some of its units at every step."""
    layer_fn = EQUATIONS[family]
    names = ("W", "U", "b", "b_U") if family_of(family).recurrent_bias else ("W", "U", "b")
    a = embed(weights, spec, x)
    layers = []
    for k in range(len(spec.recurrent)):
        params = (weights[f"recurrent.{k}.{name}"].astype(np.float64) for name in names)
        override = {}
        if intervention is not None and intervention.layer == k:
            override = {"silence": intervention.silence}
            if intervention.forget is not None:
                override["forget"] = intervention.forget
        layer = layer_fn(a, *params, deltas=None if deltas is None else deltas[k], **override)
        layers.append(layer)
        a = layer.h
    return Trace(backend=f"reference-{family}", layers=layers, readout=head(weights, spec, a))


def gradient_norms(weights: Weights, spec: ModelSpec, family: str, x, y, eps: float = 1e-6) -> np.ndarray:
    """‖∂L/∂h_t‖ per layer and step, (layers, T), by central finite differences. Exact enough to check
    any backend's automatic or hand-written backpropagation, and slow: for tiny models only."""
    steps = len(x)
    deltas = [np.zeros((steps, units)) for units in spec.recurrent]
    norms = np.zeros((len(spec.recurrent), steps))
    for k, d in enumerate(deltas):
        grad = np.zeros_like(d)
        for index in np.ndindex(*d.shape):
            d[index] = eps
            up = loss(forward(weights, spec, family, x, deltas).output, y, spec.task)
            d[index] = -eps
            down = loss(forward(weights, spec, family, x, deltas).output, y, spec.task)
            d[index] = 0.0
            grad[index] = (up - down) / (2 * eps)
        norms[k] = np.linalg.norm(grad, axis=1)
    return norms

"""The seed's equations in plain NumPy (float64): the yardstick every backend is checked against.

LSTM, gate order i, f, g, o, with z_t = x_t W + h_{t-1} U + b split into four blocks::

    i_t = σ(z_i)   f_t = σ(z_f)   g_t = tanh(z_g)   o_t = σ(z_o)
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
    h_t = o_t ⊙ tanh(c_t)

Plain RNN: s_t = tanh(x_t W + s_{t-1} U + b). Both start from zero state.
"""
from __future__ import annotations

import numpy as np

from .spec import ModelSpec
from .trace import GATES, LayerTrace, Trace
from .weights import Weights

FAMILY_GATES = {"lstm": 4, "rnn": 1}


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


def mean_loss(outputs: np.ndarray, y, task: str) -> float:
    """The training loss, averaged over examples: binary cross-entropy on probabilities clipped to
    [1e-7, 1 - 1e-7] (as Keras does), cross-entropy, or squared error. ``outputs`` is (N, output_dim)."""
    outputs = np.asarray(outputs, dtype=np.float64)
    y = np.asarray(y)
    if task == "binary":
        p = np.clip(outputs[:, 0], 1e-7, 1 - 1e-7)
        return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
    if task == "multiclass":
        picked = outputs[np.arange(len(outputs)), y.astype(np.int64)]
        return float(np.mean(-np.log(np.maximum(picked, 1e-7))))
    return float(np.mean((outputs[:, 0] - y) ** 2))


def loss(output: np.ndarray, y, task: str) -> float:
    """The training loss of one example, ``output`` being (output_dim,)."""
    return mean_loss(np.asarray(output)[None, :], np.asarray([y]), task)


def lstm_layer(x: np.ndarray, W, U, b, deltas=None) -> LayerTrace:
    steps, units = x.shape[0], U.shape[0]
    z_in = x @ W + b
    h = np.zeros(units)
    c = np.zeros(units)
    out = {name: np.zeros((steps, units)) for name in ("h", "c", *GATES)}
    for t in range(steps):
        z = z_in[t] + h @ U
        i, f, g, o = (z[k * units:(k + 1) * units] for k in range(4))
        i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
        c = f * c + i * g
        h = o * np.tanh(c)
        if deltas is not None:
            h = h + deltas[t]
        for name, value in zip(("h", "c", *GATES), (h, c, i, f, g, o)):
            out[name][t] = value
    return LayerTrace(h=out["h"], c=out["c"], gates={name: out[name] for name in GATES})


def rnn_layer(x: np.ndarray, W, U, b, deltas=None) -> LayerTrace:
    steps, units = x.shape[0], U.shape[0]
    z_in = x @ W + b
    s = np.zeros(units)
    h = np.zeros((steps, units))
    for t in range(steps):
        s = np.tanh(z_in[t] + s @ U)
        if deltas is not None:
            s = s + deltas[t]
        h[t] = s
    return LayerTrace(h=h)


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


def forward(weights: Weights, spec: ModelSpec, family: str, x, deltas=None) -> Trace:
    """Trace one sequence. ``deltas[k]`` (T, H_k), if given, is added to layer k's h_t as it is made:
    the derivative of the loss with respect to it is ∂L/∂h_t."""
    layer_fn = {"lstm": lstm_layer, "rnn": rnn_layer}[family]
    a = embed(weights, spec, x)
    layers = []
    for k in range(len(spec.recurrent)):
        W, U, b = (weights[f"recurrent.{k}.{p}"].astype(np.float64) for p in "WUb")
        layer = layer_fn(a, W, U, b, None if deltas is None else deltas[k])
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

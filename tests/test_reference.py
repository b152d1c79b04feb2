"""The NumPy reference against numbers worked out by hand from the seed's equations."""
import math

import numpy as np
import pytest

from zoo import reference
from zoo.spec import ModelSpec


def sig(z):
    return 1 / (1 + math.exp(-z))


def one_unit_lstm(W, U, b, xs):
    """The seed's equations for a single unit, written out scalar by scalar."""
    h = c = 0.0
    rows = []
    for x in xs:
        z = [x * W[k] + h * U[k] + b[k] for k in range(4)]
        i, f, g, o = sig(z[0]), sig(z[1]), math.tanh(z[2]), sig(z[3])
        c = f * c + i * g
        h = o * math.tanh(c)
        rows.append((h, c, i, f, g, o))
    return rows


def test_lstm_layer_follows_the_seed_equations():
    W = np.array([[0.5, -0.5, 1.0, 0.25]])
    U = np.array([[0.1, 0.2, -0.3, 0.4]])
    b = np.array([0.0, 1.0, -0.2, 0.1])
    xs = [1.0, 2.0, -1.5]
    layer = reference.lstm_layer(np.array(xs)[:, None], W, U, b)
    for t, (h, c, i, f, g, o) in enumerate(one_unit_lstm(W[0], U[0], b, xs)):
        assert layer.h[t, 0] == pytest.approx(h, abs=1e-12)
        assert layer.c[t, 0] == pytest.approx(c, abs=1e-12)
        for name, value in zip("ifgo", (i, f, g, o)):
            assert layer.gates[name][t, 0] == pytest.approx(value, abs=1e-12)


def test_an_open_forget_gate_and_a_closed_input_gate_keep_the_cell_state():
    """Channel 1 opens the input gate at step 0 only; forget bias +20 keeps what was written there
    through 99 later steps of noise."""
    W = np.array([[0.0, 0.0, 1.0, 0.0],    # value channel feeds the candidate g
                  [40.0, 0.0, 0.0, 0.0]])  # write flag opens the input gate
    U = np.zeros((1, 4))
    b = np.array([-20.0, 20.0, 0.0, 0.0])
    x = np.random.default_rng(0).normal(size=(100, 2))
    x[:, 1] = 0.0
    x[0] = [0.8, 1.0]
    layer = reference.lstm_layer(x, W, U, b)
    assert layer.c[0, 0] == pytest.approx(sig(20.0) * math.tanh(0.8), rel=1e-9)
    assert layer.c[-1, 0] == pytest.approx(layer.c[0, 0], rel=1e-6)
    assert layer.gates["i"][1:].max() < 1e-8 and layer.gates["f"].min() > 1 - 1e-8


def test_rnn_layer_is_tanh_of_input_plus_previous_state():
    W, U, b = np.array([[0.7]]), np.array([[-0.4]]), np.array([0.1])
    s, expected = 0.0, []
    for x in (1.0, 0.5, -2.0):
        s = math.tanh(0.7 * x - 0.4 * s + 0.1)
        expected.append(s)
    layer = reference.rnn_layer(np.array([[1.0], [0.5], [-2.0]]), W, U, b)
    np.testing.assert_allclose(layer.h[:, 0], expected, atol=1e-12)
    assert layer.c is None and layer.gates == {}


def test_gradient_norms_match_the_chain_rule_on_a_one_unit_rnn():
    spec = ModelSpec(input="features", n_features=1, recurrent=(1,), head=(), task="regression", dropout=0.0)
    weights = {"recurrent.0.W": np.array([[0.9]]), "recurrent.0.U": np.array([[0.5]]),
               "recurrent.0.b": np.array([0.2]), "output.W": np.array([[1.5]]), "output.b": np.array([-0.1])}
    x, y = np.array([[1.0], [-0.5]]), 0.3
    s1 = math.tanh(0.9 * 1.0 + 0.2)
    s2 = math.tanh(0.9 * -0.5 + 0.5 * s1 + 0.2)
    d2 = 2 * (1.5 * s2 - 0.1 - y) * 1.5
    d1 = d2 * (1 - s2**2) * 0.5
    norms = reference.gradient_norms(weights, spec, "rnn", x, y)
    np.testing.assert_allclose(norms[0], [abs(d1), abs(d2)], rtol=1e-6)


def test_readout_applies_the_head_at_every_step():
    spec = ModelSpec(input="features", n_features=1, recurrent=(2,), head=(3,), activation="relu")
    rng = np.random.default_rng(0)
    weights = {"recurrent.0.W": rng.normal(size=(1, 8)), "recurrent.0.U": rng.normal(size=(2, 8)),
               "recurrent.0.b": rng.normal(size=8), "head.0.W": rng.normal(size=(2, 3)),
               "head.0.b": rng.normal(size=3), "output.W": rng.normal(size=(3, 1)), "output.b": rng.normal(size=1)}
    x = rng.normal(size=(4, 1))
    trace = reference.forward(weights, spec, "lstm", x)
    for t in range(4):
        shorter = reference.forward(weights, spec, "lstm", x[: t + 1])
        assert trace.readout[t] == pytest.approx(shorter.output)
    hidden = np.maximum(trace.layers[0].h @ weights["head.0.W"] + weights["head.0.b"], 0)
    np.testing.assert_allclose(trace.readout[:, 0], reference.sigmoid(hidden @ weights["output.W"] + weights["output.b"])[:, 0])


@pytest.mark.parametrize("task, outputs, y, expected", [
    ("binary", [[0.8], [0.1]], [1, 0], (-math.log(0.8) - math.log(0.9)) / 2),
    ("multiclass", [[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]], [1, 0], (-math.log(0.5) - math.log(0.6)) / 2),
    ("regression", [[1.0], [3.0]], [0.0, 1.0], (1.0 + 4.0) / 2),
])
def test_mean_loss(task, outputs, y, expected):
    assert reference.mean_loss(np.array(outputs), np.array(y), task) == pytest.approx(expected)

"""The GRU family in the core: the reference equations, the layout with a recurrent bias, the trace."""
import dataclasses
import math

import numpy as np
import pytest

from zoo import reference
from zoo.spec import ModelSpec
from zoo.trace import LayerTrace, Trace
from zoo.errors import WeightsError
from zoo.family import GRU
from zoo.weights import canonical_shapes, check_weights, init_weights, random_weights

from conftest import require_module

SPEC = ModelSpec(input="features", n_features=2, recurrent=(3, 2), head=(4,), task="regression")


def sig(z):
    return 1 / (1 + math.exp(-z))


def test_gru_layer_follows_the_equations_unit_by_unit():
    """One unit, gate blocks z, r, n; the reset gate scales the recurrent term with its bias."""
    W = np.array([[0.5, -0.7, 1.2]])
    U = np.array([[0.3, 0.8, -0.6]])
    b, b_U = np.array([0.1, -0.2, 0.05]), np.array([-0.3, 0.4, 0.25])
    xs = [1.0, -2.0, 0.5]
    layer = reference.gru_layer(np.array(xs)[:, None], W, U, b, b_U)
    h = 0.0
    for t, x in enumerate(xs):
        z = sig(x * W[0, 0] + b[0] + h * U[0, 0] + b_U[0])
        r = sig(x * W[0, 1] + b[1] + h * U[0, 1] + b_U[1])
        n = math.tanh(x * W[0, 2] + b[2] + r * (h * U[0, 2] + b_U[2]))
        h = (1 - z) * n + z * h
        for name, value in (("z", z), ("r", r), ("n", n)):
            assert layer.gates[name][t, 0] == pytest.approx(value, abs=1e-12)
        assert layer.h[t, 0] == pytest.approx(h, abs=1e-12)
    assert layer.c is None and list(layer.gates) == ["z", "r", "n"]


def test_gru_reference_equals_keras_gru_given_the_canonical_weights_as_they_are():
    """Keras stores the gates in the canonical order z, r, h and the two biases as bias[0], bias[1]."""
    keras = require_module("keras", "pip install 'rnn-zoo[tensorflow]'")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(9, 3))
    W, U = rng.normal(size=(3, 12)) * 0.5, rng.normal(size=(4, 12)) * 0.5
    b, b_U = rng.normal(size=12) * 0.5, rng.normal(size=12) * 0.5
    layer = keras.layers.GRU(4, return_sequences=True)  # reset_after=True is Keras 3's default
    layer.build((1, 9, 3))
    layer.set_weights([a.astype(np.float32) for a in (W, U, np.stack([b, b_U]))])
    got = np.asarray(layer(x[None].astype(np.float32)))[0]
    np.testing.assert_allclose(got, reference.gru_layer(x, W, U, b, b_U).h, atol=1e-6)


def test_a_recurrent_bias_adds_b_U_after_each_layers_b_and_nothing_else():
    plain = canonical_shapes(SPEC, dataclasses.replace(GRU, recurrent_bias=False))
    with_bias = canonical_shapes(SPEC, GRU)
    assert {name: shape for name, shape in with_bias.items() if not name.endswith(".b_U")} == plain
    assert with_bias["recurrent.0.b_U"] == (9,) and with_bias["recurrent.1.b_U"] == (6,)
    names = list(with_bias)
    assert names[names.index("recurrent.0.b") + 1] == "recurrent.0.b_U"


def test_gru_initial_weights_have_zero_biases_and_are_checked_with_b_U():
    weights = init_weights(SPEC, 0, GRU)
    assert not weights["recurrent.0.b"].any() and not weights["recurrent.0.b_U"].any()
    check_weights(weights, SPEC, GRU)
    with pytest.raises(WeightsError, match="unexpected.*b_U"):
        check_weights(weights, SPEC, dataclasses.replace(GRU, recurrent_bias=False))
    del weights["recurrent.1.b_U"]
    with pytest.raises(WeightsError, match="missing.*recurrent.1.b_U"):
        check_weights(weights, SPEC, GRU)


def test_forward_reads_b_U_for_a_gru():
    weights = random_weights(SPEC, 1, GRU)
    x = np.random.default_rng(1).normal(size=(5, 2))
    trace = reference.forward(weights, SPEC, "gru", x)
    moved = dict(weights, **{"recurrent.0.b_U": weights["recurrent.0.b_U"] + 0.5})
    assert not np.allclose(reference.forward(moved, SPEC, "gru", x).readout, trace.readout)
    assert [sorted(layer.quantities()) for layer in trace.layers] == [["h", "n", "r", "z"]] * 2


def test_gru_traces_keep_their_gates_through_npz(tmp_path):
    h, z = np.zeros((3, 2), np.float32), np.ones((3, 2), np.float32)
    trace = Trace("torch-gru", [LayerTrace(h=h, gates={"z": z, "r": z * 0.5, "n": z * -1})], np.zeros((3, 1), np.float32))
    trace.save_npz(tmp_path / "gru.npz")
    loaded = Trace.load_npz(tmp_path / "gru.npz")
    assert loaded.layers[0].c is None and list(loaded.layers[0].gates) == ["z", "r", "n"]
    np.testing.assert_array_equal(loaded.layers[0].gates["r"], z * 0.5)

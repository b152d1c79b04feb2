"""The family table: one place says what an LSTM, a GRU and a plain RNN hold, and every part reads it."""
import numpy as np
import pytest

import zoo
from zoo import reference
from zoo.family import FAMILIES, family
from zoo.plugins import registered_plugin, registry
from zoo.spec import ModelSpec
from zoo.weights import canonical_shapes, random_weights

SPEC = ModelSpec(vocab_size=9, embedding_dim=3, recurrent=(4, 2), head=(3,))


@pytest.mark.parametrize("name", FAMILIES)
def test_the_reference_traces_exactly_the_quantities_the_table_names(name):
    layout = family(name)
    trace = reference.forward(random_weights(SPEC, 0, layout), SPEC, name, np.array([1, 5, 2]))
    for layer in trace.layers:
        assert tuple(layer.quantities()) == layout.quantities()
        for gate in layout.gates:  # sigmoid gates in 0..1, the tanh candidates in -1..1
            low = -1 if layout.activation(gate) == "tanh" else 0
            assert low <= layer.gates[gate].min() and layer.gates[gate].max() <= 1, gate


@pytest.mark.parametrize("name", FAMILIES)
def test_the_weight_blocks_and_second_bias_follow_the_table(name):
    layout = family(name)
    shapes = canonical_shapes(SPEC, layout)
    assert shapes["recurrent.0.U"] == (4, layout.blocks * 4)
    assert ("recurrent.1.b_U" in shapes) == layout.recurrent_bias
    assert layout.blocks == max(1, len(layout.gates))
    assert layout.memory_gate is None or layout.memory_gate in layout.gates
    assert layout.forget_gate is None or layout.forget_gate in layout.gates
    assert set(layout.signed) <= set(layout.gates) and set(layout.gate_names) == set(layout.gates)


def test_the_forget_bias_goes_to_the_forget_gate_block_only():
    from zoo.weights import init_weights

    weights = init_weights(SPEC, 0, family("lstm"), forget_bias=3.0)
    b = weights["recurrent.0.b"].reshape(4, 4)  # blocks i, f, g, o of 4 units
    assert (b[1] == 3.0).all() and not b[[0, 2, 3]].any()
    assert not init_weights(SPEC, 0, family("gru"), forget_bias=3.0)["recurrent.0.b"].any()


def test_every_installed_backend_takes_its_layout_from_the_table():
    for entry in registry().available_backends():
        model = registry().create(entry.name, SPEC)
        assert model.layout is FAMILIES[entry.info.family]


def test_an_unknown_family_is_named_with_the_ones_there_are():
    with pytest.raises(zoo.BackendUnavailable, match="no recurrent family 'lru'.*lstm, gru, rnn"):
        family("lru")


class UnknownFamilyPlugin:
    @zoo.hookimpl
    def register_backends(self, register):
        register(zoo.BackendInfo(name="lru-net", family="lru", framework="NumPy",
                                 factory="zoo_rnn.model:NumpyRNN", module="numpy"))


def test_a_backend_of_a_family_the_table_lacks_is_an_error_row_and_the_rest_still_work():
    with registered_plugin(UnknownFamilyPlugin(), "unknown-family") as reg:
        (row,) = [e for e in reg.backends if e.name == "lru-net"]
        assert row.status == "error" and "family 'lru' is not one of zoo.family's" in row.reason
        assert reg.backend("numpy-rnn").status == "available"
    assert all(e.name != "lru-net" for e in registry().backends)  # gone when the block ends

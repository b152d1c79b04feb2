"""Weights trained in one framework run unchanged in the other: the canonical layout is the contract."""
import numpy as np
import pytest

from zoo.sequences import SequenceData
from zoo.testing import TOKEN_SPEC, build, sample_inputs

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.mark.parametrize("source, target", [("keras-lstm", "torch-lstm"), ("torch-lstm", "keras-lstm")])
def test_trained_weights_move_between_lstm_backends(source, target):
    spec = TOKEN_SPEC
    x = sample_inputs(spec, 64, 6)
    data = SequenceData(x, (x[:, 0] > 6).astype(np.float32))
    trained = build(source, spec)
    trained.fit(data, epochs=3, batch_size=16, lr=0.01)
    moved = build(target, spec)
    moved.set_weights(trained.get_weights())
    np.testing.assert_allclose(moved.predict(x), trained.predict(x), atol=1e-5)
    a, b = trained.trace(x[0]), moved.trace(x[0])
    for la, lb in zip(a.layers, b.layers):
        for name, value in la.quantities().items():
            np.testing.assert_allclose(lb.quantities()[name], value, atol=1e-5, err_msg=name)

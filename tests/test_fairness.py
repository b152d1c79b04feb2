"""The lab's fairness, measured: from the same canonical weights and the same batches, a backend's
optimiser steps (Adam with ADAM_BETAS / ADAM_EPSILON, gradient clipping by global norm) give the
weights an independent computation gives, and so the same weights in every backend of a family.

The independent computation knows nothing of any backend: the gradient of the NumPy reference's mean
loss (zoo.reference, float64) by central finite differences, then Adam and clipping written out here
from their textbook definitions (Kingma & Ba 2015; Pascanu et al. 2013).

Through the public API only: ``fit`` with ``epochs=1`` and ``batch_size = n / 2`` runs exactly two
optimiser steps, on the two batches zoo.backend.batch_order deals for that seed. Two, not one: Adam's
first step is lr·g/(|g| + ε) ≈ lr·sign(g), blind to any rescaling of g such as clipping; the second
mixes two gradients of different norms, so clipping shows in it. A backend that skips the clipping,
clips per tensor, uses other Adam constants or another batch order does not match.
"""
from __future__ import annotations

import numpy as np
import pytest

from zoo import reference
from zoo.backend import ADAM_BETAS, ADAM_EPSILON, SequenceData, batch_order
from zoo.plugins import registry
from zoo.spec import ModelSpec
from zoo.weights import random_weights

from conftest import missing

SPEC = ModelSpec(input="tokens", vocab_size=7, embedding_dim=3, recurrent=(4,), head=(3,), dropout=0.0)
FAMILIES = {"keras-lstm": "lstm", "torch-lstm": "lstm", "torch-gru": "gru", "numpy-rnn": "rnn"}
N, BATCH, LR, SEED = 8, 4, 0.05, 3
CLIP = 0.01  # below every batch gradient's norm here (asserted), so clipping is active in both steps
FD_EPS = 1e-6
# float32 training against float64 maths: two Adam steps of lr 0.05 agree to about 2e-6 here (clipping
# moves the weights by 5e-3 or more, over a thousand times that)
WEIGHT_TOLERANCE = 5e-6


def batch() -> SequenceData:
    rng = np.random.default_rng(11)
    lengths = rng.integers(3, 6, size=N)
    x = rng.integers(1, SPEC.vocab_size, size=(N, 5))
    x[np.arange(5)[None, :] >= lengths[:, None]] = 0  # right padding, as the padding policy says
    y = (rng.random(N) < 0.5).astype(np.float32)
    return SequenceData(x, y, lengths)


def start_weights(family: str) -> dict:
    gates = reference.FAMILY_GATES[family]
    return random_weights(SPEC, 5, gates, scale=0.8, recurrent_bias=family in reference.RECURRENT_BIAS_FAMILIES)


def reference_loss(weights, data: SequenceData, family: str) -> float:
    outputs = [reference.forward(weights, SPEC, family, x[:n]).output for x, n in zip(data.x, data.lengths)]
    return reference.mean_loss(np.stack(outputs), data.y, SPEC.task)


def reference_gradient(weights, data, family) -> dict:
    grads = {}
    for name, value in weights.items():
        grad = np.zeros_like(value, dtype=np.float64)
        for index in np.ndindex(*value.shape):
            up, down = dict(weights), dict(weights)
            up[name] = value.astype(np.float64).copy()
            down[name] = value.astype(np.float64).copy()
            up[name][index] += FD_EPS
            down[name][index] -= FD_EPS
            grad[index] = (reference_loss(up, data, family) - reference_loss(down, data, family)) / (2 * FD_EPS)
        grads[name] = grad
    return grads


def expected_weights(family: str, data: SequenceData, clip_norm: float | None) -> tuple[dict, list[float]]:
    """Two steps of Adam with global-norm clipping, written out; and the gradient norms before clipping."""
    weights = {k: v.astype(np.float64) for k, v in start_weights(family).items()}
    m = {k: np.zeros_like(v) for k, v in weights.items()}
    v2 = {k: np.zeros_like(v) for k, v in weights.items()}
    beta1, beta2 = 0.9, 0.999
    assert (beta1, beta2) == ADAM_BETAS and ADAM_EPSILON == 1e-7  # the constants the README states
    norms = []
    for t, index in enumerate(batch_order(N, BATCH, SEED, epoch=1), start=1):
        g = reference_gradient(weights, data.take(index), family)
        norm = np.sqrt(sum(np.sum(x * x) for x in g.values()))
        norms.append(float(norm))
        if clip_norm is not None and norm > clip_norm:
            g = {k: x * (clip_norm / norm) for k, x in g.items()}
        for k in weights:
            m[k] = beta1 * m[k] + (1 - beta1) * g[k]
            v2[k] = beta2 * v2[k] + (1 - beta2) * g[k] ** 2
            m_hat, v_hat = m[k] / (1 - beta1 ** t), v2[k] / (1 - beta2 ** t)
            weights[k] = weights[k] - LR * m_hat / (np.sqrt(v_hat) + ADAM_EPSILON)
        # the backends hold float32 between steps
        weights = {k: w.astype(np.float32).astype(np.float64) for k, w in weights.items()}
    return weights, norms


def trained(backend: str, data: SequenceData, clip_norm: float | None) -> dict:
    entry = next((e for e in registry().backends if e.name == backend), None)
    if entry is None or entry.status != "available":
        missing(f"backend {backend} is not available here: {entry.reason if entry else 'not installed (make installs it)'}")
    model = registry().create(backend, SPEC, seed=0)
    model.set_weights(start_weights(FAMILIES[backend]))
    history = model.fit(data, epochs=1, batch_size=BATCH, lr=LR, seed=SEED, clip_norm=clip_norm)
    assert len(history.loss) == 1
    return model.get_weights()


def max_diff(a: dict, b: dict) -> float:
    assert sorted(a) == sorted(b)
    return max(float(np.max(np.abs(np.asarray(a[k], np.float64) - b[k]))) for k in a)


@pytest.fixture(scope="module")
def expected():
    """Per family: the clipped and the unclipped two-step result, and the gradient norms."""
    data = batch()
    out = {}
    for family in sorted(set(FAMILIES.values())):
        clipped, norms = expected_weights(family, data, CLIP)
        unclipped, _ = expected_weights(family, data, None)
        out[family] = {"clipped": clipped, "unclipped": unclipped, "norms": norms}
    return out


def test_the_expectation_exercises_clipping(expected):
    for family, e in expected.items():
        assert min(e["norms"]) > CLIP, (family, e["norms"])  # clipping is active in both steps
        assert e["norms"][0] != pytest.approx(e["norms"][1], rel=0.05), (family, e["norms"])  # and scales them differently
        # so clipping moves the second step by far more than the tolerance: a backend without it fails
        assert max_diff(e["clipped"], e["unclipped"]) > 50 * WEIGHT_TOLERANCE, family


@pytest.mark.parametrize("backend", sorted(FAMILIES))
def test_two_adam_steps_with_clipping_match_the_independent_computation(backend, expected):
    got = trained(backend, batch(), CLIP)
    assert max_diff(got, expected[FAMILIES[backend]]["clipped"]) <= WEIGHT_TOLERANCE


@pytest.mark.parametrize("backend", sorted(FAMILIES))
def test_without_clipping_the_steps_match_unclipped_adam(backend, expected):
    """Clipping on its own: clip_norm=None gives plain Adam, and a clip far above the norm changes nothing."""
    want = expected[FAMILIES[backend]]["unclipped"]
    assert max_diff(trained(backend, batch(), None), want) <= WEIGHT_TOLERANCE
    assert max_diff(trained(backend, batch(), 1e6), want) <= WEIGHT_TOLERANCE


def test_both_lstms_take_the_same_steps():
    keras, torch = (trained(b, batch(), CLIP) for b in ("keras-lstm", "torch-lstm"))
    assert max_diff(keras, {k: v.astype(np.float64) for k, v in torch.items()}) <= WEIGHT_TOLERANCE

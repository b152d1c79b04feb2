"""The lab's fairness, measured: from the same canonical weights and the same batches, a backend's
optimiser steps (Adam with ADAM_BETAS / ADAM_EPSILON, gradient clipping by global norm) give the
weights an independent computation gives, and so the same weights in every backend of a family.

The independent computation (zoo.testing.reference_adam, which the conformance kit's
check_adam_steps_match_reference also runs on every backend) knows nothing of any backend: the
gradient of the NumPy reference's mean loss (float64) by central finite differences, then clipping
and Adam written out from their definitions (Kingma & Ba 2015; Pascanu et al. 2013).

Through the public API only: ``fit`` with ``epochs=1`` and ``batch_size = n / 2`` runs exactly two
optimiser steps, on the two batches zoo.backend.batch_order deals for that seed. Two, not one: Adam's
first step is lr·g/(|g| + ε) ≈ lr·sign(g), blind to any rescaling of g such as clipping; the second
mixes two gradients of different norms, so clipping shows in it. A backend that skips the clipping,
clips per tensor, uses other Adam constants or another batch order does not match. (This found two:
Keras's own Adam put epsilon on the uncorrected sqrt(v) and updated embedding rows once per occurrence
of a token; torch-lstm trained both of nn.LSTM's biases, moving the canonical one twice as far.)
"""
from __future__ import annotations

import numpy as np
import pytest

from zoo.backend import ADAM_BETAS, ADAM_EPSILON
from zoo.plugins import registry
from zoo.testing import ADAM_SPEC, ADAM_TOLERANCE, adam_batch, adam_start_weights, reference_adam

from conftest import missing

FAMILIES = {"keras-lstm": "lstm", "torch-lstm": "lstm", "torch-gru": "gru", "numpy-rnn": "rnn"}
SETTINGS = {"batch_size": 4, "lr": 0.05, "seed": 3}
CLIP = 0.01  # below every batch gradient's norm here (asserted), so clipping is active in both steps


def trained(backend: str, clip_norm: float | None) -> dict:
    entry = next((e for e in registry().backends if e.name == backend), None)
    if entry is None or entry.status != "available":
        missing(f"backend {backend} is not available here: {entry.reason if entry else 'not installed (make installs it)'}")
    model = registry().create(backend, ADAM_SPEC, seed=0)
    model.set_weights(adam_start_weights(FAMILIES[backend]))
    history = model.fit(adam_batch(), epochs=1, clip_norm=clip_norm, **SETTINGS)
    assert len(history.loss) == 1
    return model.get_weights()


def max_diff(a: dict, b: dict) -> float:
    assert sorted(a) == sorted(b)
    return max(float(np.max(np.abs(np.asarray(a[k], np.float64) - np.asarray(b[k], np.float64)))) for k in a)


@pytest.fixture(scope="module")
def expected():
    """Per family: the clipped and the unclipped two-step result, and the gradient norms."""
    out = {}
    for family in sorted(set(FAMILIES.values())):
        clipped, norms = reference_adam(family, adam_batch(), clip_norm=CLIP, **SETTINGS)
        unclipped, _ = reference_adam(family, adam_batch(), clip_norm=None, **SETTINGS)
        out[family] = {"clipped": clipped, "unclipped": unclipped, "norms": norms}
    return out


def test_the_constants_are_the_stated_ones():
    assert ADAM_BETAS == (0.9, 0.999) and ADAM_EPSILON == 1e-7


def test_the_expectation_exercises_clipping(expected):
    for family, e in expected.items():
        assert len(e["norms"]) == 2 and min(e["norms"]) > CLIP, (family, e["norms"])  # clipping active in both steps
        assert e["norms"][0] != pytest.approx(e["norms"][1], rel=0.05), (family, e["norms"])  # by different factors
        # so clipping moves the second step by far more than the tolerance: a backend without it fails
        assert max_diff(e["clipped"], e["unclipped"]) > 50 * ADAM_TOLERANCE, family


@pytest.mark.parametrize("backend", sorted(FAMILIES))
def test_two_adam_steps_with_clipping_match_the_independent_computation(backend, expected):
    assert max_diff(trained(backend, CLIP), expected[FAMILIES[backend]]["clipped"]) <= ADAM_TOLERANCE


@pytest.mark.parametrize("backend", sorted(FAMILIES))
def test_without_clipping_the_steps_match_unclipped_adam(backend, expected):
    """Clipping on its own: clip_norm=None gives plain Adam, and a clip far above the norm changes nothing."""
    want = expected[FAMILIES[backend]]["unclipped"]
    assert max_diff(trained(backend, None), want) <= ADAM_TOLERANCE
    assert max_diff(trained(backend, 1e6), want) <= ADAM_TOLERANCE


def test_both_lstms_take_the_same_steps():
    assert max_diff(trained("keras-lstm", CLIP), trained("torch-lstm", CLIP)) <= ADAM_TOLERANCE

"""The conformance kit: checks every backend, bundled or third-party, must pass.

In the spirit of scikit-learn's ``parametrize_with_checks``, in a plugin's test suite::

    from zoo.testing import parametrize_with_checks

    @parametrize_with_checks(["my-backend"])
    def test_conformance(backend, check):
        check(backend)

Each check takes the name of an installed backend and raises AssertionError (or the backend's own
error) when the backend breaks the contract. Test ids read ``my-backend-check_trace_agrees_with_predict``,
so ``-k`` picks checks by backend or by name.

Checks are of two kinds:

- **structural**: how the backend is packaged and declared. It is registered and available; its class
  imports, subclasses zoo.Backend, implements every method of the contract and declares a family that
  zoo.family knows (which gives its weight and trace layout); registering it imports no framework. No
  structural check builds a model, so a package fresh from ``zoo new-plugin``, whose model methods
  still raise NotImplementedError, passes them as soon as it is installed.
- **numerical**: everything that builds a model and runs it: shapes and dtypes, the trace against
  predict and against the NumPy reference, gradients, padding, weight and checkpoint round trips,
  training, seeds, cancellation, predict before fit, bad input.

``parametrize_with_checks(names, kinds=("structural",))`` selects by kind; every test also carries its
kind as a mark, so ``pytest -m structural`` selects from the command line.
"""
from __future__ import annotations

import functools
import inspect
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from . import reference
from .backend import Backend
from .sequences import SequenceData
from .errors import BackendUnavailable, InputError, NotFittedError, WeightsError
from .family import FAMILIES, family as family_of
from .intervention import Intervention
from .plugins import registry
from .spec import ModelSpec
from .weights import random_weights

HEAVY_MODULES = ("torch", "tensorflow", "keras", "jax")
TOLERANCE = 1e-5
KINDS = ("structural", "numerical")

# Tiny models keep the whole kit to seconds per backend.
TOKEN_SPEC = ModelSpec(input="tokens", vocab_size=12, embedding_dim=4, recurrent=(5, 3), head=(4,), dropout=0.25)
FEATURE_SPEC = ModelSpec(input="features", n_features=2, recurrent=(4,), head=(3,), dropout=0.0)


def spec_for(input_kind: str, task: str, **changes) -> ModelSpec:
    base = TOKEN_SPEC if input_kind == "tokens" else FEATURE_SPEC
    return base.replace(task=task, n_classes=3, **changes)


def sample_inputs(spec: ModelSpec, n: int, steps: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if spec.input == "tokens":
        return rng.integers(1, spec.vocab_size, size=(n, steps))
    return rng.normal(size=(n, steps, spec.n_features)).astype(np.float32)


def sample_targets(spec: ModelSpec, n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed + 1)
    if spec.task == "binary":
        return rng.integers(0, 2, size=n).astype(np.float32)
    if spec.task == "multiclass":
        return rng.integers(0, spec.n_classes, size=n)
    return rng.normal(size=n).astype(np.float32)


def build(name: str, spec: ModelSpec, seed: int = 0, weights_seed: int | None = None) -> Backend:
    model = registry().create(name, spec, seed=seed)
    if weights_seed is not None:
        model.set_weights(random_weights(spec, weights_seed, model.layout))
    return model


def _max_diff(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))


def structural(check: Callable) -> Callable:
    check.kind = "structural"
    return check


def numerical(check: Callable) -> Callable:
    check.kind = "numerical"
    return check


# ----- the checks -----
@structural
def check_registered(name: str) -> None:
    """Available, importable, a complete zoo.Backend, and of a family zoo.family knows."""
    entry = registry().backend(name)
    assert entry.status == "available", f"{name} is {entry.status}: {entry.reason}"
    cls = registry().backend_class(name)
    assert issubclass(cls, Backend), f"{entry.info.factory} is not a zoo.Backend subclass"
    assert not inspect.isabstract(cls), f"{cls.__name__} does not implement {sorted(cls.__abstractmethods__)}"
    assert cls.family == entry.info.family, f"registered family {entry.info.family!r}, class says {cls.family!r}"
    assert cls.family in FAMILIES, f"family {cls.family!r} is not one of zoo.family's: {', '.join(FAMILIES)}"


@structural
def check_lazy_import(name: str) -> None:
    """Listing backends imports the plugin but no deep-learning framework."""
    code = (
        "import json, sys, zoo\n"
        f"entry = zoo.registry().backend({name!r})\n"
        f"print(json.dumps([m for m in {HEAVY_MODULES!r} if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    imported = json.loads(out.stdout.strip().splitlines()[-1])
    assert imported == [], f"registering {name} imported {imported}"


@numerical
def check_shapes_and_dtypes(name: str, input_kind: str, task: str) -> None:
    spec = spec_for(input_kind, task)
    model = build(name, spec, weights_seed=1)
    steps = 7
    x = sample_inputs(spec, 4, steps)
    out = model.predict(x)
    assert out.shape == (4, spec.output_dim) and out.dtype == np.float32, (out.shape, out.dtype)
    assert np.isfinite(out).all()
    if task == "binary":
        assert ((out >= 0) & (out <= 1)).all(), "binary outputs must be probabilities"
    if task == "multiclass":
        np.testing.assert_allclose(out.sum(axis=1), 1.0, atol=1e-5, err_msg="class probabilities must sum to 1")
    trace = model.trace(x[0])
    assert trace.backend == name
    assert trace.readout.shape == (steps, spec.output_dim) and trace.readout.dtype == np.float32
    assert len(trace.layers) == len(spec.recurrent)
    for layer, units in zip(trace.layers, spec.recurrent):
        for quantity, value in layer.quantities().items():
            assert value.shape == (steps, units), f"{quantity}: {value.shape} != {(steps, units)}"
            assert value.dtype == np.float32 and np.isfinite(value).all(), quantity
        got, want = set(layer.quantities()), set(model.layout.quantities())
        assert got == want, f"{model.layout.title} layer's trace holds {sorted(want)}, not {sorted(got)}"
    grads = model.gradients(x[0], sample_targets(spec, 1)[0])
    assert grads.shape == (len(spec.recurrent), steps) and np.isfinite(grads).all() and (grads >= 0).all()


@numerical
def check_trace_agrees_with_predict(name: str, input_kind: str) -> None:
    """The trace is the model: its last readout is predict's answer, for every sequence length."""
    spec = spec_for(input_kind, "binary")
    model = build(name, spec, weights_seed=2)
    for steps in (1, 9):
        x = sample_inputs(spec, 1, steps, seed=steps)
        diff = _max_diff(model.trace(x[0]).readout[-1], model.predict(x)[0])
        assert diff <= TOLERANCE, f"T={steps}: trace readout differs from predict by {diff:.2e}"


@numerical
def check_padding_is_ignored(name: str, input_kind: str) -> None:
    """A right-padded batch predicts what each sequence predicts alone."""
    spec = spec_for(input_kind, "binary")
    model = build(name, spec, weights_seed=3)
    lengths = np.array([7, 2, 5, 1])
    x = sample_inputs(spec, 4, 7)
    x[np.arange(7)[None, :] >= lengths[:, None]] = 0
    batch = model.predict(x, lengths)
    alone = np.concatenate([model.predict(x[i:i + 1, :n]) for i, n in enumerate(lengths)])
    assert _max_diff(batch, alone) <= TOLERANCE, "padding changed the prediction"


@numerical
def check_matches_reference(name: str, input_kind: str, task: str) -> None:
    """h, c, every gate and every readout equal the NumPy reference of the seed's equations."""
    spec = spec_for(input_kind, task, activation="relu" if task == "regression" else "tanh")
    model = build(name, spec, weights_seed=4)
    x = sample_inputs(spec, 1, 11, seed=4)[0]
    want = reference.forward(model.get_weights(), spec, model.family, x)
    got = model.trace(x)
    for k, (mine, ref) in enumerate(zip(got.layers, want.layers)):
        for quantity, value in ref.quantities().items():
            diff = _max_diff(mine.quantities()[quantity], value)
            assert diff <= TOLERANCE, f"layer {k} {quantity} differs from the reference by {diff:.2e}"
    assert _max_diff(got.readout, want.readout) <= TOLERANCE, "readout differs from the reference"


def what_if_cases(family: str, spec: ModelSpec) -> list[Intervention]:
    silence_one = [Intervention(layer=len(spec.recurrent) - 1, silence=(0,)), Intervention(layer=0, silence=(1, 2))]
    if family_of(family).forget_gate is None:
        return silence_one
    return [Intervention(layer=0, forget=0.0), Intervention(layer=1, forget=1.0), *silence_one]


@numerical
def check_what_if_matches_reference(name: str) -> None:
    """A backend that offers what-if runs clamps and silences exactly as the reference does, and one
    that does not refuses them with a clear error."""
    spec = TOKEN_SPEC
    model = build(name, spec, weights_seed=10)
    x = sample_inputs(spec, 1, 9, seed=10)[0]
    if "what-if" not in model.capabilities:
        try:
            model.trace(x, intervention=Intervention(silence=(0,)))
        except BackendUnavailable as err:
            assert "what-if" in str(err)
            return
        raise AssertionError("a backend without the what-if capability accepted an intervention")
    plain = model.trace(x)
    for intervention in what_if_cases(model.family, spec):
        want = reference.forward(model.get_weights(), spec, model.family, x, intervention=intervention)
        got = model.trace(x, intervention=intervention)
        for k, (mine, ref) in enumerate(zip(got.layers, want.layers)):
            for quantity, value in ref.quantities().items():
                diff = _max_diff(mine.quantities()[quantity], value)
                assert diff <= TOLERANCE, f"{intervention}: layer {k} {quantity} differs from the reference by {diff:.2e}"
        assert _max_diff(got.readout, want.readout) <= TOLERANCE, f"{intervention}: readout differs from the reference"
        assert _max_diff(got.readout, plain.readout) > 0, f"{intervention} changed nothing"
    assert _max_diff(model.trace(x).readout, plain.readout) == 0, "a what-if run left the model changed"


@numerical
def check_gradients_match_reference(name: str, task: str) -> None:
    """‖∂L/∂h_t‖ equals central finite differences of the reference loss."""
    spec = spec_for("tokens", task, dropout=0.0)
    model = build(name, spec, weights_seed=5)
    x = sample_inputs(spec, 1, 6, seed=5)[0]
    y = sample_targets(spec, 1, seed=5)[0]
    want = reference.gradient_norms(model.get_weights(), spec, model.family, x, y)
    np.testing.assert_allclose(model.gradients(x, y), want, rtol=2e-3, atol=1e-6)


@numerical
def check_weight_round_trip(name: str) -> None:
    spec = TOKEN_SPEC
    model = build(name, spec)
    weights = random_weights(spec, 6, model.layout)
    model.set_weights(weights)
    got = model.get_weights()
    assert set(got) == set(weights)
    for key, value in weights.items():
        assert got[key].dtype == np.float32 and np.array_equal(got[key], value), f"{key} changed on the way"
    broken = dict(weights, **{"output.b": np.zeros(7, np.float32)})
    try:
        model.set_weights(broken)
    except WeightsError as err:
        assert "output.b" in str(err)
    else:
        raise AssertionError("set_weights accepted a wrongly shaped tensor")


@numerical
def check_save_load_round_trip(name: str) -> None:
    spec = TOKEN_SPEC
    model = build(name, spec, weights_seed=7)
    x = sample_inputs(spec, 3, 6)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.safetensors"
        model.save(path, {"note": "kit"})
        loaded = type(model).load(path, name=name)
    assert loaded.spec == spec
    for key, value in model.get_weights().items():
        assert np.array_equal(loaded.get_weights()[key], value), key
    assert _max_diff(loaded.predict(x), model.predict(x)) == 0.0


def _toy_task(spec: ModelSpec, n: int = 96) -> SequenceData:
    """Label 1 when the first token (or first feature) is high: learnable by any recurrent model."""
    x = sample_inputs(spec, n, 5, seed=8)
    first = x[:, 0] if spec.input == "tokens" else x[:, 0, 0]
    y = (first > np.median(first)).astype(np.float32)
    return SequenceData(x, y)


@numerical
def check_loss_decreases(name: str, input_kind: str) -> None:
    spec = spec_for(input_kind, "binary", dropout=0.0)
    model = build(name, spec)
    data = _toy_task(spec)
    history = model.fit(data, data, epochs=15, batch_size=16, lr=0.02, seed=0)
    assert len(history.loss) == 15 and len(history.val_loss) == 15
    assert history.val_loss[-1] < 0.8 * history.val_loss[0], f"validation loss went {history.val_loss[0]:.3f} -> {history.val_loss[-1]:.3f}"


@numerical
def check_seed_determinism(name: str) -> None:
    """fit's ``seed`` alone decides a run. Every run starts from the same weights and takes the data as
    one batch of 40 copies of one sequence (so the batch order cannot matter): only dropout's masks can
    depend on the seed. The same seed must give the same weights (whatever seed the model was built
    with), another seed other weights. A backend that draws dropout from a fixed seed, from its
    construction seed or from the global random state fails."""
    spec = TOKEN_SPEC  # dropout 0.25
    one = _toy_task(spec, n=2).take(np.array([1]))
    data = SequenceData(np.repeat(one.x, 40, axis=0), np.repeat(one.y, 40))

    def trained(seed: int, build_seed: int = 0) -> dict:
        model = build(name, spec, seed=build_seed, weights_seed=6)
        model.fit(data, epochs=3, batch_size=len(data), lr=0.01, seed=seed)
        return model.get_weights()

    first, again, other = trained(0), trained(0, build_seed=1), trained(1)
    for key in first:
        np.testing.assert_allclose(first[key], again[key], atol=1e-6, err_msg=f"{key}: same seed, different result")
    changed = max(_max_diff(first[k], other[k]) for k in first)
    assert changed > 1e-4, f"another fit seed moved no weight by more than {changed:.1e}: dropout ignores the seed"


# ----- training maths: two Adam steps with clipping, written out from their definitions -----
ADAM_SPEC = ModelSpec(input="tokens", vocab_size=7, embedding_dim=3, recurrent=(4,), head=(3,), dropout=0.0)
ADAM_TOLERANCE = 5e-6  # float32 training against float64 maths; clipping moves these weights by 5e-3 or more


def adam_batch(n: int = 8) -> SequenceData:
    """Right-padded token sequences of lengths 3 to 5 with random binary labels."""
    rng = np.random.default_rng(11)
    lengths = rng.integers(3, 6, size=n)
    x = rng.integers(1, ADAM_SPEC.vocab_size, size=(n, 5))
    x[np.arange(5)[None, :] >= lengths[:, None]] = 0
    return SequenceData(x, (rng.random(n) < 0.5).astype(np.float32), lengths)


def adam_start_weights(family: str) -> dict:
    return random_weights(ADAM_SPEC, 5, family_of(family), scale=0.8)


def reference_mean_loss(weights, data: SequenceData, family: str, spec: ModelSpec = ADAM_SPEC) -> float:
    outputs = [reference.forward(weights, spec, family, x[:n]).output for x, n in zip(data.x, data.lengths)]
    return reference.mean_loss(np.stack(outputs), data.y, spec.task)


def reference_gradient(weights, data: SequenceData, family: str, eps: float = 1e-6) -> dict:
    """∂(mean loss)/∂w for every canonical weight, by central finite differences of the reference."""
    weights = {k: np.asarray(v, dtype=np.float64) for k, v in weights.items()}
    grads = {}
    for name, value in weights.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(*value.shape):
            moved = value.copy()
            moved[index] += eps
            up = reference_mean_loss({**weights, name: moved}, data, family)
            moved[index] -= 2 * eps
            down = reference_mean_loss({**weights, name: moved}, data, family)
            grad[index] = (up - down) / (2 * eps)
        grads[name] = grad
    return grads


def reference_adam(family: str, data: SequenceData, *, batch_size: int, lr: float, seed: int,
                   clip_norm: float | None) -> tuple[dict, list[float]]:
    """One epoch of fit, computed without any backend: the batches of zoo.backend.batch_order, the
    reference's gradient, clipping of its global norm, then Adam (Kingma & Ba 2015, Algorithm 1, with
    ADAM_BETAS and ADAM_EPSILON). Returns the weights and each step's gradient norm before clipping."""
    from .backend import ADAM_BETAS, ADAM_EPSILON, batch_order

    beta1, beta2 = ADAM_BETAS
    weights = {k: v.astype(np.float64) for k, v in adam_start_weights(family).items()}
    m = {k: np.zeros_like(v) for k, v in weights.items()}
    v = {k: np.zeros_like(w) for k, w in weights.items()}
    norms = []
    for t, index in enumerate(batch_order(len(data), batch_size, seed, epoch=1), start=1):
        g = reference_gradient(weights, data.take(index), family)
        norm = float(np.sqrt(sum(np.sum(x * x) for x in g.values())))
        norms.append(norm)
        if clip_norm is not None and norm > clip_norm:
            g = {k: x * (clip_norm / norm) for k, x in g.items()}
        for k in weights:
            m[k] = beta1 * m[k] + (1 - beta1) * g[k]
            v[k] = beta2 * v[k] + (1 - beta2) * g[k] ** 2
            m_hat, v_hat = m[k] / (1 - beta1 ** t), v[k] / (1 - beta2 ** t)
            weights[k] = weights[k] - lr * m_hat / (np.sqrt(v_hat) + ADAM_EPSILON)
        weights = {k: w.astype(np.float32).astype(np.float64) for k, w in weights.items()}  # float32 between steps
    return weights, norms


@numerical
def check_adam_steps_match_reference(name: str) -> None:
    """Two optimiser steps (fit, one epoch of two batches) from the same canonical weights give the
    weights of :func:`reference_adam`, clipping active in both steps. Two, because Adam's first step is
    about lr·sign(g), blind to clipping; the second mixes gradients of different norms."""
    family = registry().backend(name).info.family
    data, settings = adam_batch(), {"batch_size": 4, "lr": 0.05, "seed": 3, "clip_norm": 0.01}
    want, norms = reference_adam(family, data, **settings)
    assert min(norms) > settings["clip_norm"], norms  # the check exercises clipping
    model = registry().create(name, ADAM_SPEC, seed=0)
    model.set_weights(adam_start_weights(family))
    model.fit(data, epochs=1, **settings)
    got = model.get_weights()
    worst = max(((_max_diff(got[k], want[k]), k) for k in want))
    assert worst[0] <= ADAM_TOLERANCE, (f"{worst[1]} is {worst[0]:.2e} from two steps of Adam with clipping "
                                        f"(ADAM_BETAS, ADAM_EPSILON on the bias-corrected sqrt(v), global-norm clipping)")


@numerical
def check_fit_can_be_cancelled(name: str) -> None:
    spec = TOKEN_SPEC
    model = build(name, spec)
    calls = []

    def stop_after_two_batches(progress):
        calls.append(progress)
        return len(calls) < 2

    history = model.fit(_toy_task(spec, n=64), epochs=5, batch_size=8, callback=stop_after_two_batches)
    assert history.cancelled and len(calls) == 2 and len(history.loss) == 1


@numerical
def check_predict_before_fit(name: str) -> None:
    spec = TOKEN_SPEC
    model = build(name, spec)
    try:
        model.predict(sample_inputs(spec, 1, 3))
    except NotFittedError as err:
        assert "fit" in str(err)
    else:
        raise AssertionError("predict before fit must raise NotFittedError")


@numerical
def check_bad_input(name: str) -> None:
    tokens = build(name, TOKEN_SPEC, weights_seed=9)
    features = build(name, FEATURE_SPEC, weights_seed=9)
    cases = [
        (tokens, np.array([[1, 2, TOKEN_SPEC.vocab_size]])),  # id out of vocabulary
        (tokens, np.array([[1.5, 2.0]])),  # not integers
        (tokens, np.zeros((1, 0), dtype=np.int64)),  # no steps
        (features, np.array([[[np.nan, 0.0]]])),
        (features, np.zeros((1, 3, 5))),  # wrong feature count
    ]
    for model, x in cases:
        try:
            model.predict(x)
        except InputError:
            continue
        raise AssertionError(f"predict accepted bad input of shape {np.shape(x)}")


def backend_checks(name: str) -> Iterator[Callable[[str], None]]:
    """Every check that applies to backend ``name``, each a callable taking the backend name."""
    yield check_registered
    yield check_lazy_import
    for input_kind in ("tokens", "features"):
        for task in ("binary", "multiclass", "regression"):
            yield functools.partial(check_shapes_and_dtypes, input_kind=input_kind, task=task)
        yield functools.partial(check_trace_agrees_with_predict, input_kind=input_kind)
        yield functools.partial(check_padding_is_ignored, input_kind=input_kind)
        yield functools.partial(check_loss_decreases, input_kind=input_kind)
    for input_kind, task in (("tokens", "binary"), ("tokens", "multiclass"), ("features", "regression")):
        yield functools.partial(check_matches_reference, input_kind=input_kind, task=task)
    for task in ("binary", "regression"):
        yield functools.partial(check_gradients_match_reference, task=task)
    yield check_what_if_matches_reference
    yield check_adam_steps_match_reference
    yield check_weight_round_trip
    yield check_save_load_round_trip
    yield check_seed_determinism
    yield check_fit_can_be_cancelled
    yield check_predict_before_fit
    yield check_bad_input


def check_id(check: Callable) -> str:
    if isinstance(check, functools.partial):
        args = "-".join(str(v) for v in check.keywords.values())
        return f"{check.func.__name__}[{args}]"
    return check.__name__


def check_kind(check: Callable) -> str:
    """``structural`` or ``numerical`` (see the module's docstring)."""
    return (check.func if isinstance(check, functools.partial) else check).kind


def parametrize_with_checks(backends, kinds=KINDS):
    """A ``pytest.mark.parametrize`` over (backend, check) for every check of the given ``kinds`` of every
    named backend; each test is marked with its check's kind."""
    import pytest

    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}: choose from {KINDS}")
    params = [
        pytest.param(name, check, id=f"{name}-{check_id(check)}", marks=getattr(pytest.mark, check_kind(check)))
        for name in backends
        for check in backend_checks(name)
        if check_kind(check) in kinds
    ]
    return pytest.mark.parametrize("backend, check", params)

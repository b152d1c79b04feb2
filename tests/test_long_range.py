"""The long-range lab: its maths on hand-made traces and tiny models, its cache, and its command."""
import math

import numpy as np
import pytest

from zoo import long_range
from zoo.backend import batch_order
from zoo.intervention import Intervention
from zoo.trace import LayerTrace, Trace

from conftest import parse_json, run_zoo


def hand_made_trace(f: np.ndarray, i: np.ndarray, o: np.ndarray) -> Trace:
    steps, units = f.shape
    zeros = np.zeros((steps, units))
    return Trace("hand", [LayerTrace(h=zeros, c=zeros, gates={"i": i, "f": f, "g": zeros, "o": o})], readout=np.zeros((steps, 1)))


def test_forget_memory_is_the_running_product_of_forget_gates():
    f = np.array([[1.0, 0.5], [0.9, 0.5], [1.0, 0.0], [0.8, 1.0]])
    memory = long_range.forget_memory(hand_made_trace(f, f, f))
    np.testing.assert_allclose(memory[:, 0], [1.0, 0.9, 0.9, 0.72])
    np.testing.assert_allclose(memory[:, 1], [0.5, 0.25, 0.0, 0.0])  # once forgotten, gone for good


def test_saturation_counts_gate_values_below_01_and_above_09():
    f = np.array([[0.05, 0.95], [0.5, 0.99]])   # one of four below 0.1, two above 0.9
    i = np.array([[0.0, 0.1], [0.9, 1.0]])      # 0.1 and 0.9 themselves count as neither
    o = np.full((2, 2), 0.5)
    rows = {row["gate"]: row for row in long_range.saturation([hand_made_trace(f, i, o)] * 3)}
    assert (rows["f"]["below_0.1"], rows["f"]["above_0.9"]) == (0.25, 0.5)
    assert (rows["i"]["below_0.1"], rows["i"]["above_0.9"]) == (0.25, 0.25)
    assert (rows["o"]["below_0.1"], rows["o"]["above_0.9"]) == (0.0, 0.0)


def test_budgets_are_the_same_for_every_backend_and_stated():
    for name, budget in long_range.TASKS.items():
        # the stated number of steps is what the task's real training split gives, batch by batch
        train = long_range.task_data(name, 5, 0).train
        assert budget.steps == budget.epochs * len(batch_order(len(train), budget.batch_size, 0, 1)), name
    keys = {long_range.cell_key(b, "long-dependency", 20, 0) for b in ("keras-lstm", "torch-lstm", "numpy-rnn")}
    assert len(keys) == 3  # one cell per backend …
    assert long_range.cell_key("torch-lstm", "long-dependency", 20, 0) != long_range.cell_key("torch-lstm", "long-dependency", 20, 1)


def test_every_backend_starts_from_the_same_weights():
    prepared = long_range.task_data("long-dependency", 5, 0)
    keras, torch = (long_range.fresh_model(b, prepared, 0).get_weights() for b in ("keras-lstm", "torch-lstm"))
    assert all(np.array_equal(keras[k], torch[k]) for k in keras)
    units = long_range.SPEC.recurrent[0]
    assert np.all(keras["recurrent.0.b"][units:2 * units] == long_range.FORGET_BIAS)


def test_a_cell_is_trained_once_and_then_served_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setitem(long_range.TASKS, "long-dependency", long_range.Budget("long-dependency", "lag", "accuracy", 0.5,
                                                                  n=200, epochs=2, batch_size=32, lr=3e-3))
    train = long_range.task_data("long-dependency", 5, 0).train
    first = long_range.run_cell("numpy-rnn", "long-dependency", 5, cache_dir=tmp_path)
    # the steps that ran: 2 epochs of ceil(|train| / 32) batches, counted from the split itself
    assert first["steps"] == 2 * math.ceil(len(train) / 32) and 0.0 <= first["score"] <= 1.0
    files = sorted(p.suffix for p in tmp_path.iterdir())
    assert files == [".json", ".safetensors"]
    monkeypatch.setattr(long_range, "task_data", lambda *a: pytest.fail("a cached cell was trained again"))
    assert long_range.run_cell("numpy-rnn", "long-dependency", 5, cache_dir=tmp_path) == first
    model = long_range.trained_model("numpy-rnn", "long-dependency", 5, cache_dir=tmp_path)
    assert model.name == "numpy-rnn" and model.fitted


def test_vanishing_gradients_reports_init_and_trained_profiles(tmp_path, monkeypatch):
    monkeypatch.setitem(long_range.TASKS, "adding-problem", long_range.Budget("adding-problem", "length", "mse", 1 / 6,
                                                                 n=200, epochs=1, batch_size=32, lr=1e-3))
    out = long_range.vanishing_gradients(["numpy-rnn", "torch-lstm"], "adding-problem", 30, cache_dir=tmp_path)
    for backend in ("numpy-rnn", "torch-lstm"):
        for stage in ("init", "trained"):
            norms = np.array(out[backend][stage]["norms"])
            assert norms.shape == (30,) and (norms >= 0).all()
            assert out[backend][stage]["first_to_last"] == pytest.approx(norms[0] / norms[-1])


def test_what_if_changes_what_it_says():
    prepared = long_range.task_data("long-dependency", 5, 0)
    model = long_range.fresh_model("torch-lstm", prepared, 0)
    x = prepared.test.x[0, :prepared.test.lengths[0]]
    shut = model.trace(x, intervention=Intervention(forget=0.0))
    assert (shut.layers[0].gates["f"] == 0).all()
    np.testing.assert_allclose(shut.layers[0].c, shut.layers[0].gates["i"] * shut.layers[0].gates["g"], atol=1e-6)
    silent = model.trace(x, intervention=Intervention(silence=(3,)))
    assert (silent.layers[0].h[:, 3] == 0).all() and (np.abs(silent.layers[0].h[:, 4]) > 0).any()
    before, after, change = long_range.what_if(model, x, Intervention(silence=(3,)))
    np.testing.assert_array_equal(change.layers[0].h, after.layers[0].h - before.layers[0].h)
    np.testing.assert_array_equal(change.layers[0].h[:, 3], -before.layers[0].h[:, 3])  # unit 3 fell to 0
    np.testing.assert_array_equal(after.layers[0].h, silent.layers[0].h)


def test_zoo_lab_json_from_the_cache(tmp_path):
    # The default sweep's results ship with the package, so this reads them without training.
    backends = ("keras-lstm", "torch-lstm", "numpy-rnn")
    out = parse_json(run_zoo("lab", "--backends", ",".join(backends), "--tasks", "long-dependency", "--lags", "5,200",
                             "--json", env={"XDG_CACHE_HOME": str(tmp_path)}, timeout=60))
    rows = {(r["backend"], r["lag"]): r for r in out["results"]}
    assert set(rows) == {(b, lag) for b in backends for lag in (5, 200)}
    for row in rows.values():
        assert row["task"] == "long-dependency" and 0.0 <= row["score"] <= 1.0 and row["chance"] == 0.5
    assert out["budget"]["long-dependency"]["steps"] == long_range.TASKS["long-dependency"].steps
    assert not (tmp_path / "rnn-zoo").exists(), "shipped results must be served without training"


@pytest.mark.parametrize("args, message", [
    (["--tasks", "nope"], "unknown task"),
    (["--lags", "five"], "whole numbers"),
])
def test_zoo_lab_errors(args, message):
    out = run_zoo("lab", *args)
    assert out.returncode == 2 and message in out.stderr


def test_gradients_vanish_in_the_plain_rnn_and_not_in_the_lstms():
    """The README's "Why": at initialisation, over 100 steps of the adding problem, the plain RNN's
    ‖∂L/∂h_0‖ is a vanishing fraction of ‖∂L/∂h_T‖ (3.6e-05 stated) while both LSTMs, whose forget
    gates start open, keep more than the last step's (8.65 stated). Same weights, so the LSTMs agree."""
    prepared = long_range.task_data("adding-problem", 100, 0)
    probes = long_range.probe_sequences(prepared)
    assert len(probes) == 16 and all(len(x) == 100 for x, _ in probes)
    ratio = {}
    for backend in ("numpy-rnn", "torch-lstm", "keras-lstm"):
        norms = long_range.gradient_profile(long_range.fresh_model(backend, prepared, 0), probes)
        assert norms.shape == (100,) and (norms > 0).all(), backend
        ratio[backend] = norms[0] / norms[-1]
    assert ratio["numpy-rnn"] < 1e-3, ratio
    assert ratio["torch-lstm"] > 1 and ratio["keras-lstm"] > 1, ratio
    assert ratio["torch-lstm"] == pytest.approx(ratio["keras-lstm"], rel=1e-3)

"""The zoo command as a user runs it: parity, trace, and clear errors."""
import json

import numpy as np
import pytest

from zoo.trace import Trace

from conftest import parse_json, run_zoo

LSTMS = {"keras-lstm", "torch-lstm"}


@pytest.fixture(scope="module")
def parity():
    out = run_zoo("parity", "--json")
    result = json.loads(out.stdout)
    # every installed backend took part: none raised, no plugin failed to load
    assert out.returncode == 0 and result["passed"], {k: result[k] for k in ("failed", "plugin_errors", "max_abs_diff")}
    return result


def test_parity_every_backend_within_1e5_of_the_reference(parity):
    assert LSTMS | {"numpy-rnn"} <= set(parity["max_abs_diff"])
    for name, diff in parity["max_abs_diff"].items():
        assert diff <= 1e-5, f"{name}: {diff}"
    assert parity["passed"] and parity["steps"] == 50
    assert parity["architecture"]["recurrent"] == [64, 32]


def test_parity_covers_every_quantity_for_both_inputs(parity):
    for name in LSTMS:
        for input_kind in ("tokens", "features"):
            diffs = parity["details"][name][input_kind]
            for k in (0, 1):
                assert {f"layer{k}.{q}" for q in ("h", "c", "i", "f", "g", "o")} <= set(diffs)
            assert {"readout", "predict", "weights"} <= set(diffs)
            # Weights that went through the other backends come back unchanged.
            assert diffs["weights"] == 0.0


def test_parity_table_for_people():
    out = run_zoo("parity", "--steps", "20")
    assert out.returncode == 0, out.stderr
    assert "keras-lstm" in out.stdout and "torch-lstm" in out.stdout and "yes" in out.stdout


@pytest.mark.parametrize("backend", sorted(LSTMS | {"numpy-rnn"}))
def test_trace_text_as_json(backend):
    trace = parse_json(run_zoo("trace", "--backend", backend, "--text", "He likes a pretty girl", "--json"))
    assert trace["tokens"] == ["he", "likes", "a", "pretty", "girl"]
    assert trace["steps"] == 5 and len(trace["readout"]) == 5
    assert [layer["units"] for layer in trace["layers"]] == [64, 32]
    if backend in LSTMS:
        assert {"h", "c", "i", "f", "g", "o"} <= set(trace["layers"][0])
    assert 0.0 <= trace["output"][0] <= 1.0


def test_trace_series_to_npz(tmp_path):
    path = tmp_path / "trace.npz"
    out = run_zoo("trace", "--backend", "torch-lstm", "--series", "1, 2.5, 3; 4", "--out", str(path))
    assert out.returncode == 0, out.stderr
    trace = Trace.load_npz(path)
    assert trace.backend == "torch-lstm" and trace.tokens == ["1", "2.5", "3", "4"]
    assert trace.layers[0].h.shape == (4, 64) and set(trace.layers[1].gates) == {"i", "f", "g", "o"}
    assert np.isfinite(trace.readout).all()


def test_trace_table_shows_the_prediction_moving_word_by_word():
    out = run_zoo("trace", "--backend", "keras-lstm", "--text", "그는 소녀를 좋아한다 🙂")
    assert out.returncode == 0, out.stderr
    for token in ("그는", "소녀를", "좋아한다", "🙂", "readout", "mean f0"):
        assert token in out.stdout
    # TensorFlow's start-up chatter stays out of the user's terminal.
    assert "oneDNN" not in out.stderr and "cpu_feature_guard" not in out.stderr


@pytest.mark.parametrize("args, message", [
    (["--backend", "numpy-rnn", "--text", "   "], "no words"),
    (["--backend", "numpy-rnn", "--series", "1, x, 3"], "not a number"),
    (["--backend", "numpy-rnn", "--series", "1, nan"], "finite"),
    (["--backend", "nope", "--text", "hi"], "no backend named 'nope'"),
])
def test_trace_errors_are_clear(args, message):
    out = run_zoo("trace", *args)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr

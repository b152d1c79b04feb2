"""How much a model uses its memory (zoo.memory), and the defaults the Compare tabs open with."""
from __future__ import annotations

import numpy as np
import pytest
from conftest import parse_json, run_zoo

from zoo.memory import memory_use, most_moving_unit
from zoo.trace import LayerTrace, Trace


def lstm_trace(f: np.ndarray, h: np.ndarray) -> Trace:
    steps, units = f.shape
    half = np.full((steps, units), 0.5)
    layer = LayerTrace(h=h, c=np.zeros((steps, units)), gates={"i": half, "f": f, "g": np.zeros((steps, units)), "o": half})
    return Trace("test", [layer], readout=np.zeros((steps, 1)))


def test_the_most_active_unit_is_the_one_whose_forget_gate_moves():
    rng = np.random.default_rng(0)
    f = np.full((20, 4), 0.73)
    f[:, 2] = np.where(np.arange(20) % 5 == 0, 0.05, 0.98)  # unit 2 lets go every fifth step
    h = rng.normal(0, 0.01, (20, 4))
    h[:, 0] = np.linspace(-0.9, 0.9, 20)  # unit 0's state moves most, but its gate does not
    trace = lstm_trace(f, h)
    assert most_moving_unit(trace.layers[0]) == 2
    [layer] = memory_use([trace])
    assert layer["ranked_by"] == "f" and layer["most_active"][0]["unit"] == 2
    expected = np.sqrt(np.mean((f[:, 2] - f[:, 2].mean()) ** 2))  # the std over time, written out
    assert layer["memory_gate_movement"] == pytest.approx(expected)
    assert layer["most_active"][0]["h_movement"] == pytest.approx(np.sqrt(np.mean((h[:, 2] - h[:, 2].mean()) ** 2)))
    assert layer["mean_abs_h"] == pytest.approx(np.abs(h).mean())


def test_movement_is_within_each_sequence_then_averaged():
    """A unit constant within each sequence is still, whatever its level differs between them."""
    f_a, f_b = np.full((10, 2), 0.2), np.full((10, 2), 0.9)
    f_a[:, 1] = f_b[:, 1] = np.tile([0.1, 0.9], 5)
    h = np.zeros((10, 2))
    [layer] = memory_use([lstm_trace(f_a, h), lstm_trace(f_b, h)])
    assert layer["most_active"][0]["unit"] == 1
    assert layer["most_active"][0]["f_movement"] == pytest.approx(0.4)
    assert layer["most_active"][1]["f_movement"] == pytest.approx(0.0)


def test_a_plain_rnn_is_ranked_by_its_state():
    h = np.zeros((8, 3))
    h[:, 1] = np.tile([-0.5, 0.5], 4)
    trace = Trace("rnn", [LayerTrace(h=h)], readout=np.zeros((8, 1)))
    assert most_moving_unit(trace.layers[0]) == 1
    [layer] = memory_use([trace])
    assert layer["ranked_by"] == "h" and layer["memory_gate_movement"] is None
    assert layer["most_active"][0] == {"unit": 1, "h_movement": pytest.approx(0.5)}


# ----- the shipped defaults: recomputed from the checkpoints, nothing taken from their metadata -----
def preselected_cards(kinds=("text", "series")):
    from zoo.workbench import catalog, default_ids

    ids = {model for kind in kinds for model in default_ids(kind)}
    return [card for card in catalog() if card.id in ids]


def test_the_compare_tabs_open_on_tasks_that_need_memory():
    from zoo.workbench import tasks

    assert tasks("text")[0] == "long-dependency" and tasks("series")[0] == "temporal-order"
    assert sorted(card.backend for card in preselected_cards() if card.kind == "text") == ["keras-lstm", "numpy-rnn", "torch-lstm"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["text", "series"])
def test_every_preselected_gated_default_moves_its_forget_gate(kind):
    """Issue 13: on inputs of its own task (its test split) the most active unit's forget gate of every
    gated model the Compare tabs preselect has a standard deviation over time of at least 0.1; and the
    long-dependency defaults tell the story: the LSTMs solve the task, the plain RNN stays near chance."""
    from zoo.train import evaluate

    checked = 0
    for card in preselected_cards((kind,)):
        result = evaluate(card.path)
        if card.family != "rnn":
            moved = max(layer["memory_gate_movement"] for layer in result["memory"])
            assert moved >= 0.1, (card.id, result["memory"])
            checked += 1
        if card.dataset in ("long-dependency", "temporal-order"):  # the story: only memory solves these
            accuracy, chance = result["metrics"]["accuracy"], 1 / len(card.classes)
            assert (accuracy >= 0.95) if card.family == "lstm" else (abs(accuracy - chance) <= 0.15), (card.id, accuracy)
    assert checked >= 2


@pytest.mark.slow
def test_zoo_evaluate_reports_memory_use():
    from zoo.pretrained import pretrained_path

    path = pretrained_path("long-dependency", "torch-lstm")
    [layer] = parse_json(run_zoo("evaluate", str(path), "--json"))["memory"]
    assert layer["ranked_by"] == "f" and len(layer["most_active"]) == 3
    table = run_zoo("evaluate", str(path)).stdout
    assert "mean abs(h) per layer" in table and f"f {layer['most_active'][0]['f_movement']:.3f} (unit {layer['most_active'][0]['unit']})" in table

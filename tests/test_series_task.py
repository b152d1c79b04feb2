"""The lab's series tasks that separate the LSTMs from the plain RNN: the temporal-order data, how the
lab scores it, and the shipped results of the temporal-order and adding-problem sweeps (read from
zoo/pretrained/lab/, never retrained)."""
import numpy as np
import pytest

import zoo
from zoo import long_range
from zoo.datasets import SequenceDataset, load_dataset
from zoo.prepare import prepare

from conftest import parse_json, run_zoo

BUNDLED = ("keras-lstm", "torch-lstm", "numpy-rnn")
LSTMS = ("keras-lstm", "torch-lstm")
TASK = "temporal-order"


def symbols(data: SequenceDataset) -> np.ndarray:
    return data.x.argmax(axis=2)  # 0 = X, 1 = Y, 2-5 = the distractors a-d


def test_temporal_order_is_one_hot_with_two_relevant_steps_where_the_task_puts_them():
    data = load_dataset(TASK, n=400, length=100, seed=3)
    assert isinstance(data, SequenceDataset) and data.task == "multiclass"
    assert data.x.shape == (400, 100, 6) and data.x.dtype == np.float32 and data.y.dtype == np.int64
    assert data.classes == ["XX", "XY", "YX", "YY"]
    assert (data.x.sum(axis=2) == 1).all() and set(np.unique(data.x)) == {0, 1}
    s = symbols(data)
    relevant = s < 2
    assert (relevant.sum(axis=1) == 2).all()
    assert relevant[:, :10].sum(axis=1).tolist() == [1] * 400, "the first symbol lies in the first tenth"
    assert relevant[:, 50:60].sum(axis=1).tolist() == [1] * 400, "the second in the tenth after the middle"
    first, second = s[:, :10][relevant[:, :10]], s[:, 50:60][relevant[:, 50:60]]
    np.testing.assert_array_equal(data.y, 2 * first + second)  # XX 0, XY 1, YX 2, YY 3


def test_temporal_order_classes_are_balanced_and_neither_symbol_alone_decides():
    data = load_dataset(TASK, n=2001, length=30, seed=0)
    counts = np.bincount(data.y, minlength=4)
    assert counts.max() - counts.min() <= 1
    # Knowing only the second symbol leaves two classes equally likely: 50 % at best.
    second = data.y % 2
    for value in (0, 1):
        first_given_second = data.y[second == value] // 2
        assert abs(first_given_second.mean() - 0.5) < 0.05
    distractors = symbols(data)[symbols(data) >= 2]
    assert np.abs(np.bincount(distractors - 2) / len(distractors) - 0.25).max() < 0.01


def test_temporal_order_is_deterministic_by_seed_and_short_lengths_still_work():
    def fingerprint(seed):
        data = load_dataset(TASK, n=50, length=40, seed=seed)
        return data.x.tobytes() + data.y.tobytes()

    assert fingerprint(1) == fingerprint(1) and fingerprint(1) != fingerprint(2)
    assert load_dataset(TASK).params == {} and len(load_dataset(TASK)) == 2000
    tiny = load_dataset(TASK, n=8, length=5)  # a tenth of 5 rounds up to one step: positions 0 and 2
    np.testing.assert_array_equal(symbols(tiny)[:, [0, 2]], np.stack([tiny.y // 2, tiny.y % 2], axis=1))


@pytest.mark.parametrize("params, word", [
    ({"n": 3}, "n"), ({"n": 2.5}, "n"), ({"length": 3}, "length"), ({"length": True}, "length"),
    ({"seed": -1}, "seed"), ({"length": 10_001}, "length"),
])
def test_temporal_order_rejects_bad_params(params, word):
    with pytest.raises(zoo.InputError, match=f"^{word} must be a whole number"):
        load_dataset(TASK, **params)


def test_temporal_order_refuses_what_does_not_fit_in_memory():
    with pytest.raises(zoo.InputError, match="n × length"):
        load_dataset(TASK, n=100_000, length=1000)


def test_prepared_temporal_order_is_a_four_class_problem():
    prepared = prepare(load_dataset(TASK, n=100, length=20), spec=long_range.SPEC)
    assert prepared.spec.task == "multiclass" and prepared.spec.n_classes == 4 and prepared.spec.n_features == 6
    assert prepared.state == {"kind": "sequences", "classes": ["XX", "XY", "YX", "YY"], "symbols": ["X", "Y", "a", "b", "c", "d"]}
    # The adding problem is unchanged: no classes, the same state as before.
    assert prepare(load_dataset("adding-problem", n=20), spec=long_range.SPEC).state == {"kind": "sequences"}


def test_the_lab_scores_multiclass_accuracy_by_the_most_likely_class():
    class Fixed:
        def predict(self, x, lengths):
            return np.array([[0.1, 0.6, 0.2, 0.1], [0.5, 0.2, 0.2, 0.1], [0.0, 0.0, 0.3, 0.7]], dtype=np.float32)

    prepared = prepare(load_dataset(TASK, n=20, length=10), spec=long_range.SPEC)
    prepared.test.y = np.array([1, 3, 3])
    assert long_range.score(Fixed(), prepared, "accuracy") == pytest.approx(2 / 3)


def test_the_series_tasks_leave_the_shipped_long_dependency_cells_valid():
    for lag in long_range.DEFAULT_LAGS:
        for backend in BUNDLED:
            found = long_range.cached_result(backend, "long-dependency", lag, cache_dir=long_range.SHIPPED_DIR)
            assert found is not None, f"long-dependency lag {lag} {backend}: its cell key changed"


def shipped(backend: str, length: int, task: str = TASK) -> dict:
    found = long_range.cached_result(backend, task, length, cache_dir=long_range.SHIPPED_DIR)
    assert found is not None, f"no shipped {task} result for {backend} at length {length}: run zoo lab (README)"
    result, directory = found
    assert (directory / f"{result['key']}.safetensors").is_file()
    return result


@pytest.mark.parametrize("task", ["temporal-order", "adding-problem"])
@pytest.mark.parametrize("backend", BUNDLED)
def test_shipped_results_cover_the_default_lags_with_this_budget(backend, task):
    budget = long_range.TASKS[task]
    for length in long_range.DEFAULT_LAGS:
        result = shipped(backend, length, task)
        assert result["key"] == long_range.cell_key(backend, task, length, 0)
        assert (result["metric"], result["chance"], result["steps"]) == (budget.metric, budget.chance, budget.steps)
        assert result["score"] >= 0 and result["seconds"] > 0


def test_shipped_temporal_order_separates_the_lstms_from_the_plain_rnn_at_length_100():
    chance = long_range.TASKS[TASK].chance
    for backend in LSTMS:
        assert shipped(backend, 100)["score"] >= 0.95, backend
    for length in (length for length in long_range.DEFAULT_LAGS if length >= 100):
        assert shipped("numpy-rnn", length)["score"] <= chance + 0.15, length


def test_shipped_adding_problem_separates_the_lstms_from_the_plain_rnn_from_length_100_on():
    for length in (length for length in long_range.DEFAULT_LAGS if length >= 100):
        for backend in LSTMS:
            assert shipped(backend, length, "adding-problem")["score"] <= 0.05, (backend, length)
        assert shipped("numpy-rnn", length, "adding-problem")["score"] >= 0.1, length


def test_zoo_lab_json_serves_the_series_tasks_from_the_shipped_results(tmp_path):
    out = parse_json(run_zoo("lab", "--backends", ",".join(BUNDLED), "--tasks", f"{TASK},adding-problem", "--lags", "100",
                             "--json", env={"XDG_CACHE_HOME": str(tmp_path)}, timeout=60))
    scores = {(r["task"], r["backend"]): r["score"] for r in out["results"]}
    assert set(scores) == {(t, b) for t in (TASK, "adding-problem") for b in BUNDLED}
    assert all(r["lag"] == 100 for r in out["results"])
    assert min(scores[TASK, b] for b in LSTMS) >= 0.95 and scores[TASK, "numpy-rnn"] <= long_range.TASKS[TASK].chance + 0.15
    assert max(scores["adding-problem", b] for b in LSTMS) <= 0.05 and scores["adding-problem", "numpy-rnn"] >= 0.1
    assert out["budget"][TASK]["steps"] == long_range.TASKS[TASK].steps
    assert not (tmp_path / "rnn-zoo").exists(), "shipped results must be served without training"


@pytest.mark.slow
def test_a_small_fresh_run_learns_the_order_at_a_short_length(tmp_path, monkeypatch):
    # A quarter of the budget's steps at length 10: the LSTM learns the order, as in the sweep's first cells.
    monkeypatch.setitem(long_range.TASKS, TASK, long_range.Budget(TASK, "length", "accuracy", 0.25, n=1000, epochs=10,
                                                    batch_size=32, lr=3e-3))
    result = long_range.run_cell("torch-lstm", TASK, 10, cache_dir=tmp_path)
    assert result["steps"] == 10 * 22 and result["score"] >= 0.9


def test_every_shipped_file_belongs_to_a_cell_of_the_current_budgets():
    cells = {long_range.cell_key(b, t, lag, seed) for b in BUNDLED for t in long_range.TASKS for lag in long_range.DEFAULT_LAGS
             for seed in long_range.DEFAULT_SEEDS}
    stale = {p.name for p in long_range.SHIPPED_DIR.iterdir() if p.stem not in cells}
    assert not stale, f"results of budgets that no longer exist: {sorted(stale)}"

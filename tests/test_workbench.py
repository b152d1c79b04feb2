"""The lab's core: the model catalog, the locked cache, isolation of failing backends, training jobs."""
import re

import numpy as np
import pytest

import zoo
from zoo import checkpoint
from zoo.plugins import registered_plugin
from zoo.prepare import encode_text
from zoo.pretrained import PRETRAINED_DIR
from zoo.workbench import TrainingJob, catalog, compare_series, compare_symbols, compare_text
from zoo.train import TrainConfig

from zoo_rnn.model import NumpyRNN


def shipped(kind):
    return [card for card in catalog((PRETRAINED_DIR,)) if card.kind == kind]


def test_catalog_describes_the_shipped_models():
    cards = catalog((PRETRAINED_DIR,))
    assert sorted(card.id for card in cards) == sorted(f"default/{p.stem}" for p in PRETRAINED_DIR.glob("*.safetensors"))
    text = {card.backend: card for card in cards if card.kind == "text"}
    assert set(text) == {"keras-lstm", "torch-lstm", "numpy-rnn"}
    assert text["torch-lstm"].classes == ("rotten", "fresh") and text["numpy-rnn"].family == "rnn"
    assert {card.target for card in cards if card.kind == "series" and not card.reads_symbols} == {"forecast"}
    symbols = [card for card in cards if card.reads_symbols]
    assert {card.dataset for card in symbols} == {"temporal-order"} and {card.target for card in symbols} == {None}
    assert all(card.symbols == ("X", "Y", "a", "b", "c", "d") and card.classes == ("XX", "XY", "YX", "YY") for card in symbols)


def test_symbol_models_answer_a_typed_sequence_with_their_own_trace():
    from zoo.datasets import load_dataset
    from zoo.prepare import decode_symbols, encode_symbols

    cards = [card for card in shipped("series") if card.reads_symbols]
    data = load_dataset("temporal-order", n=8, length=100, seed=123)
    for row in range(8):
        typed = decode_symbols(data.x[row], data.symbols)
        steps, labels = encode_symbols(typed, {"symbols": data.symbols})
        np.testing.assert_array_equal(steps, data.x[row])  # typing a sequence out loses nothing
        for answer in compare_symbols(typed, cards):
            assert answer.error is None, answer.error
            model = zoo.Backend.load(answer.card.path)
            np.testing.assert_allclose(answer.output, model.predict(data.x[row:row + 1])[0], atol=1e-5)
            assert answer.trace.tokens == labels and answer.trace.steps == 100
            if answer.card.family == "lstm":  # the shipped LSTMs solve the task at this length
                assert data.classes[int(np.argmax(answer.output))] == data.classes[int(data.y[row])], (answer.card.id, typed)


@pytest.mark.parametrize("typed, message", [
    ("", "type a sequence of symbols first"),
    ("X a b Z q", "reads the symbols X, Y, a, b, c, d; not 'Z', 'q'"),
])
def test_a_bad_symbol_sequence_is_a_clear_error(typed, message):
    cards = [card for card in shipped("series") if card.reads_symbols]
    with pytest.raises(zoo.InputError, match=re.escape(message)):
        answers = compare_symbols(typed, cards)
        raise zoo.InputError(answers[0].error)  # a per-model error must say the same


def test_a_corrupt_file_in_the_cache_does_not_hide_the_good_ones(tmp_path):
    (tmp_path / "broken.safetensors").write_bytes(b"not a checkpoint")
    good = zoo.Backend.load(next(PRETRAINED_DIR.glob("sunspots-numpy-rnn*")))
    good.save(tmp_path / "good.safetensors", checkpoint.read_metadata(next(PRETRAINED_DIR.glob("sunspots-numpy-rnn*"))))
    assert [card.path.name for card in catalog((tmp_path,))] == ["good.safetensors"]


def test_compare_text_answers_are_the_models_own_predictions():
    cards = shipped("text")
    answers = compare_text("Not bad at all: funny and sharp.", cards)
    assert [a.card for a in answers] == cards
    for answer in answers:
        model = zoo.Backend.load(answer.card.path)
        ids, tokens = encode_text("Not bad at all: funny and sharp.", checkpoint.read_metadata(answer.card.path)["preprocessing"])
        assert answer.error is None and answer.trace.tokens == tokens
        np.testing.assert_allclose(answer.output, model.predict(ids[None])[0], atol=1e-6)


@pytest.mark.parametrize("text, message", [("", "type a sentence"), ("   ", "type a sentence"), ("x" * 5001, "at most 5,000")])
def test_compare_text_refuses_empty_and_huge_text(text, message):
    with pytest.raises(zoo.InputError, match=message):
        compare_text(text, shipped("text"))


def test_compare_series_predicts_every_step_after_the_first_window():
    values = np.sin(np.arange(80) / 5.0) * 50 + 60
    for answer in compare_series(values, shipped("series")):
        assert answer.error is None
        assert answer.forecast.shape == (80 - 24,) and answer.trace.steps == 80


def test_compare_series_explains_what_does_not_fit():
    two_columns = np.ones((40, 2))
    answers = compare_series(two_columns, shipped("series"))
    assert all("reads 1 number(s) per step; the series has shape" in a.error for a in answers)
    assert all("needs more than 24 steps" in a.error for a in compare_series(np.ones(10), shipped("series")))
    with pytest.raises(zoo.InputError, match="NaN"):
        compare_series(np.array([1.0, np.nan] * 20), shipped("series"))


class RaisesAtRunTime(NumpyRNN):
    def _trace(self, x):
        raise RuntimeError("this plugin breaks when it runs")


class RaisingPlugin:
    @zoo.hookimpl
    def register_backends(self, register):
        register(zoo.BackendInfo(name="raising-rnn", family="rnn", framework="NumPy",
                                 factory="test_workbench:RaisesAtRunTime", module="numpy"))


def test_a_backend_that_raises_is_reported_and_the_others_still_answer(tmp_path):
    source = next(PRETRAINED_DIR.glob("rotten-tomatoes-numpy-rnn*"))
    with registered_plugin(RaisingPlugin(), "raising"):
        broken = RaisesAtRunTime.load(source, name="raising-rnn")
        broken.save(tmp_path / "raising.safetensors", checkpoint.read_metadata(source))
        cards = shipped("text") + [card for card in catalog((tmp_path,))]
        answers = {a.card.backend: a for a in compare_text("a fine film", cards)}
    assert "this plugin breaks when it runs" in answers["raising-rnn"].error
    assert all(answers[name].error is None for name in ("keras-lstm", "torch-lstm", "numpy-rnn"))


def test_a_checkpoint_of_an_unknown_backend_is_an_error_answer(tmp_path):
    source = next(PRETRAINED_DIR.glob("rotten-tomatoes-numpy-rnn*"))
    meta = checkpoint.read_metadata(source)
    model = zoo.Backend.load(source)
    model.name = "ghost-rnn"
    model.save(tmp_path / "ghost.safetensors", meta)
    (answer,) = compare_text("a fine film", catalog((tmp_path,)))
    assert "no backend named 'ghost-rnn'" in answer.error


def test_training_job_runs_in_the_background_and_saves_to_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    job = TrainingJob("numpy-rnn", "sunspots", TrainConfig(epochs=3)).start()
    job.join(120)
    assert job.status == "done", job.error
    assert job.fraction == 1.0 and len(job.curve) == len(checkpoint.read_metadata(job.result["checkpoint"])["history"]["loss"])
    assert job.result["checkpoint"].startswith(str(tmp_path))
    assert any(card.id == "trained/sunspots-numpy-rnn-seed0" for card in catalog())


def test_a_cancelled_job_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    job = TrainingJob("numpy-rnn", "rotten-tomatoes", TrainConfig(epochs=20), {"embedding_dim": 8})
    job.cancel()  # cancelled before the first batch ends
    job.start().join(120)
    assert job.status == "cancelled" and job.result is None
    assert not list(tmp_path.rglob("*.safetensors"))


def test_text_that_is_not_valid_unicode_is_refused():
    # A lone surrogate cannot come from a browser, but a script can send one.
    with pytest.raises(zoo.InputError, match=r"not valid Unicode \(a broken character at position 6\)"):
        compare_text("good \ud800 movie", catalog())


def test_a_lab_training_stops_at_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("RNN_ZOO_MAX_TRAINING_MINUTES", "1e-9")
    job = TrainingJob("numpy-rnn", "sunspots", TrainConfig(epochs=5))
    job.start().join(120)
    assert job.status == "cancelled" and "RNN_ZOO_MAX_TRAINING_MINUTES" in job.note and "nothing was saved" in job.note
    assert not list(tmp_path.rglob("*.safetensors"))


def test_limits_come_from_the_environment(monkeypatch):
    from zoo.limits import describe, limit

    monkeypatch.setenv("RNN_ZOO_MAX_TEXT_CHARS", "12")
    assert limit("text_chars") == 12
    with pytest.raises(zoo.InputError, match=r"at most 12 \(RNN_ZOO_MAX_TEXT_CHARS\)"):
        compare_text("a sentence longer than twelve", catalog())
    monkeypatch.setenv("RNN_ZOO_MAX_TEXT_CHARS", "-1")
    with pytest.raises(zoo.ZooError, match="RNN_ZOO_MAX_TEXT_CHARS='-1' is not a usable limit"):
        describe()


def test_the_catalog_reads_a_rewritten_checkpoint_again(tmp_path):
    """catalog() remembers each file's card while its modification time and size stay; a checkpoint
    replaced by another under the same name is read again, one deleted is gone."""
    import os
    import shutil

    from zoo.pretrained import PRETRAINED_DIR
    from zoo.workbench import catalog

    shipped = {card.backend: card for card in catalog((PRETRAINED_DIR,)) if card.dataset == "rotten-tomatoes"}
    path = tmp_path / "mine.safetensors"
    shutil.copy(shipped["numpy-rnn"].path, path)
    [card] = catalog((tmp_path,))
    assert card.backend == "numpy-rnn" and catalog((tmp_path,))[0] is card  # remembered
    shutil.copy(shipped["torch-lstm"].path, path)
    later = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(later, later))  # a different modification time even on a coarse clock
    [card] = catalog((tmp_path,))
    assert card.backend == "torch-lstm"
    path.unlink()
    assert catalog((tmp_path,)) == []

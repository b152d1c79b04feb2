"""Checkpoints are safetensors with JSON metadata: they round-trip, move between backends of a family,
and anything else (corrupt, truncated, oversized, a pickle in disguise) is refused with a clear error."""
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

import zoo
from zoo import checkpoint
from zoo.testing import TOKEN_SPEC, sample_inputs
from zoo.weights import random_weights


@pytest.fixture
def rnn():
    model = zoo.registry().create("numpy-rnn", TOKEN_SPEC)
    model.set_weights(random_weights(TOKEN_SPEC, 0, model.layout))
    return model


def test_metadata_travels_with_the_weights(rnn, tmp_path):
    path = rnn.save(tmp_path / "m.safetensors", {"vocabulary": ["<pad>", "<unk>", "좋다"]}) or tmp_path / "m.safetensors"
    meta = checkpoint.read_metadata(path)
    assert meta["backend"] == "numpy-rnn" and meta["family"] == "rnn" and meta["format"] == checkpoint.FORMAT
    assert meta["vocabulary"][2] == "좋다"
    assert zoo.ModelSpec.from_dict(meta["spec"]) == TOKEN_SPEC
    loaded = zoo.Backend.load(path)
    x = sample_inputs(TOKEN_SPEC, 2, 5)
    assert loaded.name == "numpy-rnn"
    np.testing.assert_array_equal(loaded.predict(x), rnn.predict(x))


def test_an_lstm_checkpoint_does_not_load_into_a_plain_rnn(tmp_path):
    from zoo.testing import build

    lstm = build("torch-lstm", TOKEN_SPEC, weights_seed=0)
    lstm.save(tmp_path / "lstm.safetensors")
    with pytest.raises(zoo.CheckpointError, match="lstm weights from torch-lstm"):
        zoo.Backend.load(tmp_path / "lstm.safetensors", name="numpy-rnn")


@pytest.mark.parametrize("content", [
    b"",
    b"\x00" * 64,
    os.urandom(4096),
    b'{"not": "safetensors"}',
])
def test_garbage_is_refused(tmp_path, content):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(zoo.CheckpointError, match="bad.safetensors"):
        checkpoint.read(path)


def test_a_truncated_checkpoint_is_refused(rnn, tmp_path):
    path = tmp_path / "m.safetensors"
    rnn.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(zoo.CheckpointError):
        checkpoint.read(path)


class Boobytrap:
    def __reduce__(self):
        return (Path.touch, (Path(os.environ["BOOBYTRAP"]),))


def test_a_pickle_disguised_as_weights_is_never_executed(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    monkeypatch.setenv("BOOBYTRAP", str(marker))
    path = tmp_path / "weights.safetensors"
    path.write_bytes(pickle.dumps({"recurrent.0.W": Boobytrap()}))
    with pytest.raises(zoo.CheckpointError):
        zoo.Backend.load(path)
    assert not marker.exists()


def test_a_safetensors_file_that_is_not_ours_is_refused(tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "other.safetensors"
    save_file({"w": np.zeros(3, np.float32)}, str(path))
    with pytest.raises(zoo.CheckpointError, match="not an RNN Zoo checkpoint"):
        checkpoint.read(path)


def test_an_oversized_checkpoint_is_refused_before_reading(rnn, tmp_path, monkeypatch):
    path = tmp_path / "m.safetensors"
    rnn.save(path)
    monkeypatch.setenv("RNN_ZOO_MAX_CHECKPOINT_MB", str(100 / 2**20))
    with pytest.raises(zoo.CheckpointError, match="over the .* limit .*RNN_ZOO_MAX_CHECKPOINT_MB"):
        checkpoint.read(path)


def test_tensors_that_do_not_fit_the_spec_are_refused(rnn, tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "m.safetensors"
    rnn.save(path)
    meta = checkpoint.read_metadata(path)
    weights = rnn.get_weights()
    weights["output.W"] = np.zeros((9, 9), np.float32)
    save_file(weights, str(path), metadata={checkpoint.METADATA_KEY: __import__("json").dumps(meta)})
    with pytest.raises(zoo.WeightsError, match="output.W"):
        zoo.Backend.load(path)


def test_a_crash_during_save_leaves_the_previous_checkpoint_intact(rnn, tmp_path, monkeypatch):
    import safetensors.numpy

    path = tmp_path / "m.safetensors"
    rnn.save(path)
    before = path.read_bytes()

    def crash(tensors, filename, metadata=None):
        Path(filename).write_bytes(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(safetensors.numpy, "save_file", crash)
    with pytest.raises(KeyboardInterrupt):
        rnn.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]


def test_caller_metadata_cannot_overwrite_what_describes_the_weights(rnn, tmp_path):
    path = tmp_path / "m.safetensors"
    rnn.save(path, {"backend": "torch-lstm", "family": "lstm", "spec": {"input": "features"}, "format": "mine", "note": "kept"})
    meta = checkpoint.read_metadata(path)
    assert (meta["backend"], meta["family"], meta["spec"]["input"], meta["note"]) == ("numpy-rnn", "rnn", "tokens", "kept")
    assert meta["format"] == checkpoint.FORMAT

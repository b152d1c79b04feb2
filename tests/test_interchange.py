"""What every model format shares (zoo.interchange): the format hook, vocabulary files, parity against the
file's own framework, and the checkpoint an import writes. A throwaway format plugin stands in for a
framework here: canonical weights in an .npz file, its "own framework" the NumPy reference."""
import json
from pathlib import Path

import numpy as np
import pytest

import zoo
from zoo import interchange, reference
from zoo.backend import Backend
from zoo.family import RNN
from zoo.plugins import registered_plugin
from zoo.spec import ModelSpec
from zoo.weights import random_weights

SPEC = ModelSpec(vocab_size=12, embedding_dim=4, recurrent=(5,), head=(3,), dropout=0.0)


def read_npz(path, head_activation=None, task=None):
    """A reader as a plugin writes one: weights and spec only, nothing executed (no pickle)."""
    with np.load(path, allow_pickle=False) as data:
        weights = {name: data[name] for name in data.files if name != "spec"}
        spec = ModelSpec.from_dict(json.loads(bytes(data["spec"]).decode()))
    if head_activation is not None:
        spec = spec.replace(activation=head_activation)

    def original(x):  # "the file's own framework": the reference equations
        return np.stack([reference.forward(weights, spec, "rnn", row).output for row in x])

    return interchange.Imported(spec, "rnn", weights, "NumPy npz", original, notes=["read by the test's format"])


def write_npz(spec, family, weights, out):
    out = Path(out)
    np.savez(out, spec=np.frombuffer(json.dumps(spec.to_dict()).encode(), dtype=np.uint8), **weights)
    return [out]


class NpzFormat:
    @zoo.hookimpl
    def register_formats(self, register):
        register(zoo.FormatInfo(name="npz-weights", framework="NumPy npz", suffixes=(".npz",),
                                reader="test_interchange:read_npz", writer="test_interchange:write_npz", module="numpy"))


@pytest.fixture
def npz_format():
    with registered_plugin(NpzFormat(), "npz-format"):
        yield


def npz_model(path: Path) -> Path:
    write_npz(SPEC, "rnn", random_weights(SPEC, 3, RNN), path)
    return path


def test_an_import_checks_parity_and_writes_a_checkpoint_every_backend_of_the_family_reads(npz_format, tmp_path):
    source = npz_model(tmp_path / "mine.npz")
    result = interchange.import_model(source, tmp_path / "mine.safetensors")
    assert result.backend == "numpy-rnn" and set(result.parity) == {"numpy-rnn"}
    assert result.parity["numpy-rnn"] <= interchange.PARITY_TOLERANCE and result.to_dict()["within_tolerance"]
    model = Backend.load(result.path)
    x = np.array([3, 1, 7, 2])
    np.testing.assert_allclose(model.predict(x[None])[0], read_npz(source).original(x[None])[0], atol=1e-5)
    meta = zoo.checkpoint.read_metadata(result.path)
    assert meta["imported"]["file"] == "mine.npz" and meta["imported"]["notes"] == ["read by the test's format"]
    assert meta["preprocessing"]["vocabulary"][:4] == ["<pad>", "<unk>", "2", "3"]  # no vocabulary: it reads ids


def test_export_then_import_gives_the_same_weights_bit_for_bit(npz_format, tmp_path):
    first = interchange.import_model(npz_model(tmp_path / "a.npz"), tmp_path / "a.safetensors")
    [written] = interchange.export_model(first.path, "npz-weights", tmp_path / "b.npz")
    second = interchange.import_model(written, tmp_path / "b.safetensors")
    a, b = Backend.load(first.path).get_weights(), Backend.load(second.path).get_weights()
    assert set(a) == set(b) and all(np.array_equal(a[k], b[k]) for k in a)


def test_a_file_no_installed_format_reads_is_named_with_the_ones_that_are(tmp_path):
    path = tmp_path / "model.onnx"
    path.write_bytes(b"\x08\x07")
    with pytest.raises(zoo.BackendUnavailable, match=r"no installed plugin reads \.onnx files \(readable: .*\.keras"):
        interchange.import_model(path)


@pytest.mark.parametrize("content, suffix, expected", [
    ("<pad>\n<unk>\ngood\nbad\n", ".txt", ["<pad>", "<unk>", "good", "bad"]),
    ('["", "[UNK]", "good", "bad"]', ".json", ["<pad>", "<unk>", "good", "bad"]),  # TextVectorization's
    ('{"good": 1, "bad": 2}', ".json", ["<pad>", "<unk>", "bad"]),  # a Tokenizer's word_index: ids from 1
    ('{"<pad>": 0, "<unk>": 1, "fun": 2}', ".json", ["<pad>", "<unk>", "fun"]),
])
def test_vocabulary_files(tmp_path, content, suffix, expected):
    path = tmp_path / f"vocab{suffix}"
    path.write_text(content, encoding="utf-8")
    tokens = interchange.read_vocabulary(path, vocab_size=6)
    assert tokens[:len(expected)] == expected and len(tokens) == 6  # padded to the embedding: every id addressable


@pytest.mark.parametrize("content, message", [
    ('{"a": 0, "b": 5}', "not 0..n-1"),
    ("[1, 2]", "list of tokens or an object"),
    ("{oops", "not valid JSON"),
    ("a\nb\na\n", "lists a token twice"),
    ("\n".join(f"t{i}" for i in range(9)), "9 tokens, the model's embedding only 6"),
])
def test_bad_vocabulary_files_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "vocab.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(zoo.InputError, match=message):
        interchange.read_vocabulary(path, vocab_size=6)


def test_zoo_formats_lists_every_format_and_zoo_plugins_says_who_registered_it(npz_format, capsys):
    from zoo.cli import main

    assert main(["formats", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["keras"]["suffixes"] == [".keras", ".h5"] and rows["torch"]["plugin"] == "zoo_torch"
    assert rows["npz-weights"] == {"name": "npz-weights", "framework": "NumPy npz", "suffixes": [".npz"],
                                   "plugin": "npz-format", "status": "available", "reason": ""}
    assert main(["plugins", "--json"]) == 0
    plugins = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert plugins["npz-format"]["formats"] == ["npz-weights"] and plugins["zoo_keras"]["formats"] == ["keras"]

"""Traces leave the zoo: a trace as CSV (`zoo trace --csv`), and a text model's states over a dataset split
as an LSTMVis project (`zoo trace --lstmvis`), read back as LSTMVis reads it and checked against the trace."""
import csv
import io
import json
from pathlib import Path

import h5py
import numpy as np
import pytest

from zoo import checkpoint
from zoo.backend import Backend
from zoo.errors import InputError
from zoo.lstmvis import export_lstmvis, write_project, yaml_text
from zoo.plugins import registry
from zoo.pretrained import PRETRAINED_DIR
from zoo.spec import ModelSpec
from zoo.trace import CSV_ENCODING

from conftest import require_module, run_python, run_zoo

yaml = require_module("yaml", "pip install pyyaml (Gradio depends on it)")

REVIEWS_LSTM = PRETRAINED_DIR / "rotten-tomatoes-torch-lstm-seed0.safetensors"
REVIEWS_RNN = PRETRAINED_DIR / "rotten-tomatoes-numpy-rnn-seed0.safetensors"
NOTES_RNN = PRETRAINED_DIR / "long-dependency-numpy-rnn-seed0.safetensors"
SUNSPOTS_RNN = PRETRAINED_DIR / "sunspots-numpy-rnn-seed0.safetensors"


def read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    return header, rows


def assert_csv_is_the_trace(text: str, trace, atol: float = 0.0) -> None:
    """Every column of the CSV is one unit of one of the trace's arrays, every number the float32 it holds
    (within ``atol`` when the trace was computed in another process, whose torch may use other threads)."""
    header, rows = read_csv(text)
    assert len(rows) == trace.steps
    assert [int(row[0]) for row in rows] == list(range(trace.steps))
    start = 1
    if trace.tokens is not None:
        assert header[:2] == ["step", "input"] and [row[1] for row in rows] == trace.tokens
        start = 2
    expected = [f"{name}[{unit}]" for name, value in trace.arrays().items() for unit in range(value.shape[1])]
    assert header[start:] == expected
    table = np.array([row[start:] for row in rows], dtype=np.float32)
    np.testing.assert_allclose(table, np.concatenate(list(trace.arrays().values()), axis=1), rtol=0, atol=atol)


# ----- CSV -----
def test_a_trace_as_csv_has_a_column_per_layer_quantity_and_unit():
    model = registry().create("torch-lstm", ModelSpec(recurrent=(4, 3)), seed=1)
    tokens = ["he", "said", ",", '"', "hi", "영화", "🙂", "a, \"quoted\"\nline"]
    trace = model.trace(np.arange(2, 2 + len(tokens)), tokens=tokens)
    text = trace.csv_text()
    header, _ = read_csv(text)
    assert header[:8] == ["step", "input", "readout[0]", "layer0.h[0]", "layer0.h[1]", "layer0.h[2]", "layer0.h[3]", "layer0.c[0]"]
    assert {"layer0.f[3]", "layer1.o[2]", "layer1.c[2]"} <= set(header) and "layer1.h[3]" not in header
    assert_csv_is_the_trace(text, trace)
    assert '"a, ""quoted""\nline"' in text  # quoted as RFC 4180 says: doubled quotes inside quotes


def test_a_series_trace_without_tokens_has_no_input_column(tmp_path):
    model = registry().create("numpy-rnn", ModelSpec(input="features", n_features=2, recurrent=(3,)), seed=0)
    trace = model.trace(np.random.default_rng(0).normal(size=(5, 2)).astype(np.float32))
    assert read_csv(trace.csv_text())[0] == ["step", "readout[0]", "layer0.h[0]", "layer0.h[1]", "layer0.h[2]"]
    trace.save_csv(tmp_path / "trace.csv")
    raw = (tmp_path / "trace.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfstep,"), "a byte-order mark, so spreadsheets read UTF-8"
    assert_csv_is_the_trace(raw.decode(CSV_ENCODING), trace)


def test_zoo_trace_csv_writes_the_checkpoints_trace(tmp_path):
    from zoo.prepare import encode_text

    path = tmp_path / "review.csv"
    text = 'A "gorgeous", witty movie: 영화 🙂'
    out = run_zoo("trace", "--checkpoint", str(REVIEWS_LSTM), "--text", text, "--csv", str(path))
    assert out.returncode == 0, out.stderr
    assert f"to {path}" in out.stdout
    model = Backend.load(REVIEWS_LSTM)
    ids, tokens = encode_text(text, checkpoint.read_metadata(REVIEWS_LSTM)["preprocessing"])
    # The CLI traced in its own process: the same model to float32 rounding (1 ulp where torch's thread count differs).
    assert_csv_is_the_trace(path.read_text(encoding=CSV_ENCODING), model.trace(ids, tokens=tokens), atol=1e-6)


@pytest.mark.parametrize("args, message", [
    (["--csv", "t.csv", "--json"], "not allowed with argument"),
    (["--csv", "t.csv", "--out", "t.npz"], "not allowed with argument"),
    (["--lstmvis", "project", "--csv", "t.csv"], "not allowed with argument"),
])
def test_one_output_at_a_time(tmp_path, args, message):
    out = run_zoo("trace", "--backend", "numpy-rnn", "--text", "hi", *args)
    assert out.returncode == 2 and message in out.stderr


def test_the_lstmvis_options_need_lstmvis():
    out = run_zoo("trace", "--backend", "numpy-rnn", "--text", "hi", "--dataset", "rotten-tomatoes", "--sequences", "3")
    assert out.returncode == 2 and "--dataset, --sequences: only with --lstmvis" in out.stderr


def test_a_trace_needs_an_input():
    out = run_zoo("trace", "--backend", "numpy-rnn")
    assert out.returncode == 2 and "--text or --series" in out.stderr and "Traceback" not in out.stderr


# ----- LSTMVis -----
def read_lstmvis(directory) -> dict:
    """The project as LSTMVis's data handler reads it: lstm.yml's files by reference name (.h5 opened with
    h5py, .dict split into word and id), the word sequence and every states type by its path."""
    config = yaml.safe_load((directory / "lstm.yml").read_text(encoding="utf-8"))
    files = config["files"]
    h5 = {key: h5py.File(directory / name, "r") for key, name in files.items() if name.endswith((".h5", ".hdf5"))}
    dicts = {}
    for key, name in files.items():
        if name.endswith(".dict"):
            pairs = [line.split() for line in (directory / name).read_text(encoding="utf-8").splitlines() if line]
            assert all(len(pair) == 2 for pair in pairs), "LSTMVis reads each line as exactly a word and an id"
            dicts[key] = {int(i): word for word, i in pairs}
    words = config["word_sequence"]
    word_ids = h5[words["file"]][words["path"]][()]
    states = {t["path"]: (t["type"], t["layer"], h5[t.get("file", config["states"]["file"])][t["path"]][()])
              for t in config["states"]["types"]}
    lengths = h5[words["file"]]["sequence_lengths"][()]
    for f in h5.values():
        f.close()
    return {"config": config, "word_ids": word_ids, "dictionary": dicts[words["dict_file"]], "states": states,
            "lengths": lengths}


def evaluated_split(path):
    """The test split as `zoo evaluate` prepares it for this checkpoint (its own dataset, vocabulary and
    split seed), and the vocabulary."""
    from zoo.train import TrainConfig, prepare_dataset

    meta = checkpoint.read_metadata(path)
    prepared = prepare_dataset(meta["dataset"], meta["dataset_params"], TrainConfig(**meta["config"]),
                               Backend.load(path).spec, state=meta["preprocessing"])
    return prepared.test, meta["preprocessing"]["vocabulary"]


@pytest.mark.parametrize("path, kinds", [(REVIEWS_LSTM, ["state", "output"]), (REVIEWS_RNN, ["output"])])
def test_an_lstmvis_project_holds_the_trace_of_every_sequence(tmp_path, path, kinds):
    project = export_lstmvis(path, tmp_path / "reviews", sequences=12)
    model = Backend.load(path)
    data, vocabulary = evaluated_split(path)
    lengths = data.lengths[:12]
    assert (project.sequences, project.split_size, project.steps) == (12, len(data), lengths.sum())
    assert (project.split, project.dataset) == ("test", "rotten-tomatoes")
    read = read_lstmvis(tmp_path / "reviews")
    layers = len(model.spec.recurrent)
    assert [(t["type"], t["layer"]) for t in read["config"]["states"]["types"]] == \
        [(kind, layer) for layer in range(1, layers + 1) for kind in kinds]
    assert list(read["lengths"]) == list(lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)])
    assert read["word_ids"].shape == (lengths.sum(),)
    assert read["dictionary"] == dict(enumerate(vocabulary))
    for row, length in enumerate(lengths):
        ids = data.x[row, :length]
        np.testing.assert_array_equal(read["word_ids"][starts[row]:starts[row + 1]], ids)
        trace = model.trace(ids)
        for name, (kind, layer, values) in read["states"].items():
            assert values.shape == (lengths.sum(), model.spec.recurrent[layer - 1]) and values.dtype == np.float32
            want = trace.layers[layer - 1].c if kind == "state" else trace.layers[layer - 1].h
            np.testing.assert_allclose(values[starts[row]:starts[row + 1]], want, atol=1e-6, err_msg=f"{name}, sequence {row}")


def test_zoo_trace_lstmvis_reads_another_text_dataset_with_the_models_vocabulary(tmp_path):
    """The notes' model on the first reviews of the validation split: the words it knows keep their ids,
    the others read as <unk>, and the states are its trace of those ids."""
    from zoo.datasets import load_dataset
    from zoo.prepare import split_indices
    from zoo.text import tokenize

    out = run_zoo("trace", "--checkpoint", str(NOTES_RNN), "--dataset", "rotten-tomatoes", "--split", "validation",
                  "--sequences", "3", "--lstmvis", str(tmp_path / "notes-on-reviews"))
    assert out.returncode == 0, out.stderr
    assert "traced the first 3 of the 1,921 sequences of the validation split of rotten-tomatoes" in out.stdout
    assert f"python server.py -dir {tmp_path}" in out.stdout
    read = read_lstmvis(tmp_path / "notes-on-reviews")
    state = checkpoint.read_metadata(NOTES_RNN)["preprocessing"]
    reviews = load_dataset("rotten-tomatoes")
    tokenized = [tokenize(text) for text in reviews.texts]
    keep = [i for i, tokens in enumerate(tokenized) if tokens]
    validation = [tokenized[keep[i]][: state["max_length"]] for i in split_indices(len(keep), 0)[1][:3]]
    known = set(state["vocabulary"])
    words = [read["dictionary"][i] for i in read["word_ids"]]
    assert words == [token if token in known else "<unk>" for tokens in validation for token in tokens]
    assert "<unk>" in words and sum(w != "<unk>" for w in words) > 0
    model = Backend.load(NOTES_RNN)
    [(kind, layer, h)] = read["states"].values()
    assert kind == "output" and layer == 1
    np.testing.assert_allclose(h[: len(validation[0])], model.trace(read["word_ids"][: len(validation[0])]).layers[0].h, atol=1e-6)


def test_a_checkpoint_of_no_registered_dataset_reads_the_one_it_is_given(tmp_path):
    """An imported model says where it came from, not a dataset: --dataset names one, and the default
    training config's split seed splits it."""
    from zoo.text import Vocabulary

    vocabulary = Vocabulary(["he", "likes", "a", "girl", "boy", "but"]).tokens
    model = registry().create("numpy-rnn", ModelSpec(vocab_size=len(vocabulary), recurrent=(5,)), seed=3)
    path = model.save(tmp_path / "imported.safetensors", {
        "dataset": "imported my-model.keras", "preprocessing": {"kind": "text", "vocabulary": vocabulary, "max_length": 40}})
    with pytest.raises(InputError, match="the checkpoint's own dataset, 'imported my-model.keras', is not registered: "
                                         "choose a text dataset with --dataset \\(.*long-dependency"):
        export_lstmvis(path, tmp_path / "project")
    project = export_lstmvis(path, tmp_path / "project", dataset="long-dependency", sequences=4)
    read = read_lstmvis(tmp_path / "project")
    assert project.sequences == 4 and {"he", "likes", "but"} <= {read["dictionary"][i] for i in read["word_ids"]}
    [(_, _, h)] = read["states"].values()
    first = read["lengths"][0]
    np.testing.assert_allclose(h[:first], model.trace(read["word_ids"][:first]).layers[0].h, atol=1e-6)


def test_white_space_inside_a_token_stays_one_dict_field(tmp_path):
    model = registry().create("numpy-rnn", ModelSpec(vocab_size=6, recurrent=(3,)), seed=0)
    vocabulary = ["<pad>", "<unk>", "new york", "tab\there", "", "ok"]
    write_project(model, np.array([[2, 3, 4, 5]]), np.array([4]), vocabulary, tmp_path, name="odd tokens")
    read = read_lstmvis(tmp_path)
    assert read["dictionary"] == {0: "<pad>", 1: "<unk>", 2: "new▁york", 3: "tab▁here", 4: "▁", 5: "ok"}


def test_the_yaml_writer_round_trips_through_a_yaml_parser():
    config = {"name": 'a "quoted": name # not a comment, 영화 🙂', "description": "line\nbreak\tand \\ backslash",
              "files": {"states": "states.h5"}, "states": {"file": "states", "types": [{"type": "state", "layer": 1, "path": "s: 1"}]}}
    assert yaml.safe_load(yaml_text(config)) == config


@pytest.mark.parametrize("call, message", [
    (lambda d: export_lstmvis(SUNSPOTS_RNN, d), "reads numbers"),
    (lambda d: export_lstmvis(REVIEWS_RNN, d, dataset="sunspots"), "sunspots is a series dataset"),
    (lambda d: export_lstmvis(REVIEWS_RNN, d, dataset="no-such-set"), "no registered dataset is named 'no-such-set'"),
    (lambda d: export_lstmvis(REVIEWS_RNN, d, sequences=0), "at least 1"),
    (lambda d: export_lstmvis(REVIEWS_RNN, d, split="dev"), "train, validation, test"),
])
def test_what_lstmvis_cannot_show_is_refused_before_anything_is_written(tmp_path, call, message):
    with pytest.raises(InputError, match=message):
        call(tmp_path / "project")
    assert not (tmp_path / "project").exists()


@pytest.mark.parametrize("args", [
    ["--backend", "numpy-rnn", "--lstmvis", "project"],
    ["--checkpoint", str(REVIEWS_RNN), "--text", "hi", "--lstmvis", "project"],
])
def test_lstmvis_traces_a_checkpoint_on_a_split_not_one_input(tmp_path, args):
    out = run_zoo("trace", *args)
    assert out.returncode == 2 and "--lstmvis traces a dataset's split" in out.stderr and "Traceback" not in out.stderr


def test_importing_the_core_loads_no_hdf5_nor_framework():
    out = run_python("import sys, json, zoo, zoo.cli, zoo.lstmvis, zoo.trace; "
                     "print(json.dumps([m for m in ('h5py', 'torch', 'tensorflow', 'gradio') if m in sys.modules]))")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_the_readmes_lstmvis_example_is_what_the_command_prints(tmp_path):
    out = run_zoo("trace", "--checkpoint", str(PRETRAINED_DIR / "long-dependency-torch-lstm-seed0.safetensors"),
                  "--lstmvis", str(tmp_path / "notes"))
    assert out.returncode == 0, out.stderr
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert out.stdout.splitlines()[0] in readme

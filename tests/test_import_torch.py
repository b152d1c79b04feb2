"""The PyTorch format (zoo_torch.files): state_dicts of models built and trained in plain torch, saved as
.pt, .pth and .safetensors, imported and checked against torch's own output; hostile and unsupported
files refused with nothing run or written; exports that plain torch loads without the zoo."""
import json
from pathlib import Path

import numpy as np
import pytest

import zoo
from zoo import interchange
from zoo.backend import Backend
from zoo.family import family as family_named
from zoo.messages import message, say
from zoo.spec import ModelSpec
from zoo.weights import random_weights

from conftest import missing, parse_json, require_module, run_python, run_zoo

torch = require_module("torch", "pip install torch==2.13.0")
nn = torch.nn
safetensors_torch = require_module("safetensors.torch", "pip install safetensors")
from zoo_torch import files as torch_files  # noqa: E402  (imports torch)

TOLERANCE = interchange.PARITY_TOLERANCE


# ----- models as their users write them: their own classes, their own forward -----

class TextLSTMs(nn.Module):
    """Embedding → two stacked nn.LSTM modules → Linear(relu) → Linear → sigmoid."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(40, 6)
        self.lstm1 = nn.LSTM(6, 8)  # sequence-first, as nn.LSTM defaults
        self.lstm2 = nn.LSTM(8, 5)
        self.hidden = nn.Linear(5, 4)
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        a, _ = self.lstm1(self.embedding(x).transpose(0, 1))
        a, _ = self.lstm2(a)
        return torch.sigmoid(self.out(torch.relu(self.hidden(a[-1]))))


class StackedLSTM(nn.Module):
    """Numbers → one nn.LSTM with num_layers=2, batch_first → Linear: a regression."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 7, num_layers=2, batch_first=True)
        self.fc = nn.Linear(7, 1)

    def forward(self, x):
        a, _ = self.lstm(x)
        return self.fc(a[:, -1])


class TextGRU(nn.Module):
    """Embedding → nn.GRU → Linear → sigmoid."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(30, 5)
        self.gru = nn.GRU(5, 6, batch_first=True)
        self.classifier = nn.Linear(6, 1)

    def forward(self, x):
        a, _ = self.gru(self.embed(x))
        return torch.sigmoid(self.classifier(a[:, -1]))


class NumberRNN(nn.Module):
    """Numbers → nn.RNN → Linear(tanh) → Linear → softmax over 3 classes. Its names sort out of running
    order ("decision" before "proj"), as a safetensors file keeps them: the widths chain them back."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(2, 6, batch_first=True)
        self.proj = nn.Linear(6, 4)
        self.decision = nn.Linear(4, 3)

    def forward(self, x):
        a, _ = self.rnn(x)
        return torch.softmax(self.decision(torch.tanh(self.proj(a[:, -1]))), dim=-1)


def inputs(model, rows, steps, seed):
    """Token ids (no padding id 0) for a model with an embedding, else numbers."""
    rng = np.random.default_rng(seed)
    embedding = next((m for m in model.modules() if isinstance(m, nn.Embedding)), None)
    if embedding is not None:
        return rng.integers(1, embedding.num_embeddings, size=(rows, steps))
    features = next(m for m in model.modules() if isinstance(m, nn.RNNBase)).input_size
    return rng.normal(size=(rows, steps, features)).astype(np.float32)


def trained(model_class, task, seed=0):
    """``model_class`` trained a few Adam steps on random data: weights no initialiser made."""
    torch.manual_seed(seed)
    model = model_class()
    x = torch.from_numpy(inputs(model, 16, 9, seed))
    outputs = model(x)
    y = {"binary": torch.randint(0, 2, outputs.shape).float(), "regression": torch.randn(outputs.shape),
         "multiclass": torch.randint(0, outputs.shape[-1], outputs.shape[:1])}[task]
    loss = {"binary": nn.functional.binary_cross_entropy, "regression": nn.functional.mse_loss,
            "multiclass": lambda p, t: nn.functional.nll_loss(torch.log(p), t)}[task]
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(5):
        optimizer.zero_grad()
        loss(model(x), y).backward()
        optimizer.step()
    return model.eval()


def own_output(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


def require_gru(example_plugin):
    if not zoo.registry().available_backends("gru"):
        missing("no GRU backend: the torch-gru example plugin (make installs it) is not available")


CASES = {  # model, how it is saved, the flags, the family and spec the import must make of it
    "embedding, two nn.LSTM, relu head, .pt": (
        TextLSTMs, ".pt", {"head_activation": "relu"}, "lstm",
        {"input": "tokens", "vocab_size": 40, "embedding_dim": 6, "recurrent": [8, 5], "head": [4], "activation": "relu",
         "task": "binary"}),
    "nn.LSTM num_layers=2 batch_first, .pth": (
        StackedLSTM, ".pth", {"task": "regression"}, "lstm",
        {"input": "features", "n_features": 3, "recurrent": [7, 7], "head": [], "task": "regression"}),
    "embedding, nn.GRU, safetensors": (
        TextGRU, ".safetensors", {}, "gru",
        {"input": "tokens", "vocab_size": 30, "embedding_dim": 5, "recurrent": [6], "head": [], "task": "binary"}),
    "nn.RNN on numbers, multiclass, safetensors": (
        NumberRNN, ".safetensors", {}, "rnn",
        {"input": "features", "n_features": 2, "recurrent": [6], "head": [4], "activation": "tanh",
         "task": "multiclass", "n_classes": 3}),
}


def save(model, path: Path) -> Path:
    if path.suffix == ".safetensors":
        safetensors_torch.save_file(model.state_dict(), str(path))
    else:
        torch.save(model.state_dict(), path)
    return path


@pytest.mark.parametrize("case", CASES)
def test_a_trained_state_dict_imports_and_every_backend_predicts_as_torch_does(case, tmp_path, example_plugin):
    model_class, suffix, flags, family, expected = CASES[case]
    if family == "gru":
        require_gru(example_plugin)
    model = trained(model_class, expected["task"])
    source = save(model, tmp_path / f"mine{suffix}")
    result = interchange.import_model(source, tmp_path / "x.safetensors", **flags)

    spec = result.spec.to_dict()
    assert result.family == family and {k: spec[k] for k in expected} == expected
    assert set(result.parity) == {e.name for e in zoo.registry().available_backends(result.family)}
    assert max(result.parity.values()) <= TOLERANCE, result.parity
    x = inputs(model, 5, 11, seed=7)
    np.testing.assert_allclose(Backend.load(result.path).predict(x), own_output(model, x), atol=TOLERANCE, rtol=0)
    assert any(note.startswith("task ") for note in result.notes) == ("task" not in flags)


def test_the_reader_says_what_it_assumed(tmp_path):
    imported = torch_files.read(save(trained(NumberRNN, "multiclass"), tmp_path / "rnn.pt"))
    assert imported.notes == [
        "head activation tanh: assumed, a state_dict cannot tell (--head-activation sets it)",
        "task multiclass: assumed from 3 outputs (--task sets it)",
        "nn.RNN read as tanh (nonlinearity='relu' does not show in a state_dict; the zoo's RNN is tanh)",
    ]
    # The notes keep their keys, so the page says them in its language.
    assert [say(note, "ko") for note in imported.notes][1:] == ["과제 multiclass: 출력 3개에서 가정했습니다(--task로 정함)",
                                                               message("note_rnn_as_tanh").said("ko")]


def test_double_precision_weights_are_read_as_float32(tmp_path):
    model = trained(NumberRNN, "multiclass").double()
    imported = torch_files.read(save(model, tmp_path / "rnn.safetensors"))
    assert "float64 weights read as float32" in imported.notes
    x = inputs(model, 3, 6, seed=2)
    np.testing.assert_allclose(imported.original(x), own_output(model, x.astype(np.float64)), atol=TOLERANCE, rtol=0)

def test_a_state_dict_nested_in_a_training_checkpoint_is_found(tmp_path):
    model = trained(NumberRNN, "multiclass")
    path = tmp_path / "epoch3.pt"
    torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "optimizer": {"lr": 0.05}}, path)
    imported = torch_files.read(path)
    x = inputs(model, 3, 6, seed=1)
    np.testing.assert_allclose(imported.original(x), own_output(model, x), atol=TOLERANCE, rtol=0)


# ----- refused: nothing in the file runs, nothing is written -----

class Payload:
    """Unpickling this calls open(marker, "w"): code a plain pickle.load would run."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_a_pickle_payload_in_a_pt_file_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "the payload ran"
    path = tmp_path / "model.pt"
    torch.save({**state_dict(rnn=nn.RNN(3, 4), fc=nn.Linear(4, 1)), "trap": Payload(marker)}, path)
    out = tmp_path / "x.safetensors"
    with pytest.raises(zoo.InputError, match=r"Python objects besides tensors \(io\.open\).*nothing in it was run"):
        interchange.import_model(path, out)
    assert not marker.exists() and not out.exists()
    torch.load(path, weights_only=False)["trap"].close()  # the file is hostile indeed: unpickled, it runs
    assert marker.exists()


def test_a_whole_pickled_module_is_refused_with_what_to_save_instead(tmp_path):
    path = tmp_path / "whole.pt"
    torch.save(trained(NumberRNN, "multiclass"), path)
    with pytest.raises(zoo.InputError, match=r"\(test_import_torch\.NumberRNN\).*save model\.state_dict\(\) instead"):
        interchange.import_model(path, tmp_path / "x.safetensors")
    assert not (tmp_path / "x.safetensors").exists()


@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_a_truncated_file_is_refused_clearly(tmp_path, suffix):
    whole = save(trained(NumberRNN, "multiclass"), tmp_path / f"whole{suffix}").read_bytes()
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(whole[:len(whole) * 2 // 3])
    with pytest.raises(zoo.CheckpointError, match=rf"cut\{suffix} is not a readable .*truncated or corrupt"):
        interchange.import_model(path, tmp_path / "x.safetensors")
    assert not (tmp_path / "x.safetensors").exists()


def state_dict(**modules) -> dict:
    """The state_dict of modules registered in this order, as a model's would be."""
    return nn.ModuleDict(modules).state_dict()


REFUSED = {
    "bidirectional": (lambda: state_dict(lstm=nn.LSTM(3, 4, bidirectional=True), fc=nn.Linear(8, 1)),
                      r"'lstm' is bidirectional"),
    "proj_size": (lambda: state_dict(lstm=nn.LSTM(3, 4, proj_size=2), fc=nn.Linear(2, 1)),
                  r"'lstm' has proj_size"),
    "bias=False": (lambda: state_dict(gru=nn.GRU(3, 4, bias=False), fc=nn.Linear(4, 1)),
                   r"'gru' has no bias_ih_l0 or bias_hh_l0: bias=False"),
    "a Linear without bias": (lambda: state_dict(rnn=nn.RNN(3, 4), fc=nn.Linear(4, 1, bias=False)),
                              r"'fc' has a weight \(1, 4\) and no bias"),
    "LayerNorm": (lambda: state_dict(lstm=nn.LSTM(3, 4), norm=nn.LayerNorm(4), fc=nn.Linear(4, 1)),
                  r"'norm' has bias \(4,\), weight \(4,\): not part of the layout"),
    "attention": (lambda: state_dict(lstm=nn.LSTM(3, 4), attention=nn.MultiheadAttention(4, 2), fc=nn.Linear(4, 1)),
                  r"'attention' has in_proj_bias \(12,\), in_proj_weight \(12, 4\): not part of the layout"),
    "convolution": (lambda: state_dict(conv=nn.Conv1d(3, 3, 2), lstm=nn.LSTM(3, 4), fc=nn.Linear(4, 1)),
                    r"'conv' has bias \(3,\), weight \(3, 3, 2\): not part of the layout"),
    "mixed families": (lambda: state_dict(lstm=nn.LSTM(3, 4), gru=nn.GRU(4, 4), fc=nn.Linear(4, 1)),
                       r"mix GRU and LSTM"),
    "a head that does not chain": (lambda: state_dict(lstm=nn.LSTM(3, 4), fc1=nn.Linear(4, 5), fc2=nn.Linear(6, 1)),
                                   r"'fc2' \(Linear 6 → 1\) does not read the 5 values 'fc1' \(Linear 4 → 5\) gives"),
    "recurrent modules that do not chain": (lambda: state_dict(emb=nn.Embedding(9, 3), a=nn.LSTM(3, 4), b=nn.LSTM(5, 2),
                                                               fc=nn.Linear(2, 1)),
                                            r"'b' \(LSTM 5 → 2\) does not read the 4 values 'a' \(LSTM 3 → 4\) gives"),
    "no head": (lambda: state_dict(lstm=nn.LSTM(3, 4)), r"no nn\.Linear layer after 'lstm' \(LSTM 3 → 4\)"),
    "nothing recurrent": (lambda: state_dict(fc=nn.Linear(3, 1)), r"no nn\.LSTM, nn\.GRU or nn\.RNN weights"),
    "integer weights": (lambda: {**state_dict(lstm=nn.LSTM(3, 4)), "fc.weight": torch.ones(1, 4, dtype=torch.int64),
                                 "fc.bias": torch.ones(1, dtype=torch.int64)},
                        r"fc\.weight is a torch\.int64 tensor, not dense floats"),
    "a recurrent kernel of the wrong shape": (
        lambda: {**state_dict(lstm=nn.LSTM(3, 4), fc=nn.Linear(4, 1)), "lstm.weight_hh_l0": torch.zeros(16, 5)},
        r"'lstm': weight_hh_l0 has shape \(16, 5\), not 4 \(LSTM\), 3 \(GRU\) or 1 \(RNN\) blocks"),
    "an input kernel of the wrong shape": (
        lambda: {**state_dict(lstm=nn.LSTM(3, 4, num_layers=2), fc=nn.Linear(4, 1)), "lstm.weight_ih_l1": torch.zeros(16, 3)},
        r"'lstm': weight_ih_l1 has shape \(16, 3\); an nn\.LSTM of hidden size 4 needs \(16, 4\)"),
    "a bias of the wrong shape": (lambda: {**state_dict(rnn=nn.RNN(3, 4), fc=nn.Linear(4, 2)), "fc.bias": torch.zeros(3)},
                                  r"'fc': a Linear weight \(2, 4\) needs a bias \(2,\), not \(3,\)"),
    "a missing layer": (lambda: {k: v for k, v in state_dict(rnn=nn.RNN(3, 4, num_layers=2), fc=nn.Linear(4, 1)).items()
                                 if k != "rnn.weight_hh_l1"}, r"'rnn' lacks weight_hh_l1"),
    "no state_dict at all": (lambda: {"epoch": 3, "optimizer": {"lr": 0.1}},
                             r"holds a mapping of 'epoch', 'optimizer', not a state_dict"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_the_canonical_model_cannot_represent_is_refused_naming_the_module(case, tmp_path):
    make, message = REFUSED[case]
    path = tmp_path / "model.pt"
    torch.save(make(), path)
    out = tmp_path / "x.safetensors"
    with pytest.raises(zoo.InputError, match=message):
        interchange.import_model(path, out)
    assert not out.exists()


def test_a_task_the_output_layer_cannot_give_is_refused(tmp_path):
    path = save(trained(NumberRNN, "multiclass"), tmp_path / "rnn.pt")
    with pytest.raises(zoo.InputError, match=r"'decision' \(Linear 4 → 3\) has 3 outputs; task binary needs 1"):
        interchange.import_model(path, tmp_path / "x.safetensors", task="binary")


def test_a_zoo_checkpoint_is_not_imported_again(tmp_path):
    spec = ModelSpec(input="features", n_features=2, recurrent=(3,), head=(), task="regression", dropout=0.0)
    checkpoint = tmp_path / "zoo.safetensors"
    model = zoo.registry().create("numpy-rnn", spec)
    model.set_weights(random_weights(spec, 0, family_named("rnn")))
    model.save(checkpoint)
    with pytest.raises(zoo.InputError, match="already an RNN Zoo checkpoint: use it directly"):
        interchange.import_model(checkpoint, tmp_path / "x.safetensors")


# ----- out: a zoo checkpoint as a state_dict and the module code that loads it, no zoo needed -----

EXPORTS = {  # a checkpoint of each family, written by one of its backends
    "lstm": ("torch-lstm", ModelSpec(vocab_size=25, embedding_dim=4, recurrent=(6, 3), head=(5,), activation="relu")),
    "rnn": ("numpy-rnn", ModelSpec(input="features", n_features=2, recurrent=(4,), head=(), task="regression")),
    "gru": ("torch-gru", ModelSpec(vocab_size=20, embedding_dim=3, recurrent=(5,), head=(4,), task="multiclass",
                                   n_classes=3)),
}

RUN_EXPORTED = """
import importlib.util, json, sys
sys.modules["zoo"] = sys.modules["zoo_torch"] = None  # the exported model needs neither
import numpy as np, torch
spec = importlib.util.spec_from_file_location("exported", {code!r})
exported = importlib.util.module_from_spec(spec)
spec.loader.exec_module(exported)
net = exported.load({weights!r})
with torch.no_grad():
    print(json.dumps(net(torch.from_numpy(np.load({x!r}))).tolist()))
"""


def zoo_checkpoint(family: str, path: Path) -> Path:
    backend, spec = EXPORTS[family]
    model = zoo.registry().create(backend, spec)
    model.set_weights(random_weights(spec, 5, family_named(family)))
    return model.save(path)


@pytest.mark.parametrize("family", EXPORTS)
def test_an_export_runs_in_plain_torch_and_imports_back_bit_for_bit(family, tmp_path, example_plugin):
    if family == "gru":
        require_gru(example_plugin)
    checkpoint = zoo_checkpoint(family, tmp_path / "zoo.safetensors")
    weights, code = interchange.export_model(checkpoint, "torch", tmp_path / "out" / "model.safetensors")
    assert (weights.name, code.name) == ("model.safetensors", "model_module.py")

    zoo_model = Backend.load(checkpoint)
    x = inputs_for(zoo_model.spec, seed=3)
    np.save(tmp_path / "x.npy", x)
    out = run_python(RUN_EXPORTED.format(code=str(code), weights=str(weights), x=str(tmp_path / "x.npy")))
    assert out.returncode == 0, out.stderr
    np.testing.assert_allclose(np.array(json.loads(out.stdout)), zoo_model.predict(x), atol=TOLERANCE, rtol=0)

    back = interchange.import_model(weights, tmp_path / "back.safetensors")
    assert back.family == family and back.spec == zoo_model.spec.replace(dropout=0.0)  # activation, task: the metadata's
    assert max(back.parity.values()) <= TOLERANCE
    before, after = zoo_model.get_weights(), Backend.load(back.path).get_weights()
    assert set(before) == set(after)
    assert all(np.array_equal(before[k].view(np.uint32), after[k].view(np.uint32)) for k in before)


def inputs_for(spec: ModelSpec, seed: int, rows: int = 4, steps: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if spec.input == "tokens":
        return rng.integers(1, spec.vocab_size, size=(rows, steps))
    return rng.normal(size=(rows, steps, spec.n_features)).astype(np.float32)


def test_an_export_is_a_safetensors_file(tmp_path):
    checkpoint = zoo_checkpoint("rnn", tmp_path / "zoo.safetensors")
    with pytest.raises(zoo.InputError, match=r"model\.pt: a PyTorch export is a \.safetensors file"):
        interchange.export_model(checkpoint, "torch", tmp_path / "model.pt")
    assert not (tmp_path / "model.pt").exists()


def test_zoo_import_prints_the_parity_per_backend(tmp_path):
    source = save(trained(NumberRNN, "multiclass"), tmp_path / "model.pt")
    out = tmp_path / "imported.safetensors"
    result = parse_json(run_zoo("import", str(source), "--out", str(out), "--json"))
    assert set(result["max_abs_diff"]) == {e.name for e in zoo.registry().available_backends("rnn")}
    assert max(result["max_abs_diff"].values()) <= TOLERANCE and result["within_tolerance"]
    assert result["checkpoint"] == str(out) and out.is_file()
    assert result["spec"]["task"] == "multiclass" and result["spec"]["n_classes"] == 3

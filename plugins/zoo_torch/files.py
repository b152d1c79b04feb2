"""The ``torch`` format (zoo.interchange): PyTorch state_dicts in, and out as safetensors with the plain-torch
module code that loads them (zoo_torch/standalone.py, copied beside the file).

What a state_dict is read as: an optional nn.Embedding, nn.LSTM / nn.GRU / nn.RNN modules (several stacked,
or one with num_layers > 1), then nn.Linear layers, the head reading the last step. Each module is the
prefix of its keys; what it is comes from its parameter names and shapes (an RNN module's weight_ih rows per
hidden unit: 4 LSTM, 3 GRU, 1 RNN; a weight without a bias feeding the recurrent layers: the Embedding), and
the order from the file's order wherever the widths chain (a safetensors file keeps none: its names' order).
What a state_dict cannot tell, the hidden Linear layers' activation and the task, comes from the reader's
flags, or from the metadata of a file ``zoo export`` wrote.

Nothing in a file is executed: ``torch.load(weights_only=True)`` refuses any pickled object but tensors and
containers, and safetensors holds no code. Anything the canonical model cannot represent is refused with the
module's name and the reason.
"""
from __future__ import annotations

import json
import pickle
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# First: the shared network module sets torch's thread count, which torch reads once, as it loads.
from . import network  # noqa: F401  # isort: skip

import numpy as np
import torch

from zoo.checkpoint import METADATA_KEY
from zoo.errors import CheckpointError, InputError, SpecError
from zoo.family import family as family_named
from zoo.interchange import Imported
from zoo.messages import message, text_of
from zoo.spec import ModelSpec
from zoo.weights import Weights

from . import standalone


@dataclass(frozen=True)
class TorchCell:
    module: str  # the torch.nn class (standalone.CELLS)
    gates: tuple[str, ...]  # its weight blocks' order, in zoo.family's gate names


CELLS = {"lstm": TorchCell("LSTM", ("i", "f", "g", "o")),
         "gru": TorchCell("GRU", ("r", "z", "n")),
         "rnn": TorchCell("RNN", ())}
FAMILY_BY_BLOCKS = {family_named(name).blocks: name for name in CELLS}
STATE_DICT_KEYS = ("state_dict", "model_state_dict", "model")  # where training scripts nest a state_dict
RECURRENT_PARAMETER = re.compile(r"(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d+)(_reverse)?")
LAYER_PARAMETERS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")  # one layer of an nn.LSTM/GRU/RNN, with _l{k}


@dataclass
class Module:
    """One module of the file: its name (the prefix of its keys), what it is, the widths it reads and
    writes, and its tensors by parameter name."""

    name: str
    kind: str  # "Embedding", "Linear", or CELLS' module: "LSTM", "GRU", "RNN"
    inputs: int  # an Embedding's: its vocabulary
    outputs: int
    tensors: dict[str, torch.Tensor]
    num_layers: int = 1

    @property
    def label(self):
        name = _label(self.name)
        if self.kind == "Embedding":
            return message("torch_embedding", name=name, inputs=self.inputs, outputs=self.outputs)
        if self.num_layers > 1:
            return message("torch_module_layers", name=name, kind=self.kind, inputs=self.inputs, outputs=self.outputs,
                           layers=self.num_layers)
        return message("torch_module", name=name, kind=self.kind, inputs=self.inputs, outputs=self.outputs)

    def __str__(self):
        return str(self.label)


@dataclass
class Architecture:
    embedding: Module | None
    recurrent: list[Module]  # in the order they run
    linear: list[Module]  # the hidden layers, then the output
    family: str


# ----- reading -----

def read(path, head_activation: str | None = None, task: str | None = None) -> Imported:
    """A state_dict file as an Imported model (zoo.interchange's reader contract)."""
    path = Path(path)
    tensors, exported = load_state_dict(path)
    try:
        architecture = infer_architecture(tensors)
    except InputError as err:
        raise InputError(message("torch_in_file", file=path.name, error=text_of(err))) from None
    for key, tensor in tensors.items():
        if not tensor.dtype.is_floating_point or tensor.layout != torch.strided:
            raise InputError(message("torch_not_floats", file=path.name, tensor=key, dtype=tensor.dtype))
    notes = []
    *hidden, output = architecture.linear
    if head_activation is None and hidden:
        head_activation = exported.get("activation", "tanh")
        notes.append(message("note_head_from_metadata", activation=head_activation) if exported else
                     message("note_head_assumed", activation=head_activation))
    if task is None:
        task = exported.get("task") or ("binary" if output.outputs == 1 else "multiclass")
        notes.append(message("note_task_from_metadata", task=task) if exported else
                     message("note_task_assumed_many", task=task, count=output.outputs) if output.outputs > 1 else
                     message("note_task_assumed_one", task=task, count=output.outputs))
    if (task == "multiclass") != (output.outputs > 1):  # multiclass with one output, or another task with several
        if task == "multiclass":
            raise InputError(message("torch_one_output", file=path.name, layer=output.label, count=output.outputs, task=task))
        raise InputError(message("torch_many_outputs", file=path.name, layer=output.label, count=output.outputs, task=task))
    if architecture.family == "rnn":
        notes.append(message("note_rnn_as_tanh"))
    dtypes = sorted({str(t.dtype).removeprefix("torch.") for t in tensors.values()} - {"float32"})
    if dtypes:
        notes.append(message("note_weights_as_float32", dtypes=", ".join(dtypes)))
    try:
        spec = model_spec(architecture, head_activation or "tanh", task)
    except SpecError as err:
        raise InputError(message("torch_in_file", file=path.name, error=str(err))) from None
    model = original_model(architecture, spec)

    def original(x: np.ndarray) -> np.ndarray:
        dtype = np.int64 if spec.input == "tokens" else np.float32
        with torch.inference_mode():
            return model(torch.from_numpy(np.asarray(x, dtype=dtype))).numpy()

    return Imported(spec, architecture.family, canonical_weights(architecture), "PyTorch", original, notes)


def load_state_dict(path: Path) -> tuple[dict[str, torch.Tensor], dict]:
    """The file's tensors in the file's order, and the architecture a ``zoo export`` wrote in its metadata
    (empty for anyone else's file)."""
    if path.suffix.lower() == ".safetensors":
        return _read_safetensors(path)
    try:
        loaded = torch.load(path, weights_only=True, map_location="cpu")
    except pickle.UnpicklingError as err:
        named = re.search(r"GLOBAL ([\w.]+)", str(err))
        if named:
            raise InputError(message("torch_pickled_named", file=path.name, name=named[1])) from None
        raise InputError(message("torch_pickled", file=path.name)) from None
    except Exception as err:  # torch raises RuntimeError, KeyError, EOFError … for broken files
        raise CheckpointError(message("torch_unreadable", file=path.name,
                                      error=f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}")) from None
    if not _is_state_dict(loaded) and isinstance(loaded, Mapping):
        loaded = next((loaded[key] for key in STATE_DICT_KEYS if _is_state_dict(loaded.get(key))), loaded)
    if not _is_state_dict(loaded):
        held = (message("torch_held_mapping", keys=", ".join(repr(k) for k in list(loaded)[:5])) if isinstance(loaded, Mapping)
                else message("torch_held_object", kind=type(loaded).__name__))
        raise InputError(message("torch_not_a_state_dict", file=path.name, held=held,
                                 keys=", ".join(repr(k) for k in STATE_DICT_KEYS)))
    return dict(loaded), {}


def _is_state_dict(value) -> bool:
    return (isinstance(value, Mapping) and bool(value)
            and all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in value.items()))


def _read_safetensors(path: Path) -> tuple[dict[str, torch.Tensor], dict]:
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
            tensors = {key: f.get_tensor(key) for key in sorted(f.keys(), key=_natural)}
    except Exception as err:  # safetensors raises its own error types for every kind of corruption
        raise CheckpointError(message("torch_safetensors_unreadable", file=path.name, error=str(err))) from None
    if METADATA_KEY in metadata:
        raise InputError(message("torch_already_a_checkpoint", file=path.name))
    if not tensors:
        raise InputError(message("torch_no_tensors", file=path.name))
    try:
        exported = json.loads(metadata.get(standalone.ARCHITECTURE_KEY, "{}"))
    except json.JSONDecodeError:
        raise CheckpointError(message("torch_corrupt_metadata", file=path.name, metadata=standalone.ARCHITECTURE_KEY)) from None
    return tensors, exported


def _natural(key: str) -> list:
    """'layers.10' after 'layers.2': the order a safetensors file's names give, which is all it keeps."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def infer_architecture(tensors: dict[str, torch.Tensor]) -> Architecture:
    """What each module is and the order they run in, from the keys and shapes; InputError naming the
    module for anything the layout does not explain."""
    grouped: dict[str, dict[str, torch.Tensor]] = {}
    for key, tensor in tensors.items():
        prefix, _, parameter = key.rpartition(".")
        grouped.setdefault(prefix, {})[parameter] = tensor
    modules = [_module(name, params) for name, params in grouped.items()]
    recurrent = [m for m in modules if m.kind in standalone.CELLS]
    linear = [m for m in modules if m.kind == "Linear"]
    if not recurrent:
        raise InputError(message("torch_no_recurrent", modules=", ".join(map(str, modules))))
    kinds = {m.kind for m in recurrent}
    if len(kinds) > 1:
        raise InputError(message("torch_mixed_families", kinds=" and ".join(sorted(kinds)),
                                 modules=", ".join(map(str, recurrent))))
    widths_read = {m.inputs for m in recurrent}
    weight_only = [m for m in modules if m.kind == "Embedding"]
    embedding = next((m for m in weight_only if m.outputs in widths_read), None)
    for m in weight_only:
        if m is not embedding:
            raise InputError(message("torch_weight_without_bias", label=_label(m.name), shape=tuple(m.tensors["weight"].shape)))
    recurrent = _chain(recurrent, embedding.outputs if embedding else None, embedding)
    if not linear:
        raise InputError(message("torch_no_linear", module=recurrent[-1].label))
    linear = _chain(linear, recurrent[-1].outputs, recurrent[-1])
    family = next(name for name, cell in CELLS.items() if cell.module == recurrent[0].kind)
    return Architecture(embedding, recurrent, linear, family)


def _label(name: str) -> str:
    return f"'{name}'" if name else message("torch_top_level")


def _module(name: str, params: dict[str, torch.Tensor]) -> Module:
    label = _label(name)
    names = set(params)
    if all(RECURRENT_PARAMETER.fullmatch(n) for n in names):
        return _recurrent_module(name, params)
    weight, bias = params.get("weight"), params.get("bias")
    if names == {"weight", "bias"} and weight.dim() == 2:
        if tuple(bias.shape) != weight.shape[:1]:
            raise InputError(message("torch_linear_bias", label=label, shape=tuple(weight.shape), rows=weight.shape[0],
                                     bias=tuple(bias.shape)))
        return Module(name, "Linear", weight.shape[1], weight.shape[0], params)
    if names == {"weight"} and weight.dim() == 2:
        return Module(name, "Embedding", weight.shape[0], weight.shape[1], params)
    shapes = ", ".join(f"{n} {tuple(params[n].shape)}" for n in sorted(names))
    raise InputError(message("torch_not_in_layout", label=label, shapes=shapes))


def _recurrent_module(name: str, params: dict[str, torch.Tensor]) -> Module:
    label = _label(name)
    matches = [RECURRENT_PARAMETER.fullmatch(n) for n in params]
    if any(m[3] for m in matches):
        raise InputError(message("torch_bidirectional", label=label))
    if any(m[1] == "weight_hr" for m in matches):
        raise InputError(message("torch_projection", label=label))
    layers = sorted({int(m[2]) for m in matches})
    for k in range(len(layers)):
        missing = [f"{p}_l{k}" for p in LAYER_PARAMETERS if f"{p}_l{k}" not in params]
        if missing and all(p.startswith("bias") for p in missing):
            raise InputError(message("torch_no_bias", label=label, missing=" or ".join(missing)))
        if missing:
            raise InputError(message("torch_lacks", label=label, missing=", ".join(missing)))
    recurrent_kernel = params["weight_hh_l0"]
    rows, hidden = tuple(recurrent_kernel.shape) if recurrent_kernel.dim() == 2 else (0, 0)
    blocks = rows // hidden if hidden and rows % hidden == 0 else None
    if blocks not in FAMILY_BY_BLOCKS:
        raise InputError(message("torch_blocks", label=label, shape=tuple(recurrent_kernel.shape)))
    cell = CELLS[FAMILY_BY_BLOCKS[blocks]].module
    input_kernel = params["weight_ih_l0"]
    inputs = input_kernel.shape[1] if input_kernel.dim() == 2 else 0
    for k in range(len(layers)):
        expected = {"weight_ih": (rows, inputs if k == 0 else hidden), "weight_hh": (rows, hidden),
                    "bias_ih": (rows,), "bias_hh": (rows,)}
        for parameter, shape in expected.items():
            actual = tuple(params[f"{parameter}_l{k}"].shape)
            if actual != shape:
                raise InputError(message("torch_parameter_shape", label=label, parameter=f"{parameter}_l{k}", shape=actual,
                                         cell=cell, hidden=hidden, needed=shape))
    return Module(name, cell, inputs, hidden, params, num_layers=len(layers))


def _chain(modules: list[Module], width: int | None, before: Module | None) -> list[Module]:
    """The modules in the order their widths chain from ``width`` (None: whatever the first reads): the
    file's order wherever it chains, else the first module that reads what the previous one wrote."""
    rest, chained = list(modules), []
    if width is None:
        written = {m.outputs for m in rest}
        width = next((m for m in rest if m.inputs not in written), rest[0]).inputs
    while rest:
        after = chained[-1] if chained else before
        following = next((m for m in rest if m.inputs == width), None)
        if following is None:
            if len(rest) == 1:
                raise InputError(message("torch_no_chain_one", module=rest[0].label, width=width, after=after.label))
            raise InputError(message("torch_no_chain", modules=", ".join(map(str, rest)), width=width, after=after.label))
        rest.remove(following)
        chained.append(following)
        width = following.outputs
    return chained


def model_spec(architecture: Architecture, head_activation: str, task: str) -> ModelSpec:
    embedding, output = architecture.embedding, architecture.linear[-1]
    inputs = ({"input": "tokens", "vocab_size": embedding.inputs, "embedding_dim": embedding.outputs} if embedding
              else {"input": "features", "n_features": architecture.recurrent[0].inputs})
    return ModelSpec(**inputs, recurrent=[m.outputs for m in architecture.recurrent for _ in range(m.num_layers)],
                     head=[m.outputs for m in architecture.linear[:-1]], activation=head_activation, dropout=0.0,
                     task=task, n_classes=output.outputs if task == "multiclass" else 2)


def canonical_weights(architecture: Architecture) -> Weights:
    weights = {"embedding": _array(architecture.embedding.tensors["weight"])} if architecture.embedding else {}
    layers = [{p: _array(m.tensors[f"{p}_l{k}"]) for p in LAYER_PARAMETERS}
              for m in architecture.recurrent for k in range(m.num_layers)]
    for k, layer in enumerate(layers):
        weights.update({f"recurrent.{k}.{name}": value for name, value in canonical_layer(layer, architecture.family).items()})
    *hidden, output = architecture.linear
    for prefix, linear in [*((f"head.{k}", m) for k, m in enumerate(hidden)), ("output", output)]:
        weights[f"{prefix}.W"] = _array(linear.tensors["weight"]).T
        weights[f"{prefix}.b"] = _array(linear.tensors["bias"])
    return weights


def original_model(architecture: Architecture, spec: ModelSpec) -> standalone.RecurrentModel:
    """The file's model in plain torch, its tensors loaded strictly (every one placed, every shape right)."""
    model = standalone.RecurrentModel(**standalone_arguments(
        spec, architecture.family, [(m.outputs, m.num_layers) for m in architecture.recurrent]))
    named = ([("embedding", architecture.embedding)] if architecture.embedding else []) + \
        [(f"recurrent.{k}", m) for k, m in enumerate(architecture.recurrent)] + \
        [(f"head.{k}", m) for k, m in enumerate(architecture.linear[:-1])] + [("output", architecture.linear[-1])]
    model.load_state_dict({f"{prefix}.{parameter}": tensor.float() for prefix, module in named
                           for parameter, tensor in module.tensors.items()}, strict=True)
    return model.eval()


def _array(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().to(torch.float32).numpy()


# ----- the canonical layout and PyTorch's, one recurrent layer at a time -----

def canonical_layer(layer: dict[str, np.ndarray], family: str) -> dict[str, np.ndarray]:
    """W, U, b (and b_U) from one layer's weight_ih, weight_hh, bias_ih, bias_hh. Without a second
    canonical bias (zoo.family's recurrent_bias) PyTorch's two biases sum into b."""
    fam = family_named(family)
    canonical = {name: _reorder(value, CELLS[family].gates, fam.gates) for name, value in layer.items()}
    weights = {"W": canonical["weight_ih"].T, "U": canonical["weight_hh"].T}
    if fam.recurrent_bias:
        return {**weights, "b": canonical["bias_ih"], "b_U": canonical["bias_hh"]}
    return {**weights, "b": canonical["bias_ih"] + canonical["bias_hh"]}


def torch_layer(weights: dict[str, np.ndarray], family: str) -> dict[str, np.ndarray]:
    """canonical_layer's inverse: b goes to bias_ih and bias_hh is zero where the family has one bias,
    as the zoo's torch backend keeps them, so reading the layer back gives b bit for bit."""
    fam = family_named(family)
    layer = {"weight_ih": weights["W"].T, "weight_hh": weights["U"].T, "bias_ih": weights["b"],
             "bias_hh": weights["b_U"] if fam.recurrent_bias else np.zeros_like(weights["b"])}
    return {name: np.ascontiguousarray(_reorder(value, fam.gates, CELLS[family].gates)) for name, value in layer.items()}


def _reorder(array: np.ndarray, have: tuple[str, ...], want: tuple[str, ...]) -> np.ndarray:
    """Gate blocks along axis 0 from the order ``have`` to ``want`` (a plain RNN has one block, no gates)."""
    if not have:
        return array
    blocks = dict(zip(have, np.split(array, len(have))))
    return np.concatenate([blocks[gate] for gate in want])


# ----- writing -----

def standalone_arguments(spec: ModelSpec, family: str, recurrent: list[tuple[int, int]]) -> dict:
    """standalone.RecurrentModel's arguments: ``recurrent`` lists (hidden_size, num_layers) per module."""
    inputs = ({"vocab_size": spec.vocab_size, "embedding_dim": spec.embedding_dim} if spec.input == "tokens"
              else {"n_features": spec.n_features})
    return {"cell": CELLS[family].module, "recurrent": [list(m) for m in recurrent], "head": list(spec.head),
            "output_dim": spec.output_dim, "activation": spec.activation, "task": spec.task, **inputs}


def write(spec: ModelSpec, family: str, weights: Weights, out: Path) -> list[Path]:
    """A state_dict of standalone.RecurrentModel (one recurrent module per zoo layer) as ``out``
    (.safetensors, its sizes in the metadata), and that module's code beside it (``<out stem>_module.py``)."""
    from safetensors.numpy import save_file

    out = Path(out)
    if out.suffix.lower() != ".safetensors":
        raise InputError(message("torch_export_suffix", file=out.name))
    tensors = {"embedding.weight": weights["embedding"]} if spec.input == "tokens" else {}
    for k in range(len(spec.recurrent)):
        layer = {name.rpartition(".")[2]: value for name, value in weights.items() if name.startswith(f"recurrent.{k}.")}
        tensors.update({f"recurrent.{k}.{parameter}_l0": value for parameter, value in torch_layer(layer, family).items()})
    for prefix in [*(f"head.{k}" for k in range(len(spec.head))), "output"]:
        tensors[f"{prefix}.weight"] = np.ascontiguousarray(weights[f"{prefix}.W"].T)
        tensors[f"{prefix}.bias"] = weights[f"{prefix}.b"]
    architecture = standalone_arguments(spec, family, [(units, 1) for units in spec.recurrent])
    out.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(out), metadata={standalone.ARCHITECTURE_KEY: json.dumps(architecture)})
    code = out.with_name(f"{out.stem}_module.py")  # never a name like torch.py, which would shadow torch
    code.write_text(Path(standalone.__file__).read_text(encoding="utf-8"), encoding="utf-8")
    return [out, code]

"""Keras model files in and out of the zoo: ``zoo import`` reads Keras 3 ``.keras`` and legacy ``.h5``
models, ``zoo export --to keras`` writes ``.keras`` files that plain ``keras.saving.load_model`` loads.

Nothing in a file is executed. The configuration is read as JSON (``config.json`` in a ``.keras`` zip, the
``model_config`` attribute of a legacy ``.h5``) and every layer and every option is checked against what
the canonical model can hold before the weights are read, with h5py, as plain arrays. The file's model,
run for parity, is built anew from the checked configuration with plain Keras layers and given those
arrays: Keras never deserialises the file, and TensorFlow loads only once the file has passed.

Read: a Sequential or functional chain of an optional InputLayer, an optional Embedding (or numbers of
any width), one or more LSTM, GRU or SimpleRNN layers (one family), Dense layers, Dropout anywhere (off
at inference; the rate right before the output layer is the spec's, the others are noted), and an
output Dense: sigmoid with one unit is binary, softmax multiclass, linear regression.
``Embedding(mask_zero=True)`` is read, with a note: with right padding Keras then reads what the zoo
reads, the state at a sequence's last real step. A last recurrent layer that returns every step is read
at its last step, which is what the Dense layers after it give there (noted). A TextVectorization layer
is refused, named; its vocabulary can come from a file (``--vocabulary``).
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from zoo.errors import CheckpointError, InputError
from zoo.family import Family, family as family_of
from zoo.interchange import Imported
from zoo.limits import max_bytes
from zoo.messages import message
from zoo.spec import HEAD_ACTIVATIONS, TASKS, ModelSpec
from zoo.weights import Weights

FRAMEWORK = "Keras"
RECURRENT = {"LSTM": "lstm", "GRU": "gru", "SimpleRNN": "rnn"}  # Keras's class → the zoo's family
KERAS_RECURRENT = {name: cls for cls, name in RECURRENT.items()}
OUTPUT_TASKS = {"sigmoid": "binary", "softmax": "multiclass", "linear": "regression"}  # ModelSpec.output_activation's inverse
MASK_LAYER = "NotEqual"  # what a functional model's config records for an Embedding's mask_zero: ids != 0

# Options whose value the canonical model fixes; a file may leave one out when Keras's default is that value.
RECURRENT_FIXED = {"activation": "tanh", "use_bias": True, "go_backwards": False, "stateful": False,
                   "return_state": False, "time_major": False}
FIXED = {
    "InputLayer": {"sparse": False, "ragged": False, "optional": False},
    "Embedding": {"sparse": False, "quantization_config": None, "lora_rank": None},
    "LSTM": {**RECURRENT_FIXED, "recurrent_activation": "sigmoid"},
    "GRU": {**RECURRENT_FIXED, "recurrent_activation": "sigmoid", "reset_after": True},
    "SimpleRNN": RECURRENT_FIXED,
    "Dense": {"use_bias": True, "quantization_config": None, "lora_rank": None},
    "Dropout": {},
}
# Options that change nothing a trained model computes (names, initialisers such as unit_forget_bias,
# regularisers, constraints, training-time dropout, how a layer runs), or that the reader reads itself.
COMMON = {"name", "trainable", "dtype", "batch_input_shape", "batch_size", "seed", "activity_regularizer"}
RECURRENT_KNOWN = COMMON | {"units", "return_sequences", "unroll", "zero_output_for_mask", "dropout", "recurrent_dropout",
                            "kernel_initializer", "recurrent_initializer", "bias_initializer", "unit_forget_bias",
                            "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "kernel_constraint",
                            "recurrent_constraint", "bias_constraint", "implementation", "use_cudnn"}
KNOWN = {
    "InputLayer": COMMON | {"batch_shape", "input_shape"},
    "Embedding": COMMON | {"input_dim", "output_dim", "input_length", "mask_zero", "embeddings_initializer",
                           "embeddings_regularizer", "embeddings_constraint"},
    "LSTM": RECURRENT_KNOWN,
    "GRU": RECURRENT_KNOWN,
    "SimpleRNN": RECURRENT_KNOWN,
    "Dense": COMMON | {"units", "activation", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                       "bias_regularizer", "kernel_constraint", "bias_constraint"},
    "Dropout": COMMON | {"rate", "noise_shape"},
}
# What the file's model is rebuilt from, per class: every other option is one of the above.
BUILD_OPTIONS = {"Embedding": ("input_dim", "output_dim", "mask_zero"), "LSTM": ("units", "return_sequences"),
                 "GRU": ("units", "return_sequences"), "SimpleRNN": ("units", "return_sequences"),
                 "Dense": ("units", "activation"), "Dropout": ("rate",)}
WHY_FIXED = {"activation": message("keras_why_activation"), "recurrent_activation": message("keras_why_recurrent_activation"),
             "reset_after": message("keras_why_reset_after"), "go_backwards": message("keras_why_go_backwards"),
             "stateful": message("keras_why_stateful"), "use_bias": message("keras_why_use_bias"),
             "return_state": message("keras_why_return_state")}
REFUSED = {  # layers a model is likely to have, and why the canonical model cannot hold them
    "Lambda": message("keras_refused_lambda"),
    "Bidirectional": message("keras_refused_bidirectional"),
    "Masking": message("keras_refused_masking"),
    "TextVectorization": message("keras_refused_text_vectorization"),
    "Attention": message("keras_refused_attention"),
    "AdditiveAttention": message("keras_refused_attention"),
    "MultiHeadAttention": message("keras_refused_attention"),
    "TimeDistributed": message("keras_refused_time_distributed"),
}


@dataclass(eq=False)  # a layer is itself: lists of layers compare by identity
class KerasLayer:
    """One layer: its Keras class, its options (checked), where its weights are, and once read, its
    arrays in Keras's order (kernel, recurrent kernel, bias; embeddings; kernel, bias)."""

    cls: str
    options: dict
    name: str  # the file's name for it: messages, and where a legacy .h5 keeps its weights
    zip_path: str = ""  # where a .keras file keeps its weights (by class and count, not by name)
    shapes: list[tuple[int, ...]] = field(default_factory=list)  # the arrays the configuration implies
    arrays: list[np.ndarray] = field(default_factory=list)

    @property
    def label(self):
        return message("keras_layer", name=self.name, cls=self.cls)

    def __str__(self):
        return str(self.label)

    def build_options(self) -> dict:
        return {k: self.options[k] for k in BUILD_OPTIONS.get(self.cls, ()) if k in self.options}


@dataclass
class Architecture:
    """What a checked configuration says: the layers in order and the canonical model they make."""

    layers: list[KerasLayer]
    spec: ModelSpec
    family: Family
    steps: int | None
    notes: list[str]


# ----- reading -----
def read(path, head_activation: str | None = None, task: str | None = None) -> Imported:
    path = Path(path)
    if head_activation is not None and head_activation not in HEAD_ACTIVATIONS:
        raise InputError(message("head_activation_choice", choices=", ".join(HEAD_ACTIVATIONS), value=head_activation))
    if task is not None and task not in TASKS:
        raise InputError(message("task_choice", choices=", ".join(TASKS), value=task))
    if path.suffix.lower() == ".keras":
        model = _read_keras_zip(path, head_activation, task)
    else:
        model = _read_legacy_h5(path, head_activation, task)
    return Imported(model.spec, model.family.name, _canonical(model.layers, model.family), FRAMEWORK,
                    _runner(model), notes=model.notes, steps=model.steps)


def _read_keras_zip(path: Path, head_activation, task) -> Architecture:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise CheckpointError(message("keras_not_zip", file=path.name, error=str(err))) from None
    with archive:
        config = _json(_member(archive, path, "config.json"), message("keras_config_json", file=path.name))
        model = _architecture(config, path.name, head_activation, task)
        try:
            store = h5py.File(io.BytesIO(_member(archive, path, "model.weights.h5")), "r")
        except OSError as err:
            raise CheckpointError(message("keras_weights_not_hdf5", file=path.name, error=str(err))) from None
    with store:
        for layer in model.layers:
            group = store.get(f"layers/{layer.zip_path}")
            variables = group.get("cell/vars", group.get("vars")) if isinstance(group, h5py.Group) else None
            if not isinstance(variables, h5py.Group):
                raise CheckpointError(message("keras_zip_no_weights", file=path.name, layer=layer.label))
            _read_arrays(layer, [variables.get(str(i)) for i in range(len(variables))], path.name)
    return model


def _member(archive: zipfile.ZipFile, path: Path, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        if name.endswith(".h5"):
            raise CheckpointError(message("keras_no_member_sharded", file=path.name, name=name)) from None
        raise CheckpointError(message("keras_no_member", file=path.name, name=name)) from None
    if info.file_size > max_bytes("checkpoint_mb"):
        raise CheckpointError(message("keras_member_too_big", file=path.name, name=name, size=info.file_size / 2**20))
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise CheckpointError(message("keras_member_corrupt", file=path.name, name=name, error=str(err))) from None


def _read_legacy_h5(path: Path, head_activation, task) -> Architecture:
    try:
        store = h5py.File(path, "r")
    except OSError as err:
        raise CheckpointError(message("keras_not_hdf5", file=path.name, error=str(err))) from None
    with store:
        if "model_config" not in store.attrs:
            raise CheckpointError(message("keras_weights_only", file=path.name))
        model = _architecture(_json(store.attrs["model_config"], message("keras_model_config", file=path.name)), path.name,
                              head_activation, task)
        for layer in model.layers:
            group = store.get(f"model_weights/{layer.name}")
            if not isinstance(group, h5py.Group):
                raise CheckpointError(message("keras_h5_no_weights", file=path.name, layer=layer.label))
            names = [n.decode() if isinstance(n, bytes) else str(n) for n in group.attrs.get("weight_names", [])]
            _read_arrays(layer, [group.get(n) for n in names], path.name)
    return model


def _json(raw, what) -> dict:
    try:
        config = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except (UnicodeDecodeError, json.JSONDecodeError, TypeError) as err:
        raise CheckpointError(message("keras_not_json", what=what, error=str(err))) from None
    if not isinstance(config, dict):
        raise CheckpointError(message("keras_not_a_configuration", what=what))
    return config


def _read_arrays(layer: KerasLayer, datasets: list, filename: str) -> None:
    """A layer's arrays, each checked against the shape its configuration implies before it is read."""
    found = [tuple(d.shape) if isinstance(d, h5py.Dataset) else None for d in datasets]
    if found != layer.shapes:
        raise CheckpointError(message("keras_weight_shapes", file=filename, layer=layer.label, found=found, needed=layer.shapes))
    for dataset in datasets:
        if dataset.dtype.kind != "f":
            raise CheckpointError(message("keras_weights_not_floats", file=filename, layer=layer.label, dtype=dataset.dtype))
    layer.arrays = [np.asarray(d[()], dtype=np.float32) for d in datasets]


# ----- the configuration, checked before anything else is read -----
def _architecture(config: dict, filename: str, head_activation: str | None, task: str | None) -> Architecture:
    layers, batch_shape = _checked_layers(config, filename)
    notes: list[str] = []
    embedding = layers[0] if layers and layers[0].cls == "Embedding" else None
    recurrent = [layer for layer in layers if layer.cls in RECURRENT]
    dense = [layer for layer in layers if layer.cls == "Dense"]
    if not recurrent or not dense:
        raise InputError(message("keras_no_recurrent_or_dense", file=filename,
                                 layers=", ".join(l.cls for l in layers) or message("keras_no_layers")))
    order = [layer for layer in layers if layer.cls != "Dropout"]
    expected = ([embedding] if embedding else []) + recurrent + dense
    if order != expected:
        wrong = next(a for a, b in zip(order, expected) if a is not b)
        raise InputError(message("keras_out_of_place", file=filename, layer=wrong.label))
    families = {RECURRENT[layer.cls] for layer in recurrent}
    if len(families) > 1:
        raise InputError(message("keras_mixed_families", file=filename, families=", ".join(sorted(families))))
    fam = family_of(families.pop())

    for layer in recurrent[:-1]:
        if not layer.options.get("return_sequences", False):
            raise InputError(message("keras_last_step_only", file=filename, layer=layer.label))
    if recurrent[-1].options.get("return_sequences", False):
        notes.append(message("note_every_step", layer=recurrent[-1].label))

    *hidden, output = dense
    activations = sorted({str(layer.options.get("activation") or "linear") for layer in hidden})
    odd = [a for a in activations if a not in HEAD_ACTIVATIONS]
    if odd or len(activations) > 1:
        raise InputError(message("keras_head_activations", file=filename, activations=", ".join(activations),
                                 choices=" or ".join(HEAD_ACTIVATIONS)))
    if activations and head_activation not in (None, activations[0]):
        raise InputError(message("keras_head_activation_differs", file=filename, activation=activations[0],
                                 wanted=head_activation))
    if not activations:
        notes.append(message("note_no_hidden_dense", activation=head_activation or "tanh"))
    output_activation = str(output.options.get("activation") or "linear")
    units = int(output.options.get("units", 0))
    file_task = OUTPUT_TASKS.get(output_activation)
    if file_task is None or (file_task != "multiclass") != (units == 1):
        raise InputError(message("keras_output", file=filename, layer=output.label, units=units, activation=output_activation))
    if task not in (None, file_task):
        raise InputError(message("keras_output_task", file=filename, layer=output.label, activation=output_activation,
                                 file_task=file_task, task=task))

    before_output = layers[layers.index(output) - 1]
    dropout = float(before_output.options.get("rate", 0.0)) if before_output.cls == "Dropout" else 0.0
    ignored = [layer for layer in layers if layer.cls == "Dropout" and layer is not before_output]
    if ignored:
        notes.append(message("note_dropout_left_out", layers=", ".join(str(l) for l in ignored)))
    if embedding is not None and embedding.options.get("mask_zero"):
        notes.append(message("note_mask_zero", layer=embedding.label))

    tokens = embedding is not None
    if len(batch_shape) != (2 if tokens else 3) or (not tokens and not batch_shape[2]):
        raise InputError(message("keras_input_shape", file=filename, shape=batch_shape))
    steps = batch_shape[1] or (embedding.options.get("input_length") if tokens else None)
    spec = ModelSpec(
        input="tokens" if tokens else "features",
        vocab_size=int(embedding.options["input_dim"]) if tokens else ModelSpec.vocab_size,
        embedding_dim=int(embedding.options["output_dim"]) if tokens else ModelSpec.embedding_dim,
        n_features=1 if tokens else int(batch_shape[2]),
        recurrent=tuple(int(layer.options["units"]) for layer in recurrent),
        head=tuple(int(layer.options["units"]) for layer in hidden),
        activation=activations[0] if activations else head_activation or "tanh",
        dropout=dropout, task=file_task, n_classes=units if file_task == "multiclass" else 2,
    )
    _expect_shapes(layers, spec, fam, filename)
    return Architecture(layers, spec, fam, int(steps) if steps else None, notes)


def _expect_shapes(layers: list[KerasLayer], spec: ModelSpec, fam: Family, filename: str) -> None:
    """The arrays each layer's configuration implies (Keras's cell layouts), and a stop before reading
    any when they would not fit the limit a file has: a configuration cannot make the reader allocate more."""
    width = spec.input_dim
    for layer in layers:
        if layer.cls == "Embedding":
            layer.shapes = [(spec.vocab_size, spec.embedding_dim)]
        elif layer.cls in RECURRENT:
            units = fam.blocks * int(layer.options["units"])
            bias = (2, units) if fam.recurrent_bias else (units,)  # Keras's GRU keeps its two biases stacked
            layer.shapes = [(width, units), (units // fam.blocks, units), bias]
            width = units // fam.blocks
        elif layer.cls == "Dense":
            layer.shapes = [(width, int(layer.options["units"])), (int(layer.options["units"]),)]
            width = int(layer.options["units"])
    total = 4 * sum(int(np.prod(shape)) for layer in layers for shape in layer.shapes)
    if total > max_bytes("checkpoint_mb"):
        raise CheckpointError(message("keras_weights_too_big", file=filename, size=total / 2**20))


def _checked_layers(config: dict, filename: str) -> tuple[list[KerasLayer], list]:
    """The model's layers from input to output, every option checked, and the batch shape of its input."""
    kind, body = config.get("class_name"), config.get("config")
    if kind not in ("Sequential", "Functional", "Model") or not isinstance(body, dict) or not _keras_module(config):
        raise InputError(message("keras_model_class", file=filename, kind=kind,
                                 module=config.get("module") or message("keras_no_module")))
    entries = body.get("layers")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise CheckpointError(message("keras_lists_no_layers", file=filename))
    chain = _functional_chain(body, entries, filename) if kind != "Sequential" else entries
    layers, counts = [], {}
    for entry in entries:  # a .keras file names a layer's weights by its class and count, in layer order
        snake = _snake_case(str(entry.get("class_name")))
        zip_path = snake if snake not in counts else f"{snake}_{counts[snake]}"
        counts[snake] = counts.get(snake, 0) + 1
        if any(entry is c for c in chain):
            layers.append(_checked_layer(entry, zip_path, filename))
    batch_shape = _batch_shape(body, layers, filename)
    return [layer for layer in layers if layer.cls != "InputLayer"], batch_shape


def _checked_layer(entry: dict, zip_path: str, filename: str) -> KerasLayer:
    cls, options = entry.get("class_name"), entry.get("config")
    options = options if isinstance(options, dict) else {}
    layer = KerasLayer(str(cls), options, str(options.get("name", entry.get("name", cls))), zip_path)
    where = message("keras_where", file=filename, layer=layer.label)
    if entry.get("registered_name") is not None or not _keras_module(entry):
        raise InputError(message("keras_custom_layer", where=where, name=entry.get("registered_name") or entry.get("module")))
    if cls in REFUSED:
        raise InputError(message("keras_refused", where=where, reason=REFUSED[cls]))
    if cls not in KNOWN:
        raise InputError(message("keras_unknown_layer", where=where))
    _refuse_custom_objects(options, where)
    dtype = options.get("dtype")
    dtype = (dtype.get("config") or {}).get("name") if isinstance(dtype, dict) else dtype
    if cls != "InputLayer" and dtype not in (None, "float32"):
        raise InputError(message("keras_dtype", where=where, dtype=dtype))
    unknown = sorted(set(options) - KNOWN[cls] - set(FIXED[cls]))
    if unknown:
        raise InputError(message("keras_unknown_options", where=where, options=", ".join(unknown)))
    for option, wanted in FIXED[cls].items():
        value = options.get(option, wanted)
        if value != wanted and not (option == "lora_rank" and not value):
            if option in WHY_FIXED:
                raise InputError(message("keras_fixed_option_why", where=where, option=option, value=value, wanted=wanted,
                                         why=WHY_FIXED[option]))
            raise InputError(message("keras_fixed_option", where=where, option=option, value=value, wanted=wanted))
    return layer


def _keras_module(entry: dict) -> bool:
    return str(entry.get("module") or "keras").startswith("keras")


def _refuse_custom_objects(value, where) -> None:
    """A registered custom object (an initialiser, a constraint, an activation function) anywhere in a
    layer's options is refused: the canonical model is made of Keras's own parts only."""
    if isinstance(value, dict):
        custom = value.get("registered_name") is not None or value.get("class_name") in ("function", "__lambda__")
        if custom or not _keras_module(value):
            raise InputError(message("keras_custom_object", where=where, name=value.get("config") or value.get("class_name")))
        for item in value.values():
            _refuse_custom_objects(item, where)
    elif isinstance(value, list):
        for item in value:
            _refuse_custom_objects(item, where)


def _functional_chain(body: dict, entries: list[dict], filename: str) -> list[dict]:
    """A functional model's layers from its input to its output, which must be one plain chain."""
    by_name = {e.get("name", (e.get("config") or {}).get("name")): e for e in entries}
    inputs, outputs = _tensor_names(body.get("input_layers")), _tensor_names(body.get("output_layers"))
    if len(inputs) != 1 or len(outputs) != 1:
        raise InputError(message("keras_inputs_outputs", file=filename, inputs=len(inputs), outputs=len(outputs)))
    chain, masks, name = [], [], outputs[0]
    while True:
        entry = by_name.get(name)
        if entry is None or any(entry is c for c in chain):
            raise CheckpointError(message("keras_broken_graph", file=filename))
        chain.append(entry)
        if name == inputs[0]:
            break
        args, kwargs = _inbound(entry, filename)
        if len(args) != 1 or args[0] is None:
            raise InputError(message("keras_layer_inputs", file=filename, name=name, count=len(args)))
        masks.append(kwargs.get("mask"))
        extra = sorted(k for k, v in kwargs.items() if k not in ("mask", "training") and v is not None)
        if extra:
            raise InputError(message("keras_layer_keywords", file=filename, name=name, keywords=", ".join(extra)))
        name = args[0]
    for entry in entries:
        if any(entry is c for c in chain):
            continue
        is_mask = entry.get("class_name") == MASK_LAYER and entry.get("name") in masks
        if is_mask and _inbound(entry, filename)[0] == [inputs[0], None]:
            continue  # ids != 0, the mask an Embedding's mask_zero makes (read as such: see the module's docstring)
        raise InputError(message("keras_off_the_chain", file=filename, name=entry.get("name"), cls=entry.get("class_name")))
    return chain[::-1]


def _tensor_names(refs) -> list[str]:
    """The layer names in input_layers / output_layers: [name, 0, 0] for one, a list of those for several."""
    if isinstance(refs, list) and len(refs) == 3 and isinstance(refs[0], str):
        refs = [refs]
    if not isinstance(refs, list) or not all(isinstance(r, list) and r and isinstance(r[0], str) for r in refs):
        return []
    return [r[0] for r in refs]


def _inbound(entry: dict, filename: str) -> tuple[list[str | None], dict]:
    """The layers a layer is called on (None for a constant) and its call's keywords, from Keras 3's
    {"args": [tensor, ...], "kwargs": {...}} or Keras 2's [[name, 0, 0, kwargs], ...]."""
    nodes = entry.get("inbound_nodes")
    if not isinstance(nodes, list) or len(nodes) != 1:
        raise InputError(message("keras_layer_reused", file=filename, name=entry.get("name"),
                                 count=len(nodes) if isinstance(nodes, list) else 0))
    node = nodes[0]
    if isinstance(node, dict):
        kwargs = node.get("kwargs") or {}
        return [_history(a) for a in node.get("args", [])], {k: _history(v) or v for k, v in kwargs.items()}
    if isinstance(node, list) and node and all(isinstance(a, list) and a for a in node):
        return [str(a[0]) for a in node], (node[0][3] if len(node[0]) > 3 and isinstance(node[0][3], dict) else {})
    raise CheckpointError(message("keras_inbound_node", file=filename, name=entry.get("name")))


def _history(value) -> str | None:
    """The layer a serialised Keras tensor comes from."""
    if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
        history = (value.get("config") or {}).get("keras_history")
        return str(history[0]) if isinstance(history, list) and history else None
    return None


def _batch_shape(body: dict, layers: list[KerasLayer], filename: str) -> list:
    """The batch shape the model was built for, from its InputLayer, a Keras 2 first layer's
    batch_input_shape, or a Sequential's build_input_shape."""
    first = layers[0].options if layers else {}
    for shape in (first.get("batch_shape"), first.get("batch_input_shape"), body.get("build_input_shape")):
        if isinstance(shape, list) and all(d is None or isinstance(d, int) for d in shape):
            return shape
    raise CheckpointError(message("keras_never_built", file=filename))


def _snake_case(name: str) -> str:
    """keras.src.utils.naming.to_snake_case: LSTM → lstm, SimpleRNN → simple_rnn, InputLayer → input_layer."""
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", re.sub(r"\W+", "", name))
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


# ----- Keras's weights and the canonical layout -----
# Keras keeps a recurrent layer's gate blocks in the canonical order (zoo.family): an LSTM's i, f, c, o
# are i, f, g, o, a GRU's z, r, h are z, r, n; so the blocks are not reordered, only the biases split.
def _canonical(layers: list[KerasLayer], fam: Family) -> Weights:
    weights: Weights = {}
    recurrent = [layer for layer in layers if layer.cls in RECURRENT]
    *hidden, output = [layer for layer in layers if layer.cls == "Dense"]
    for layer in layers:
        if layer.cls == "Embedding":
            weights["embedding"] = layer.arrays[0]
    for k, layer in enumerate(recurrent):
        kernel, recurrent_kernel, bias = layer.arrays
        weights[f"recurrent.{k}.W"], weights[f"recurrent.{k}.U"] = kernel, recurrent_kernel
        if fam.recurrent_bias:
            weights[f"recurrent.{k}.b"], weights[f"recurrent.{k}.b_U"] = bias  # Keras's bias[0], bias[1]
        else:
            weights[f"recurrent.{k}.b"] = bias
    for k, layer in enumerate(hidden):
        weights[f"head.{k}.W"], weights[f"head.{k}.b"] = layer.arrays
    weights["output.W"], weights["output.b"] = output.arrays
    return weights


def _keras_layers(spec: ModelSpec, fam: Family, weights: Weights) -> list[KerasLayer]:
    """The canonical model as Keras layers, with their weights: _canonical's inverse."""
    layers = []
    if spec.input == "tokens":
        layers.append(KerasLayer("Embedding", {"input_dim": spec.vocab_size, "output_dim": spec.embedding_dim,
                                               "mask_zero": True}, "embedding", arrays=[weights["embedding"]]))
    for k, units in enumerate(spec.recurrent):
        bias = weights[f"recurrent.{k}.b"]
        if fam.recurrent_bias:
            bias = np.stack([bias, weights[f"recurrent.{k}.b_U"]])
        options = {"units": units, "return_sequences": k < len(spec.recurrent) - 1}
        layers.append(KerasLayer(KERAS_RECURRENT[fam.name], options, f"recurrent.{k}",
                                 arrays=[weights[f"recurrent.{k}.W"], weights[f"recurrent.{k}.U"], bias]))
    for k, units in enumerate(spec.head):
        layers.append(KerasLayer("Dense", {"units": units, "activation": spec.activation}, f"head.{k}",
                                 arrays=[weights[f"head.{k}.W"], weights[f"head.{k}.b"]]))
    layers.append(KerasLayer("Dropout", {"rate": spec.dropout}, "dropout"))
    layers.append(KerasLayer("Dense", {"units": spec.output_dim, "activation": spec.output_activation}, "output",
                             arrays=[weights["output.W"], weights["output.b"]]))
    return layers


def _keras_model(layers: list[KerasLayer], tokens: bool, width: int):
    """A plain keras.Sequential of these layers and their arrays, reading sequences of any length."""
    from .model import keras  # TensorFlow loads here, once a file has passed its checks

    inputs = keras.Input(shape=(None,), dtype="int32") if tokens else keras.Input(shape=(None, width))
    model = keras.Sequential([inputs, *(getattr(keras.layers, layer.cls)(**layer.build_options()) for layer in layers)])
    for keras_layer, layer in zip(model.layers, layers):
        keras_layer.set_weights(layer.arrays)
    return model


def _runner(model: Architecture):
    """The file's model in Keras, as Imported.original runs it: the last step's outputs, dropout off."""
    spec = model.spec
    keras_model = _keras_model(model.layers, spec.input == "tokens", spec.input_dim)

    def original(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.int32 if spec.input == "tokens" else np.float32)
        y = np.asarray(keras_model(x, training=False))
        return y[:, -1] if y.ndim == 3 else y

    return original


# ----- writing -----
def write(spec: ModelSpec, family: str, weights: Weights, out) -> list[Path]:
    """A .keras file of the canonical model that plain keras.saving.load_model loads: Embedding (masking
    id 0, so right-padded ids read as the zoo reads them) or numbers, one LSTM, GRU or SimpleRNN per
    recurrent layer, the Dense head, Dropout and the output Dense."""
    out = Path(out)
    if out.suffix.lower() != ".keras":
        raise InputError(message("keras_export_suffix", file=out.name, stem=out.stem))
    fam = family_of(family)
    _keras_model(_keras_layers(spec, fam, weights), spec.input == "tokens", spec.input_dim).save(out)
    return [out]

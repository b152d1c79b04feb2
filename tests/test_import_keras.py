"""Keras files in and out of the zoo (plugins/zoo_keras/files.py), with real Keras: models built with plain
Keras (not through the zoo), trained briefly, saved as .keras and legacy .h5, imported and compared with
Keras's own predictions; hostile and unsupported files refused with nothing run or written; exports that
plain keras.saving.load_model loads."""
import io
import json
import re
import zipfile

import h5py
import numpy as np
import pytest

from conftest import require_module, run_zoo

keras = require_module("keras", "pip install 'rnn-zoo[tensorflow]'")

import zoo  # noqa: E402
from zoo import interchange  # noqa: E402
from zoo.backend import Backend  # noqa: E402
from zoo.family import FAMILIES  # noqa: E402
from zoo.spec import ModelSpec  # noqa: E402
from zoo.weights import random_weights  # noqa: E402
from keras import Input, Sequential, layers  # noqa: E402

TOLERANCE = 1e-5
RNG = np.random.default_rng(0)


class LstmModel:
    """The notes' model, exactly as written there (Input(shape=...) is Keras 3's input_shape=...)."""

    def __init__(self):
        self.model = self.build_model()

    def build_model(self):
        model = Sequential()
        model.add(Input(shape=(24, 100)))
        model.add(layers.LSTM(64, return_sequences=True))
        model.add(layers.LSTM(32))
        model.add(layers.Dense(16, activation='relu'))
        model.add(layers.Dropout(0.5))
        model.add(layers.Dense(1, activation='sigmoid'))
        model.compile(loss='binary_crossentropy', optimizer=keras.optimizers.Adam(), metrics=['accuracy'])
        return model


def text_lstm():
    model = Sequential([Input((20,), dtype="int32"), layers.Embedding(300, 16, mask_zero=True), layers.LSTM(12),
                        layers.Dense(8, activation="tanh"), layers.Dropout(0.3), layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def text_gru_functional():
    ids = Input((None,), dtype="int32")
    x = layers.Embedding(200, 8, mask_zero=True)(ids)
    x = layers.GRU(10, return_sequences=True)(x)
    x = layers.Dropout(0.1)(x)
    x = layers.GRU(6)(x)
    x = layers.Dense(5, activation="relu")(x)
    model = keras.Model(ids, layers.Dense(1, activation="sigmoid")(x))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def numbers_rnn():
    model = Sequential([Input((15, 3)), layers.SimpleRNN(8), layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    return model


def multiclass_lstm():
    model = Sequential([Input((None, 2)), layers.LSTM(6), layers.Dense(4, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    return model


# name: (build, the spec the file must read as, its family, the steps it fixes)
MODELS = {
    "notes-lstm": (lambda: LstmModel().model, ModelSpec(input="features", n_features=100, recurrent=(64, 32), head=(16,),
                                                         activation="relu", dropout=0.5), "lstm", 24),
    "text-lstm": (text_lstm, ModelSpec(vocab_size=300, embedding_dim=16, recurrent=(12,), head=(8,), dropout=0.3),
                  "lstm", 20),
    "text-gru-functional": (text_gru_functional, ModelSpec(vocab_size=200, embedding_dim=8, recurrent=(10, 6), head=(5,),
                                                           activation="relu", dropout=0.0), "gru", None),
    "numbers-rnn": (numbers_rnn, ModelSpec(input="features", n_features=3, recurrent=(8,), head=(), dropout=0.0,
                                           task="regression"), "rnn", 15),
    "multiclass-lstm": (multiclass_lstm, ModelSpec(input="features", n_features=2, recurrent=(6,), head=(), dropout=0.0,
                                                   task="multiclass", n_classes=4), "lstm", None),
}


def inputs(spec: ModelSpec, steps: int | None, rows: int = 24) -> np.ndarray:
    steps = steps or 9
    if spec.input == "tokens":
        return RNG.integers(1, spec.vocab_size, size=(rows, steps)).astype(np.int32)
    return RNG.normal(size=(rows, steps, spec.n_features)).astype(np.float32)


def targets(spec: ModelSpec, rows: int) -> np.ndarray:
    if spec.task == "multiclass":
        return RNG.integers(0, spec.n_classes, size=rows)
    return RNG.integers(0, 2, size=rows).astype(np.float32)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """Each model trained for a few batches of random data (so no weight is as initialised), saved as
    .keras and .h5; built on first use."""
    folder, made = tmp_path_factory.mktemp("keras-models"), {}

    def get(name):
        if name not in made:
            build, spec, _, steps = MODELS[name]
            model = build()
            x = inputs(spec, steps, rows=48)
            model.fit(x, targets(spec, 48), batch_size=16, epochs=1, verbose=0)
            model.save(folder / f"{name}.keras")
            model.save(folder / f"{name}.h5")
            made[name] = model
        return made[name], folder / name

    return get


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
@pytest.mark.parametrize("name", list(MODELS))
def test_a_keras_model_imports_with_its_spec_and_predicts_as_keras_does(saved, tmp_path, name, suffix):
    model, stem = saved(name)
    _, spec, family, steps = MODELS[name]
    result = interchange.import_model(stem.with_suffix(suffix), tmp_path / "x.safetensors")
    assert (result.spec, result.family) == (spec, family)
    assert set(result.parity) == {e.name for e in zoo.registry().available_backends(family)}
    assert max(result.parity.values()) <= TOLERANCE, result.parity
    preprocessing = zoo.checkpoint.read_metadata(result.path)["preprocessing"]
    default = interchange.DEFAULT_MAX_LENGTH if spec.input == "tokens" else interchange.DEFAULT_WINDOW
    assert preprocessing["max_length" if spec.input == "tokens" else "window"] == (steps or default)
    x = inputs(spec, steps)
    np.testing.assert_allclose(Backend.load(result.path).predict(x), model.predict(x, verbose=0), atol=TOLERANCE)
    if spec.input == "tokens":  # mask_zero: right padding reads as the zoo's lengths do
        lengths = RNG.integers(1, x.shape[1] + 1, size=len(x))
        padded = np.where(np.arange(x.shape[1]) < lengths[:, None], x, 0)
        np.testing.assert_allclose(Backend.load(result.path).predict(padded, lengths), model.predict(padded, verbose=0),
                                   atol=TOLERANCE)


def test_the_notes_model_reads_as_the_notes_write_it(saved):
    from zoo_keras.files import read

    _, stem = saved("notes-lstm")
    imported = read(stem.with_suffix(".keras"))
    assert imported.spec == MODELS["notes-lstm"][1] and imported.steps == 24 and imported.notes == []
    with pytest.raises(zoo.InputError, match="use relu, not the head activation tanh"):
        read(stem.with_suffix(".keras"), head_activation="tanh")
    with pytest.raises(zoo.InputError, match="makes the task binary, not regression"):
        read(stem.with_suffix(".h5"), task="regression")


def test_what_the_reader_leaves_out_it_says(saved):
    from zoo_keras.files import read

    _, stem = saved("text-gru-functional")
    notes = " | ".join(read(stem.with_suffix(".keras")).notes)
    assert re.search(r"Dropout off at inference: layer 'dropout\w*' \(Dropout\) left out", notes), notes
    assert "masks id 0 (mask_zero)" in notes


def test_a_last_layer_that_returns_every_step_is_read_at_its_last_step(tmp_path):
    model = Sequential([Input((6, 2)), layers.LSTM(3, return_sequences=True, name="every_step"),
                        layers.Dense(1, activation="sigmoid")])
    model.save(tmp_path / "steps.keras")
    result = interchange.import_model(tmp_path / "steps.keras", tmp_path / "x.safetensors")
    assert max(result.parity.values()) <= TOLERANCE
    assert any("'every_step' (LSTM) returns every step" in note for note in result.notes)
    x = inputs(result.spec, 6)
    np.testing.assert_allclose(Backend.load(result.path).predict(x), model.predict(x, verbose=0)[:, -1], atol=TOLERANCE)


# ----- hostile and unsupported files: refused, nothing run, nothing written -----
def refused(path, error, match, tmp_path):
    out = tmp_path / "never.safetensors"
    with pytest.raises(error, match=match):
        interchange.import_model(path, out)
    assert not out.exists()


def test_a_lambda_layer_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "the-lambda-ran"
    payload = eval(f"lambda t: (open({str(marker)!r}, 'w').close(), t)[1]")  # the path in its code, as Keras saves it
    model = Sequential([Input((5, 2)), layers.LSTM(3, return_sequences=True), layers.Lambda(payload, name="payload"),
                        layers.LSTM(2), layers.Dense(1, activation="sigmoid")])
    model.save(tmp_path / "lambda.keras")
    marker.unlink()  # building the model ran it once, in this process
    refused(tmp_path / "lambda.keras", zoo.InputError, r"layer 'payload' \(Lambda\) is refused: it holds Python code",
            tmp_path)
    assert not marker.exists()
    keras.saving.load_model(tmp_path / "lambda.keras", safe_mode=False)  # what the reader did not do
    assert marker.exists()  # so the test can fail: deserialising the file runs the function


def test_a_truncated_zip_and_a_config_that_is_not_json_are_refused_clearly(saved, tmp_path):
    _, stem = saved("notes-lstm")
    data = stem.with_suffix(".keras").read_bytes()
    (tmp_path / "cut.keras").write_bytes(data[: len(data) // 2])
    refused(tmp_path / "cut.keras", zoo.CheckpointError, "not a .keras file.*truncated or corrupt", tmp_path)
    with zipfile.ZipFile(stem.with_suffix(".keras")) as source, zipfile.ZipFile(tmp_path / "bad.keras", "w") as bad:
        for item in source.infolist():
            bad.writestr(item, b"{'layers': oops" if item.filename == "config.json" else source.read(item))
    refused(tmp_path / "bad.keras", zoo.CheckpointError, "config.json is not JSON", tmp_path)
    (tmp_path / "junk.h5").write_bytes(b"\x89HDF\r\n" + bytes(200))
    refused(tmp_path / "junk.h5", zoo.CheckpointError, "not an HDF5 file", tmp_path)


def custom_tanh(x):
    return keras.ops.tanh(x)


@keras.saving.register_keras_serializable(package="zoo_tests")
class Doubler(layers.Layer):
    def call(self, x):
        return 2 * x


UNSUPPORTED = {  # name: (the model's layers after its Input (5 steps of 2), the refusal)
    "bidirectional": ([layers.Bidirectional(layers.LSTM(3), name="both_ways")], r"'both_ways' \(Bidirectional\).*both ways"),
    "go_backwards": ([layers.LSTM(3, go_backwards=True, name="backwards")], r"'backwards' \(LSTM\) has go_backwards=True"),
    "use_bias": ([layers.GRU(3, use_bias=False, name="no_bias")], r"'no_bias' \(GRU\) has use_bias=False"),
    "reset_after": ([layers.GRU(3, reset_after=False, name="old_gru")], r"'old_gru' \(GRU\) has reset_after=False"),
    "custom activation": ([layers.SimpleRNN(3, activation=custom_tanh, name="odd")],
                          r"'odd' \(SimpleRNN\) uses the custom object 'custom_tanh'"),
    "hard sigmoid gates": ([layers.LSTM(3, recurrent_activation="hard_sigmoid", name="hard")],
                           r"'hard' \(LSTM\) has recurrent_activation='hard_sigmoid'"),
    "masking": ([layers.Masking(name="mask"), layers.LSTM(3)], r"'mask' \(Masking\) is refused"),
    "mixed head": ([layers.LSTM(3), layers.Dense(4, activation="relu"), layers.Dense(4, activation="tanh")],
                   "use relu, tanh; the canonical head has one"),
    "registered custom layer": ([layers.LSTM(3), Doubler(name="twice")],
                                r"'twice' \(Doubler\) is a custom layer \(zoo_tests>Doubler\)"),
    "two families": ([layers.LSTM(3, return_sequences=True), layers.GRU(3)], "mix gru, lstm"),
    "multi-label": ([layers.LSTM(3)], r"has 2 unit\(s\) with sigmoid"),
}


@pytest.mark.parametrize("case", list(UNSUPPORTED))
def test_what_the_canonical_model_cannot_hold_is_refused_naming_the_layer(tmp_path, case):
    stack, match = UNSUPPORTED[case]
    output = layers.Dense(2 if case == "multi-label" else 1, activation="sigmoid")
    Sequential([Input((5, 2)), *stack, output]).save(tmp_path / "model.keras")
    refused(tmp_path / "model.keras", zoo.InputError, match, tmp_path)


def test_a_text_vectorization_layer_is_refused_pointing_to_a_vocabulary_file(tmp_path):
    text = Input((1,), dtype="string")
    ids = layers.TextVectorization(output_sequence_length=4, vocabulary=["good", "bad"], name="words")(text)
    output = layers.Dense(1, activation="sigmoid")(layers.LSTM(2)(layers.Embedding(4, 3)(ids)))
    keras.Model(text, output).save(tmp_path / "text.keras")
    refused(tmp_path / "text.keras", zoo.InputError, r"'words' \(TextVectorization\) is refused.*--vocabulary", tmp_path)


def test_a_subclassed_model_is_refused_since_its_file_holds_no_layers(tmp_path):
    class Mine(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.lstm, self.out = layers.LSTM(3), layers.Dense(1, activation="sigmoid")

        def call(self, x):
            return self.out(self.lstm(x))

    model = Mine()
    model(np.zeros((1, 5, 2), np.float32))
    model.save(tmp_path / "mine.keras")
    refused(tmp_path / "mine.keras", zoo.InputError, "the model is a 'Mine'.*only Sequential and functional", tmp_path)


def test_a_stateful_layer_is_refused(tmp_path):
    Sequential([Input(batch_shape=(4, 5, 2)), layers.LSTM(3, stateful=True, name="remembers"),
                layers.Dense(1, activation="sigmoid")]).save(tmp_path / "stateful.h5")
    refused(tmp_path / "stateful.h5", zoo.InputError, r"'remembers' \(LSTM\) has stateful=True", tmp_path)


def test_weights_of_the_wrong_shape_are_refused_naming_the_layer(saved, tmp_path):
    _, stem = saved("text-lstm")
    with zipfile.ZipFile(stem.with_suffix(".keras")) as source, zipfile.ZipFile(tmp_path / "edited.keras", "w") as edited:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "model.weights.h5":
                buffer = io.BytesIO(data)
                with h5py.File(buffer, "r+") as weights:
                    del weights["layers/lstm/cell/vars/1"]
                    weights["layers/lstm/cell/vars/1"] = np.zeros((11, 48), np.float32)
                data = buffer.getvalue()
            edited.writestr(item, data)
    refused(tmp_path / "edited.keras", zoo.CheckpointError, r"'lstm\w*' \(LSTM\) has weights of shapes .*\(11, 48\)",
            tmp_path)
    legacy = tmp_path / "edited.h5"
    legacy.write_bytes(stem.with_suffix(".h5").read_bytes())
    with h5py.File(legacy, "r+") as weights:
        group = weights[f"model_weights/{weights['model_weights'].attrs['layer_names'][0]}"]
        name = group.attrs["weight_names"][0]
        del group[name]
        group[name] = np.zeros((299, 16), np.float32)
    refused(legacy, zoo.CheckpointError, r"'embedding\w*' \(Embedding\) has weights of shapes \[\(299, 16\)\]", tmp_path)


# ----- export -----
EXPORTS = {  # family: (the backend that writes the checkpoint, its spec)
    "lstm": ("torch-lstm", ModelSpec(vocab_size=40, embedding_dim=6, recurrent=(7, 5), head=(4,), dropout=0.25)),
    "gru": ("torch-gru", ModelSpec(vocab_size=30, embedding_dim=5, recurrent=(6,), head=(3,), activation="relu",
                                   task="multiclass", n_classes=3)),
    "rnn": ("numpy-rnn", ModelSpec(input="features", n_features=3, recurrent=(6, 4), head=(), task="regression")),
}


@pytest.mark.parametrize("family", list(EXPORTS))
def test_an_export_loads_in_plain_keras_and_imports_back_bit_for_bit(tmp_path, family):
    backend, spec = EXPORTS[family]
    model = zoo.registry().create(backend, spec)
    model.set_weights(random_weights(spec, 5, FAMILIES[family]))
    checkpoint = model.save(tmp_path / "zoo.safetensors")
    [written] = interchange.export_model(checkpoint, "keras", tmp_path / "out.keras")
    loaded = keras.saving.load_model(written)  # plain Keras: no custom objects
    x = inputs(spec, 11)
    lengths = RNG.integers(1, 12, size=len(x)) if spec.input == "tokens" else None
    if lengths is not None:  # right padding: the export's Embedding masks id 0
        x = np.where(np.arange(11) < lengths[:, None], x, 0)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, lengths), atol=TOLERANCE)
    back = interchange.import_model(written, tmp_path / "back.safetensors")
    assert back.spec == spec and back.family == family
    original, imported = model.get_weights(), Backend.load(back.path).get_weights()
    assert set(original) == set(imported) and all(np.array_equal(original[k], imported[k]) for k in original)


def test_an_export_is_a_keras_file(tmp_path):
    backend, spec = EXPORTS["rnn"]
    model = zoo.registry().create(backend, spec)
    model.set_weights(random_weights(spec, 5, FAMILIES["rnn"]))
    with pytest.raises(zoo.InputError, match="name it out.keras"):
        interchange.export_model(model.save(tmp_path / "zoo.safetensors"), "keras", tmp_path / "out.h5")


@pytest.mark.slow
def test_zoo_import_prints_the_parity_per_backend(saved, tmp_path):
    _, stem = saved("notes-lstm")
    source = tmp_path / "LstmModel.keras"
    source.write_bytes(stem.with_suffix(".keras").read_bytes())
    done = run_zoo("import", str(source), "--out", str(tmp_path / "c.safetensors"), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result["max_abs_diff"]) == {"keras-lstm", "torch-lstm"}
    assert max(result["max_abs_diff"].values()) <= TOLERANCE and result["within_tolerance"]

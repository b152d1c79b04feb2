"""The lab's compare, server side: all three default models answer a 64-token text with full traces
(zoo.workbench.compare_text, warm models, a new text every call so no memo helps). Against one Keras
`model.predict` call on the seed's Sequential model with the same weights: what a user would otherwise
write. Goal: compare ≤ 1.0× one predict call.

    .venv/bin/python bench/compare_latency.py
"""
import itertools
import sys

import numpy as np

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import interleaved, save  # noqa: E402

import zoo  # noqa: E402
from zoo import checkpoint  # noqa: E402
from zoo.prepare import encode_text  # noqa: E402
from zoo.pretrained import PRETRAINED_DIR  # noqa: E402
from zoo.workbench import catalog, compare_text  # noqa: E402

WORDS = "a gorgeous witty seductive movie that never loses its nerve or its heart and the plot".split()


def texts():
    """Endless distinct 64-token sentences (every call is new work for every model)."""
    rng = np.random.default_rng(0)
    for k in itertools.count():
        yield " ".join(rng.choice(WORDS, size=63)) + f" {k}"


def keras_sequential(path):
    """The seed's model as a user writes it, carrying the checkpoint's weights."""
    import keras

    model = zoo.Backend.load(path)
    spec, w = model.spec, model.get_weights()
    net = keras.Sequential([
        keras.Input((None,), dtype="int64"),
        keras.layers.Embedding(spec.vocab_size, spec.embedding_dim),
        keras.layers.LSTM(spec.recurrent[0], return_sequences=True),
        keras.layers.LSTM(spec.recurrent[1]),
        keras.layers.Dense(spec.head[0], activation=spec.activation),
        keras.layers.Dropout(spec.dropout),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    net.layers[0].set_weights([w["embedding"]])
    for k in (0, 1):
        net.layers[1 + k].set_weights([w[f"recurrent.{k}.W"], w[f"recurrent.{k}.U"], w[f"recurrent.{k}.b"]])
    net.layers[3].set_weights([w["head.0.W"], w["head.0.b"]])
    net.layers[5].set_weights([w["output.W"], w["output.b"]])
    return net


def main() -> None:
    # The seed's model (two LSTM layers, Dense 16) on movie reviews, one default per backend: three models.
    cards = [card for card in catalog((PRETRAINED_DIR,)) if card.dataset == "rotten-tomatoes"]
    assert len(cards) == 3, [card.id for card in cards]
    source = texts()
    compare_text(next(source), cards)  # loads every model and framework once
    keras_path = next(c.path for c in cards if c.backend == "keras-lstm")
    net = keras_sequential(keras_path)
    state = checkpoint.read_metadata(keras_path)["preprocessing"]
    ids = encode_text(next(source), state)[0][None]
    check = compare_text(" ".join(state["vocabulary"][2:66]), [c for c in cards if c.backend == "keras-lstm"])[0]
    assert abs(float(net.predict(encode_text(" ".join(state["vocabulary"][2:66]), state)[0][None], verbose=0)[0, 0])
               - float(check.output[0])) < 1e-5, "the Sequential model must be the same model"
    times = interleaved({"compare (3 models, full traces)": lambda: compare_text(next(source), cards),
                         "keras model.predict (1 model)": lambda: net.predict(ids, verbose=0)}, repeats=30)
    ratio = times["compare (3 models, full traces)"] / times["keras model.predict (1 model)"]
    for name, seconds in times.items():
        print(f"{name}: {seconds * 1e3:.1f} ms")
    save("compare_latency", {"tokens": 64, "seconds": times, "ratio": ratio})
    print(f"compare / one keras predict: {ratio:.2f} (goal <= 1.0)")


if __name__ == "__main__":
    main()

"""One training epoch of the seed's model on rotten-tomatoes through the zoo (Backend.fit: the shared
loop, same batches for every backend) against the loop a user would write in the same framework on the
same arrays: a plain PyTorch loop, and Keras's own model.fit. Goal: zoo ≤ 1.1× the hand-written loop.

    .venv/bin/python bench/train_epoch.py [--repeats 3]
"""
import argparse
import statistics
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import save  # noqa: E402

from zoo import registry  # noqa: E402
from zoo.backend import ADAM_EPSILON, batch_order  # noqa: E402
from zoo.datasets import load_dataset  # noqa: E402
from zoo.prepare import prepare  # noqa: E402


def torch_by_hand(data, spec):
    import torch
    from torch import nn

    class Seed(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(spec.vocab_size, spec.embedding_dim)
            self.lstm1 = nn.LSTM(spec.embedding_dim, 64, batch_first=True)
            self.lstm2 = nn.LSTM(64, 32, batch_first=True)
            self.dense = nn.Linear(32, 16)
            self.dropout = nn.Dropout(spec.dropout)
            self.out = nn.Linear(16, 1)

        def forward(self, x, lengths):
            h = self.lstm2(self.lstm1(self.embedding(x))[0])[0][torch.arange(len(x)), lengths - 1]
            return self.out(self.dropout(torch.tanh(self.dense(h))))[:, 0]

    net = Seed()
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3, eps=ADAM_EPSILON)

    def epoch():
        net.train()
        for index in batch_order(len(data.x), 32, 0, 1):
            loss = nn.functional.binary_cross_entropy_with_logits(
                net(torch.tensor(data.x[index]), torch.tensor(data.lengths[index])), torch.tensor(data.y[index], dtype=torch.float32))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return epoch


def keras_by_hand(data, spec):
    import keras

    net = keras.Sequential([
        keras.Input((data.x.shape[1],), dtype="int64"),
        keras.layers.Embedding(spec.vocab_size, spec.embedding_dim, mask_zero=True),
        keras.layers.LSTM(64, return_sequences=True), keras.layers.LSTM(32),
        keras.layers.Dense(16, activation="tanh"), keras.layers.Dropout(spec.dropout),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    net.compile(optimizer=keras.optimizers.Adam(1e-3, epsilon=ADAM_EPSILON), loss="binary_crossentropy")
    return lambda: net.fit(data.x, data.y, batch_size=32, epochs=1, shuffle=True, verbose=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    prepared = prepare(load_dataset("rotten-tomatoes"))
    spec, data = prepared.spec, prepared.train
    results = {}
    for backend, by_hand in (("torch-lstm", torch_by_hand), ("keras-lstm", keras_by_hand)):
        model = registry().create(backend, spec)
        zoo_epoch = lambda: model.fit(data, epochs=1, batch_size=32, lr=1e-3)  # noqa: E731
        hand_epoch = by_hand(data, spec)
        zoo_epoch(), hand_epoch()  # compile and warm both
        times = {"zoo": [], "by hand": []}
        for _ in range(args.repeats):
            for name, fn in (("zoo", zoo_epoch), ("by hand", hand_epoch)):
                started = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - started)
        medians = {name: statistics.median(v) for name, v in times.items()}
        results[backend] = {"seconds": medians, "ratio": medians["zoo"] / medians["by hand"]}
        print(f"{backend}: zoo {medians['zoo']:.2f} s, by hand {medians['by hand']:.2f} s per epoch "
              f"({len(data.x)} reviews), ratio {results[backend]['ratio']:.2f}")
    save("train_epoch", results)
    print("epoch through the zoo / by hand (goal <= 1.1): " + ", ".join(f"{b} {r['ratio']:.2f}" for b, r in results.items()))


if __name__ == "__main__":
    main()

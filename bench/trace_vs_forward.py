"""A full trace (every h, c and gate, and the readout) against the framework's own fused forward of the
same model on the same input, at T=500, batch 1. Goals: ≤ 10× torch, ≤ 3× Keras's compiled call.

    .venv/bin/python bench/trace_vs_forward.py
"""
import sys

import numpy as np

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import interleaved, save  # noqa: E402

from zoo import ModelSpec, registry  # noqa: E402
from zoo.weights import random_weights  # noqa: E402

STEPS = 500


def main() -> None:
    spec = ModelSpec()  # the seed's model
    x = np.random.default_rng(0).integers(1, spec.vocab_size, size=STEPS)
    lengths = np.array([STEPS])
    ratios = {}
    for name in ("torch-lstm", "keras-lstm"):
        model = registry().create(name, spec)
        model.set_weights(random_weights(spec, 0, model.layout))
        if name == "torch-lstm":
            import torch

            ids, n = torch.tensor(x[None]), torch.tensor(lengths)

            def fused():
                with torch.inference_mode():
                    model.net(ids, n)
        else:
            import tensorflow as tf

            ids, n = tf.constant(x[None]), tf.constant(lengths)
            fused = lambda: model._predict_fn(ids, n).numpy()  # noqa: E731 - the compiled Keras call
        times = interleaved({"trace": lambda: model.trace(x), "fused forward": fused})
        ratios[name] = times["trace"] / times["fused forward"]
        print(f"{name}: trace {times['trace'] * 1e3:.2f} ms, fused forward {times['fused forward'] * 1e3:.2f} ms, "
              f"ratio {ratios[name]:.2f}")
        save(f"trace_vs_forward_{name}", {"steps": STEPS, "seconds": times, "ratio": ratios[name]})
    print(f"trace / fused forward at T={STEPS}: torch {ratios['torch-lstm']:.2f} (goal <= 10), keras {ratios['keras-lstm']:.2f} (goal <= 3)")


if __name__ == "__main__":
    main()

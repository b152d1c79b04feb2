"""What isolating backends in worker processes costs (zoo.workers).

Warm: the lab's compare of the three default review models (zoo.workbench.compare_text, a new 64-token
text every call, so no memo helps), each model answering from its backend's worker process, against
the baseline of the same three reads in this process, one after another, with the models loaded here:
what the lab did before it had workers. Goal: workers ≤ 1.2× in-process.

Cold: a backend's first answer in a new worker (spawn a process, import zoo and the framework, load
the checkpoint, answer), per backend; the lab pays it once per backend after start-up or a crash.

    .venv/bin/python bench/worker_overhead.py
"""
import itertools
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import interleaved, save  # noqa: E402

import zoo  # noqa: E402
from zoo import checkpoint, workers  # noqa: E402
from zoo.prepare import text_tokens  # noqa: E402
from zoo.pretrained import PRETRAINED_DIR  # noqa: E402
from zoo.workbench import catalog, compare_text, fits, read_text  # noqa: E402

WORDS = "a gorgeous witty seductive movie that never loses its nerve or its heart and the plot".split()
COLD_REPEATS = 3


def texts():
    """Endless distinct 64-token sentences (every call is new work for every model)."""
    rng = np.random.default_rng(0)
    for k in itertools.count():
        yield " ".join(rng.choice(WORDS, size=63)) + f" {k}"


def cold_start(card) -> float:
    """Median seconds from no worker to the first answer of ``card``'s backend."""
    times = []
    for _ in range(COLD_REPEATS):
        workers.shutdown()
        started = time.perf_counter()
        workers.run(card.backend, card.path, fits)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    cards = [card for card in catalog((PRETRAINED_DIR,)) if card.dataset == "rotten-tomatoes"]
    assert len(cards) == 3, [card.id for card in cards]
    here = [(zoo.Backend.load(card.path), checkpoint.read_metadata(card.path)["preprocessing"]) for card in cards]

    def in_process(text):
        tokens = text_tokens(text)
        return [read_text(model, state, tokens)["trace"].output for model, state in here]

    source = texts()
    sample = next(source)
    through_workers = [answer.output for answer in compare_text(sample, cards)]  # starts and warms every worker
    for a, b in zip(through_workers, in_process(sample)):
        assert np.allclose(a, b, atol=1e-6), "both paths must give the same answers"
    times = interleaved({"in-process (3 models, one after another)": lambda: in_process(next(source)),
                         "workers (3 models, a process each)": lambda: compare_text(next(source), cards)}, repeats=40)
    ratio = times["workers (3 models, a process each)"] / times["in-process (3 models, one after another)"]
    for name, seconds in times.items():
        print(f"{name}: {seconds * 1e3:.1f} ms")
    print(f"warm compare, workers / in-process: {ratio:.2f} (goal <= 1.2)")
    cold = {card.backend: cold_start(card) for card in cards}
    for backend, seconds in cold.items():
        print(f"cold start of a {backend} worker (spawn, import, load, first answer): {seconds:.2f} s")
    workers.shutdown()
    save("worker_overhead", {"tokens": 64, "seconds": times, "ratio": ratio, "cold_start_seconds": cold})


if __name__ == "__main__":
    main()

"""The Units tab's answer for the shipped defaults, warm, and the memory of tracing a large split.

1. Warm answer: for every shipped default on its own test split, what the tab runs for one Explore
   (zoo.units: the split, the cached states, explore) once the states are cached, against the cold run
   that traced the split and cached it. Goal: warm ≤ 2 s for every default.
2. Memory: split_states over long-dependency's train split (tens of thousands of steps), peak Python
   heap (tracemalloc, NumPy's arrays included) against the size of the states it returns; the baseline
   is the plain way, every trace kept and concatenated at the end. Goal: peak ≤ 1.5× the answer.

    .venv/bin/python bench/units_explore.py
"""
import os
import statistics
import sys
import tempfile
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from common import median_seconds, save  # noqa: E402

from zoo import units  # noqa: E402
from zoo.backend import Backend  # noqa: E402
from zoo.pretrained import PRETRAINED_DIR  # noqa: E402


def tab_answer(path, directory) -> dict:
    """One Explore for a model on its own test split: what zoo_lab.units_tab.explore_units computes."""
    return units.explore(units.states(path, units.dataset_split(path), directory=directory), 0, None, 5)


def warm_answers(directory) -> dict:
    rows = {}
    for path in sorted(PRETRAINED_DIR.glob("*.safetensors")):
        started = time.perf_counter()
        found = tab_answer(path, directory)  # cold: prepares the split, loads the model, traces, caches
        cold = time.perf_counter() - started
        units._recent.clear()  # warm as a restarted server is: the states come from the files
        first_read = median_seconds(lambda: tab_answer(path, directory), repeats=1, warmup=0)
        warm = median_seconds(lambda: tab_answer(path, directory), repeats=5, warmup=1)
        rows[path.stem] = {"steps": found["steps"], "cold_s": round(cold, 3), "first_read_s": round(first_read, 4),
                           "warm_s": round(warm, 4)}
        print(f"{path.stem}: {found['steps']:,} steps, cold {cold:.2f} s, first read {first_read * 1000:.0f} ms, "
              f"warm {warm * 1000:.0f} ms")
    return rows


def naive_states(model, x, lengths) -> dict:
    """The plain way: keep every trace, concatenate at the end."""
    traces = [model.trace(x[row, :length]).arrays() for row, length in enumerate(lengths)]
    return {name: np.concatenate([t[name] for t in traces]) for name in traces[0]}


def peak_bytes(fn) -> tuple[int, int]:
    tracemalloc.start()
    out = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, sum(value.nbytes for value in out.values())


def memory() -> dict:
    path = PRETRAINED_DIR / "long-dependency-torch-lstm-seed0.safetensors"
    split = units.dataset_split(path, split="train")
    model = Backend.load(path)
    model.trace(split.x[0, :split.lengths[0]])  # the first trace builds what the backend keeps: not the split's
    streamed, answer = peak_bytes(lambda: units.split_states(model, split.x, split.lengths))
    kept, _ = peak_bytes(lambda: naive_states(model, split.x, split.lengths))
    steps = int(split.lengths.sum())
    print(f"split_states over {steps:,} steps ({len(split.lengths):,} sequences): answer {answer / 2**20:.1f} MiB, "
          f"peak {streamed / 2**20:.1f} MiB; every trace kept: peak {kept / 2**20:.1f} MiB")
    return {"steps": steps, "sequences": len(split.lengths), "answer_mib": answer / 2**20,
            "streamed_peak_mib": streamed / 2**20, "kept_peak_mib": kept / 2**20}


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        answers = warm_answers(directory)
    used = memory()
    slowest = max(row["warm_s"] for row in answers.values())
    ratio = used["streamed_peak_mib"] / used["answer_mib"]
    save("units_explore", {"answers": answers, "memory": used, "slowest_warm_s": slowest,
                           "median_warm_s": statistics.median(row["warm_s"] for row in answers.values())})
    print(f"slowest warm answer {slowest:.3f} s (goal ≤ 2 s); split_states peak / answer: {ratio:.2f} "
          f"(every trace kept: {used['kept_peak_mib'] / used['answer_mib']:.2f}; goal ≤ 1.5)")


if __name__ == "__main__":
    main()

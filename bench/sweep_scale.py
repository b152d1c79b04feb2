"""Wall time of one fixed small lab sweep (long-dependency at lags 5 and 10, seeds 0-3, the three bundled
backends: 24 real cells of the shipped budget) with 1 worker (this process) against 2 local workers
(goal: >= 1.8x faster on 2 cores), and on a two-node Ray cluster simulated here (`ray start --head` plus
one more node, one CPU each) against the 2 local workers. Every run starts from an empty cache and
includes its workers' start-up; the cluster's own start-up is printed but not counted.

    .venv/bin/python bench/sweep_scale.py
"""
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import save  # noqa: E402

from zoo import fanout, long_range  # noqa: E402

BACKENDS = ("keras-lstm", "torch-lstm", "numpy-rnn")
LAGS, SEEDS = (5, 10), (0, 1, 2, 3)


def timed_sweep(**where) -> float:
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        out = long_range.sweep(BACKENDS, ["long-dependency"], LAGS, SEEDS, cache_dir=Path(cache), **where)
        seconds = time.perf_counter() - started
    assert not out.failed and len(out.results) == len(BACKENDS) * len(LAGS) * len(SEEDS), out.failed
    return seconds


def main() -> None:
    cells = len(BACKENDS) * len(LAGS) * len(SEEDS)
    seconds = {"1 local worker (in-process)": timed_sweep(workers=1), "2 local workers": timed_sweep(workers=2)}
    started = time.perf_counter()
    with fanout.local_ray_cluster(node_cpus=(1, 1)) as address:
        print(f"two-node Ray cluster up in {time.perf_counter() - started:.1f} s")
        seconds["Ray, 2 nodes of 1 CPU"] = timed_sweep(ray=address)
    for name, value in seconds.items():
        print(f"{name}: {value:.1f} s for {cells} cells")
    speedup = seconds["1 local worker (in-process)"] / seconds["2 local workers"]
    ray_ratio = seconds["Ray, 2 nodes of 1 CPU"] / seconds["2 local workers"]
    save("sweep_scale", {"cells": cells, "seconds": seconds, "speedup_2_workers": speedup, "ray_over_pool": ray_ratio})
    print(f"2 local workers: {speedup:.2f}x faster than 1 (goal >= 1.8); Ray on 2 nodes / 2 local workers: {ray_ratio:.2f}")


if __name__ == "__main__":
    main()

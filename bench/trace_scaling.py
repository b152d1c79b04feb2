"""Trace time and peak memory at T = 100, 1,000 and 10,000 for every bundled backend: both should grow
linearly in T. Each (backend, T) runs in a fresh process so its peak memory is its own; memory is the
rise of the peak resident set over a warm-up trace at T=10.

    .venv/bin/python bench/trace_scaling.py
"""
import json
import subprocess
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from common import save  # noqa: E402

BACKENDS = ("keras-lstm", "torch-lstm", "numpy-rnn")
STEPS = (100, 1_000, 10_000)
ONE_RUN = """
import json, resource, statistics, sys, time
import numpy as np
from zoo import ModelSpec, registry
from zoo.weights import random_weights
name, steps = sys.argv[1], int(sys.argv[2])
spec = ModelSpec()
model = registry().create(name, spec)
model.set_weights(random_weights(spec, 0, model.layout))
x = np.random.default_rng(0).integers(1, spec.vocab_size, size=steps)
model.trace(x[:10])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times = []
for _ in range(5):
    started = time.perf_counter(); model.trace(x); times.append(time.perf_counter() - started)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": statistics.median(times), "peak_rise_mb": (peak - before) / 1024}))
"""


def main() -> None:
    rows = []
    for name in BACKENDS:
        for steps in STEPS:
            out = subprocess.run([sys.executable, "-c", ONE_RUN, name, str(steps)], capture_output=True, text=True, check=True)
            row = {"backend": name, "steps": steps, **json.loads(out.stdout.strip().splitlines()[-1])}
            rows.append(row)
            print(f"{name:10s} T={steps:>6}: {row['seconds'] * 1e3:8.1f} ms, peak memory +{row['peak_rise_mb']:.1f} MB")
    growth = {name: next(r["seconds"] for r in rows if r["backend"] == name and r["steps"] == 10_000)
              / next(r["seconds"] for r in rows if r["backend"] == name and r["steps"] == 1_000) for name in BACKENDS}
    save("trace_scaling", {"rows": rows, "time_10000_over_1000": growth})
    print("trace time T=10,000 / T=1,000 (linear is 10): " + ", ".join(f"{n} {g:.1f}" for n, g in growth.items()))


if __name__ == "__main__":
    main()

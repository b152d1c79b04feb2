"""What serving the lab's tools over MCP costs a person using the page: the lab started with ``--mcp`` against
the same lab with ``--no-mcp``, alternately in one run. Per start: seconds to the first HTTP 200 of the page,
the median of 20 warm compare round trips through the page's own compare event (gradio_client, the three
long-dependency models), and the server's resident memory after them. Goal: no measurable cost (every
ratio within the runs' own spread), which is why MCP is on by default.

    .venv/bin/python bench/mcp_cost.py [--runs 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from common import save  # noqa: E402
from page_load import ROOT, free_port, wait_for_page  # noqa: E402

SENTENCE = "He likes a girl and the old house near the river but he likes a boy."
MODELS = ["default/long-dependency-keras-lstm-seed0", "default/long-dependency-torch-lstm-seed0",
          "default/long-dependency-numpy-rnn-seed0"]


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def one_start(flag: str, home: Path) -> dict:
    """One lab started with ``flag``: its first page, then warm compares through the page's event."""
    from gradio_client import Client

    port = free_port()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "GRADIO_ANALYTICS_ENABLED": "False"}
    command = [sys.executable, "demo.py", "--port", str(port), flag]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first_page = wait_for_page(port, started)
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        for k in range(3):  # load the frameworks and models: warm from here on
            client.predict(f"{SENTENCE} {k}", MODELS, 0, -1, "shared", "unit", api_name="/compare_text")
        trips = []
        for k in range(20):
            t = time.perf_counter()
            client.predict(f"{SENTENCE} warm {k}", MODELS, 0, -1, "shared", "unit", api_name="/compare_text")  # new text: no memo
            trips.append(time.perf_counter() - t)
        return {"first_page_s": first_page, "compare_ms": statistics.median(trips) * 1000,
                "resident_mib": resident_mib(process.pid)}
    finally:
        process.terminate()
        process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = {"--no-mcp": [], "--mcp": []}
    with tempfile.TemporaryDirectory(prefix="mcp-cost-") as folder:
        for _ in range(args.runs):
            for flag in runs:
                runs[flag].append(one_start(flag, Path(folder)))
    load = os.getloadavg()[0]
    medians = {flag: {k: statistics.median(r[k] for r in rows) for k in rows[0]} for flag, rows in runs.items()}
    for flag, rows in runs.items():
        print(f"{flag:9s} " + "  ".join(f"{k} {medians[flag][k]:.2f} (runs {', '.join(f'{r[k]:.2f}' for r in rows)})"
                                        for k in rows[0]))
    ratios = {k: medians["--mcp"][k] / medians["--no-mcp"][k] for k in medians["--mcp"]}
    print("MCP on / off: " + ", ".join(f"{k} {v:.2f}×" for k, v in ratios.items()) + f"  (load average {load:.1f})")
    save("mcp_cost", {"runs": runs, "medians": medians, "ratios": ratios, "load_average": load})


if __name__ == "__main__":
    main()

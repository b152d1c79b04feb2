"""Time from process start to the first HTTP 200 of the lab's page, against a bare Gradio Blocks app
started the same way in the same run (the floor: Python + Gradio start-up). Runs alternate so that
machine noise hits both alike; the last line is the ratio of the medians.

    .venv/bin/python bench/page_load.py [--runs 5]
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_APP = """
import sys, gradio as gr
with gr.Blocks() as app:
    gr.Textbox(label="Text")
    gr.Button("Compare")
app.launch(server_name="127.0.0.1", server_port=int(sys.argv[1]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seconds_to_first_page(command: list[str], port: int, timeout: float = 120) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return wait_for_page(port, started, timeout)
    finally:
        process.terminate()
        process.wait(10)


def wait_for_page(port: int, started: float, timeout: float = 120) -> float:
    """Seconds from ``started`` (a perf_counter reading) to the first HTTP 200 on ``port``."""
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"nothing served on port {port} within {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "page_load.json"))
    args = parser.parse_args()
    times = {"bare gradio": [], "rnn zoo lab": []}
    for _ in range(args.runs):
        port = free_port()
        times["bare gradio"].append(seconds_to_first_page([sys.executable, "-c", BARE_APP, str(port)], port))
        port = free_port()
        times["rnn zoo lab"].append(seconds_to_first_page([sys.executable, "demo.py", "--port", str(port)], port))
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["rnn zoo lab"] / medians["bare gradio"]
    for name, values in times.items():
        print(f"{name:12s} median {medians[name]:.2f} s  runs {', '.join(f'{v:.2f}' for v in values)}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"runs": times, "median_seconds": medians, "ratio": ratio}, indent=2))
    print(f"page load ratio (lab / bare gradio, goal <= 1.3): {ratio:.2f}")


if __name__ == "__main__":
    main()

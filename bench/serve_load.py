"""The served compare, over HTTP, against a bare Gradio echo app served the same way in the same run.

Two servers on loopback, each a process of its own: the lab (`demo.py`, its own home and cache) and a
bare Gradio Blocks app with one endpoint that echoes a string, behind the same queue settings as the
lab's (`zoo_lab.app.QUEUE`). Measured in one run:

(a) one warm compare round trip (gradio_client, `/compare_text`, the three review models), the median
    of N interleaved with the echo's round trip;
(b) 50 concurrent clients each doing one compare: wall time for all 50, against 50 concurrent echo
    calls; errors counted (must be 0); bursts interleaved with the echo's, median of the rounds;
(c) where the CPU of a burst goes: seconds of CPU (user + system, from /proc) that the lab's server
    process, its model workers, the echo app and this script's clients spent in each burst, medians of
    the rounds: on a 2-core machine the clients share the cores with the servers;
(d) the reply's size in bytes: the SSE stream of one compare (`/gradio_api/call/compare_text`), as the
    browser and every client receive it.

Every sentence is new to the server ("uncached": what a class typing their own sentences costs); (a) and
(b) are then repeated with one sentence the server has already answered ("cached": a class typing the
same example), since the lab remembers recent answers. Goals: warm compare ≤ 1.3× the echo's round trip;
50 concurrent ≤ 1.3× the echo burst, 0 errors.

    .venv/bin/python bench/serve_load.py [--repeats 20] [--rounds 3] [--clients 50]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from common import save  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MODELS = ["default/rotten-tomatoes-keras-lstm-seed0", "default/rotten-tomatoes-torch-lstm-seed0",
          "default/rotten-tomatoes-numpy-rnn-seed0"]
SENTENCE = "A gorgeous, witty, seductive movie that never loses its nerve or its heart."
ECHO_APP = """
import sys, gradio as gr
from zoo_lab.app import QUEUE
with gr.Blocks() as app:
    text = gr.Textbox(label="Text")
    out = gr.Textbox()
    gr.Button("Echo").click(lambda s: s, text, out, api_name="echo")
app.queue(**QUEUE).launch(server_name="127.0.0.1", server_port=int(sys.argv[1]))
"""


PORTS = range(7880, 7900)  # the demo servers' ports here, loopback only


def free_port(taken=()) -> int:
    """A port of PORTS nothing listens on (two calls: pass the first's as taken)."""
    import socket

    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS}")


def serve(command: list[str], port: int, env: dict, timeout: float = 180) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise TimeoutError(f"{command} served nothing within {timeout} s")


def compare_args(text: str) -> tuple:
    return text, MODELS, 0, -1, "shared", "unit"  # text, models, layer, unit (-1: auto), scale, gates view


def sentences(prefix: str):
    """A new sentence each call: nothing the server has answered before."""
    k = 0
    while True:
        k += 1
        yield f"{SENTENCE} {prefix} {k}"


def round_trips(lab, echo, texts, repeats: int, same: bool) -> dict:
    times = {"echo": [], "compare": []}
    for _ in range(repeats):
        started = time.perf_counter()
        echo.predict(SENTENCE, api_name="/echo")
        times["echo"].append(time.perf_counter() - started)
        started = time.perf_counter()
        lab.predict(*compare_args(SENTENCE if same else next(texts)), api_name="/compare_text")
        times["compare"].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_pids(pid: int) -> list[int]:
    """The process's children, whichever of its threads started them (pebble starts workers from its own)."""
    return [int(p) for task in Path(f"/proc/{pid}/task").iterdir() for p in (task / "children").read_text().split()]


def burst(clients, call) -> tuple[float, int]:
    """Every client calls at once; seconds until the last answer, and how many failed."""
    errors = 0
    barrier = threading.Barrier(len(clients) + 1)

    def one(k):
        barrier.wait()
        try:
            call(clients[k], k)
            return 0
        except Exception as err:  # an error is counted, and said
            print(f"  client {k}: {type(err).__name__}: {err}", file=sys.stderr)
            return 1

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        futures = [pool.submit(one, k) for k in range(len(clients))]
        barrier.wait()
        started = time.perf_counter()
        errors = sum(f.result() for f in futures)
        return time.perf_counter() - started, errors


def bursts(lab_clients, echo_clients, texts, rounds: int, same: bool, lab_pid: int, echo_pid: int) -> dict:
    walls = {"echo": [], "compare": []}
    errors = {"echo": 0, "compare": 0}
    cpu = {"echo": [], "compare": []}
    for _ in range(rounds):
        batch = [SENTENCE if same else next(texts) for _ in lab_clients]
        for name, clients, call in (("echo", echo_clients, lambda c, k: c.predict(SENTENCE, api_name="/echo")),
                                    ("compare", lab_clients, lambda c, k: c.predict(*compare_args(batch[k]), api_name="/compare_text"))):
            parts = {"lab server": [lab_pid], "lab workers": child_pids(lab_pid), "echo app": [echo_pid], "clients": [os.getpid()]}
            before = {part: sum(map(cpu_seconds, pids)) for part, pids in parts.items()}
            seconds, failed = burst(clients, call)
            cpu[name].append({part: sum(map(cpu_seconds, pids)) - before[part] for part, pids in parts.items()})
            walls[name].append(seconds)
            errors[name] += failed
    return {"wall_seconds": {name: statistics.median(values) for name, values in walls.items()},
            "rounds": walls, "errors": errors,
            "cpu_seconds": {name: {part: statistics.median(r[part] for r in rs) for part in rs[0]} for name, rs in cpu.items()}}


def reply_bytes(url: str, text: str) -> int:
    """The bytes of one compare's reply as it travels: the SSE stream of Gradio's HTTP API."""
    body = json.dumps({"data": list(compare_args(text))}).encode()
    request = urllib.request.Request(f"{url}/gradio_api/call/compare_text", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        event = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{url}/gradio_api/call/compare_text/{event}", timeout=120) as response:
        stream = response.read()
    assert b"event: complete" in stream, stream[:500]
    return len(stream)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    from gradio_client import Client

    home = Path(tempfile.mkdtemp(prefix="serve-load-"))
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "RNN_ZOO_CACHE": str(home / "zoo"),
           "GRADIO_ANALYTICS_ENABLED": "False"}
    lab_port = free_port()
    echo_port = free_port(taken=(lab_port,))
    servers = []
    try:
        servers.append(serve([sys.executable, "demo.py", "--port", str(lab_port)], lab_port, env))
        servers.append(serve([sys.executable, "-c", ECHO_APP, str(echo_port)], echo_port, env))
        lab_url, echo_url = f"http://127.0.0.1:{lab_port}", f"http://127.0.0.1:{echo_port}"
        lab, echo = Client(lab_url, verbose=False), Client(echo_url, verbose=False)
        texts = sentences("uncached")
        for _ in range(3):  # the first compare starts the three workers (Keras takes seconds)
            lab.predict(*compare_args(next(texts)), api_name="/compare_text")
            echo.predict(SENTENCE, api_name="/echo")
        lab.predict(*compare_args(SENTENCE), api_name="/compare_text")  # the cached sentence, answered once
        size = {"uncached": reply_bytes(lab_url, next(texts)), "cached": reply_bytes(lab_url, SENTENCE)}
        warm = {"uncached": round_trips(lab, echo, texts, args.repeats, same=False),
                "cached": round_trips(lab, echo, texts, args.repeats, same=True)}
        timeout = {"httpx_kwargs": {"timeout": 300}}
        lab_clients = [Client(lab_url, verbose=False, **timeout) for _ in range(args.clients)]
        echo_clients = [Client(echo_url, verbose=False, **timeout) for _ in range(args.clients)]
        pids = {"lab_pid": servers[0].pid, "echo_pid": servers[1].pid}
        load = {"uncached": bursts(lab_clients, echo_clients, texts, args.rounds, same=False, **pids),
                "cached": bursts(lab_clients, echo_clients, texts, args.rounds, same=True, **pids)}
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(30)
    average = os.getloadavg()
    results = {"models": MODELS, "clients": args.clients, "repeats": args.repeats, "rounds": args.rounds,
               "reply_bytes": size, "warm_round_trip_seconds": warm, "concurrent": load,
               "load_average": average, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    for case in ("uncached", "cached"):
        w, c = warm[case], load[case]
        results[f"warm_ratio_{case}"] = w["compare"] / w["echo"]
        results[f"concurrent_ratio_{case}"] = c["wall_seconds"]["compare"] / c["wall_seconds"]["echo"]
        print(f"{case}: one warm compare {w['compare'] * 1e3:.0f} ms, echo {w['echo'] * 1e3:.0f} ms "
              f"(medians of {args.repeats}, interleaved)")
        print(f"{case}: {args.clients} concurrent compares {c['wall_seconds']['compare']:.2f} s, {args.clients} echoes "
              f"{c['wall_seconds']['echo']:.2f} s (medians of {args.rounds} rounds), errors {c['errors']}")
        for name, parts in c["cpu_seconds"].items():
            print(f"{case}: CPU seconds in a burst of {name} calls: " + ", ".join(f"{part} {s:.2f}" for part, s in parts.items()))
        print(f"{case}: reply of one compare {size[case]:,} bytes")
    print(f"load average {average[0]:.2f} {average[1]:.2f} {average[2]:.2f}")
    save("serve_load", results)
    for case in ("uncached", "cached"):
        print(f"{case}: warm compare / echo round trip {results[f'warm_ratio_{case}']:.2f} (goal <= 1.3); "
              f"{args.clients} concurrent compares / echoes {results[f'concurrent_ratio_{case}']:.2f} (goal <= 1.3)")


if __name__ == "__main__":
    main()

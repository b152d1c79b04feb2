"""Where the lab's cells train (zoo.fanout): in this process, on local worker processes, on a real Ray
cluster. A cell's result and weights are the same bit for bit wherever it ran; a cancel keeps what
finished; a worker that dies is reported. Tiny budgets: each cell is a few batches."""
import importlib.util
import json
import multiprocessing
import os
import socket
import subprocess
import sys
import threading

import numpy as np
import pytest

from zoo import fanout, long_range
from zoo.backend import Backend

from conftest import install_plugins, missing, parse_json, run_python, run_zoo

BACKENDS = ("numpy-rnn", "torch-lstm", "keras-lstm")
TINY = long_range.Budget("long-dependency", "lag", "accuracy", 0.5, n=200, epochs=1, batch_size=32, lr=3e-3)
TINY_SOURCE = ("long_range.TASKS['long-dependency'] = long_range.Budget('long-dependency', 'lag', 'accuracy', 0.5, "
               "n=200, epochs=1, batch_size=32, lr=3e-3)")


@pytest.fixture
def tiny(monkeypatch):
    monkeypatch.setitem(long_range.TASKS, "long-dependency", TINY)


def in_process_sweep(cache_dir, backends=BACKENDS, seeds=(0, 1)) -> list[dict]:
    """The sweep with one worker in a fresh interpreter, as `zoo lab --workers 1` runs it: every framework
    starts there under the cell's thread settings, so the cells train in that very process."""
    code = (f"import json, sys\nfrom zoo import long_range, threads\n{TINY_SOURCE}\n"
            "assert threads.can_hold(long_range.CELL_THREADS)\n"
            f"out = long_range.sweep({list(backends)!r}, ['long-dependency'], [5], {list(seeds)!r}, cache_dir={str(cache_dir)!r}, workers=1)\n"
            "import multiprocessing\n"
            "print(json.dumps({'results': out.results, 'failed': out.failed, 'children': len(multiprocessing.active_children()),\n"
            "                  'tensorflow_here': 'tensorflow' in sys.modules}))\n")
    out = json.loads(run_python(code).stdout)
    assert out["failed"] == [] and out["children"] == 0 and out["tensorflow_here"] == ("keras-lstm" in backends)
    return out["results"]


def needs_ray():
    if importlib.util.find_spec("ray") is None:
        missing("ray is not installed: pip install 'rnn-zoo[ray]'")


def assert_same_cells(results_a, dir_a, results_b, dir_b) -> None:
    """Every cell's score, losses and steps equal, and every trained weight equal bit for bit."""
    assert len(results_a) == len(results_b) > 0
    for a, b in zip(results_a, results_b):
        assert (a["backend"], a["seed"], a["key"]) == (b["backend"], b["seed"], b["key"])
        assert (a["score"], a["val_loss"], a["steps"]) == (b["score"], b["val_loss"], b["steps"]), a["backend"]
        wa = Backend.load(dir_a / f"{a['key']}.safetensors").get_weights()
        wb = Backend.load(dir_b / f"{b['key']}.safetensors").get_weights()
        assert set(wa) == set(wb) and all(np.array_equal(wa[k].view(np.uint32), wb[k].view(np.uint32)) for k in wa), a["backend"]


def test_a_cell_is_the_same_in_process_and_on_the_local_pool(tmp_path, tiny):
    here = in_process_sweep(tmp_path / "here")
    pool = long_range.sweep(BACKENDS, ["long-dependency"], [5], [0, 1], cache_dir=tmp_path / "pool", workers=2)
    assert pool.failed == [] and not pool.cancelled
    assert [r["seed"] for r in pool.results] == [0, 0, 0, 1, 1, 1]
    assert pool.results[0]["score"] != pool.results[3]["score"] or pool.results[0]["val_loss"] != pool.results[3]["val_loss"]
    assert_same_cells(here, tmp_path / "here", pool.results, tmp_path / "pool")
    # a cell computed anywhere is served everywhere: the pool's cache answers the same sweep without training
    again = long_range.sweep(BACKENDS, ["long-dependency"], [5], [0, 1], cache_dir=tmp_path / "pool", workers=2,
                             progress=lambda s: s.running == 0 or pytest.fail("a cached cell was trained again"))
    assert again.results == pool.results


def test_a_process_whose_tensorflow_runs_on_more_threads_trains_its_cells_in_a_worker(tmp_path):
    """TensorFlow's thread pools cannot change once it ran (a lab server has): one worker then trains in
    a fresh worker process rather than here on other threads, and the cell is the same as ever."""
    code = (f"import json, multiprocessing\nimport tensorflow as tf\nfrom zoo import long_range, threads\n{TINY_SOURCE}\n"
            "tf.constant(1.0) + 1  # TensorFlow starts on its default threads\n"
            "held = threads.can_hold(long_range.CELL_THREADS)\n"
            "children = []\n"
            f"out = long_range.sweep(['keras-lstm'], ['long-dependency'], [5], [0], cache_dir={str(tmp_path / 'busy')!r}, workers=1,\n"
            "                       progress=lambda s: children.append(len(multiprocessing.active_children())))\n"
            "print(json.dumps({'held': held, 'children': max(children), 'results': out.results}))\n")
    busy = json.loads(run_python(code).stdout)
    assert busy["held"] is False and busy["children"] == 1
    here = in_process_sweep(tmp_path / "here", backends=("keras-lstm",), seeds=(0,))
    assert_same_cells(here, tmp_path / "here", busy["results"], tmp_path / "busy")


def test_zoo_lab_json_carries_every_seed_and_the_spread(tmp_path):
    out = parse_json(run_zoo("lab", "--backends", "numpy-rnn", "--tasks", "long-dependency", "--lags", "5", "--seeds", "3,4",
                             "--workers", "2", "--cache-dir", str(tmp_path), "--json", env={"XDG_CACHE_HOME": str(tmp_path)}))
    assert out["seeds"] == [3, 4] and [r["seed"] for r in out["results"]] == [3, 4]
    assert out["failed"] == [] and out["cancelled"] is False
    (summary,) = out["over_seeds"]
    scores = [r["score"] for r in out["results"]]
    assert summary["seeds"] == [3, 4] and summary["scores"] == scores
    assert summary["mean"] == pytest.approx(np.mean(scores)) and summary["spread"] == pytest.approx(np.std(scores, ddof=1))
    assert len(list(tmp_path.glob("*.json"))) == 2  # both seeds trained and kept


@pytest.mark.parametrize("workers", [1, 2, pytest.param("ray", marks=pytest.mark.slow)])
def test_cancel_stops_the_running_cells_and_keeps_the_finished(tmp_path, monkeypatch, workers):
    # long enough that a cell is still running when the first one finishes
    monkeypatch.setitem(long_range.TASKS, "long-dependency", long_range.Budget("long-dependency", "lag", "accuracy", 0.5,
                                                                             n=1000, epochs=3, batch_size=32, lr=3e-3))
    cancel = threading.Event()
    before = set(multiprocessing.active_children())  # other tests' backend workers (zoo.workers) may be alive

    def progress(state):
        if state.done >= 1 and state.running >= 1:  # one cell kept, another one training
            cancel.set()

    if workers == "ray":
        needs_ray()
        with fanout.local_ray_cluster(node_cpus=(1, 1)) as address:
            out = long_range.sweep(["numpy-rnn"], ["long-dependency"], [5, 6, 7, 8], [0], cache_dir=tmp_path, ray=address,
                                   progress=progress, cancel=cancel)
    else:
        out = long_range.sweep(["numpy-rnn"], ["long-dependency"], [5, 6, 7, 8], [0], cache_dir=tmp_path, workers=workers,
                               progress=progress, cancel=cancel)
    assert out.cancelled and out.failed == []
    assert 1 <= len(out.results) < 4
    kept = {p.stem for p in tmp_path.glob("*.json")}
    assert kept == {r["key"] for r in out.results}  # what finished is kept, nothing else was written
    assert {p.stem for p in tmp_path.glob("*.safetensors")} == kept and not list(tmp_path.glob("*.tmp"))
    assert set(multiprocessing.active_children()) <= before  # no sweep worker left running


DYING_PLUGIN = '''
import os
import signal

import zoo
from zoo_rnn.model import NumpyRNN


class DyingRNN(NumpyRNN):
    """Dies mid-training as a crash in a native library would: no exception, no clean-up."""

    def _train_step(self, batch):
        os.kill(os.getpid(), signal.SIGKILL)


@zoo.hookimpl
def register_backends(register):
    register(zoo.BackendInfo(name="dying-rnn", family="rnn", framework="NumPy", factory=f"{__name__}:DyingRNN", module="numpy"))
'''


def test_a_worker_that_dies_mid_cell_is_reported_failed_and_the_rest_finish(tmp_path):
    env = install_plugins(tmp_path / "plugins", {"zoo_dying": DYING_PLUGIN}, name="zoo-dying")
    out = run_zoo("lab", "--backends", "dying-rnn,numpy-rnn", "--tasks", "long-dependency", "--lags", "5", "--seeds", "0,1",
                  "--workers", "2", "--cache-dir", str(tmp_path / "cache"), "--json",
                  env={**env, "XDG_CACHE_HOME": str(tmp_path)})
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert sorted((f["backend"], f["seed"]) for f in report["failed"]) == [("dying-rnn", 0), ("dying-rnn", 1)]
    assert all("worker process died" in f["error"] for f in report["failed"]), report["failed"]
    assert sorted((r["backend"], r["seed"]) for r in report["results"]) == [("numpy-rnn", 0), ("numpy-rnn", 1)]
    assert "failed: dying-rnn on long-dependency at lag 5, seed 0" in out.stderr
    assert len(list((tmp_path / "cache").glob("*.json"))) == 2


def test_without_ray_the_ray_option_says_how_to_install_it():
    out = run_python("import sys\nsys.modules['ray'] = None  # as if it were not installed\n"
                     "from zoo.cli import main\n"
                     "sys.exit(main(['lab', '--ray', '--backends', 'numpy-rnn', '--lags', '5', '--seeds', '0']))")
    assert out.returncode == 2 and "pip install 'rnn-zoo[ray]'" in out.stderr


def test_a_sweep_on_local_workers_imports_no_ray(tmp_path):
    out = run_python(f"import sys\nfrom zoo.cli import main\nfrom zoo import long_range\n{TINY_SOURCE}\n"
                     f"main(['lab', '--backends', 'numpy-rnn', '--tasks', 'long-dependency', '--lags', '5', '--seeds', '0', "
                     f"'--cache-dir', {str(tmp_path)!r}, '--json'])\n"
                     "print('ray' in sys.modules)", env={"RAY_ADDRESS": ""})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.slow
def test_a_sweep_on_a_real_ray_cluster_is_the_in_process_sweep(tmp_path, tiny):
    """Two Ray nodes of one CPU each on this machine (`ray start`, no dashboard, a temp dir), a tiny
    multi-seed sweep as Ray tasks, every score and weight compared with the in-process run; the cluster
    is stopped however the test ends. Ray is driven from a process of its own: this one never loads it."""
    needs_ray()
    here = in_process_sweep(tmp_path / "here")
    with fanout.local_ray_cluster(node_cpus=(1, 1)) as address:
        seen = []
        out = long_range.sweep(BACKENDS, ["long-dependency"], [5], [0, 1], cache_dir=tmp_path / "on-ray", ray=address,
                               progress=lambda s: seen.append(s.running))
    assert out.failed == [] and max(seen) == 2  # both nodes trained at once: the cluster has their two CPUs
    assert "ray" not in sys.modules
    assert_same_cells(here, tmp_path / "here", out.results, tmp_path / "on-ray")


KILL_THE_CLUSTER = f"""
import json, os, signal, subprocess, sys
from zoo import fanout, long_range
{TINY_SOURCE.replace("n=200, epochs=1", "n=2000, epochs=5")}

def crash(address):
    # every `ray start` of the cluster (each leads a session of its processes), killed as a power cut would
    port = address.rpartition(":")[2]
    table = subprocess.run(["ps", "-ww", "-eo", "pgid=,args="], capture_output=True, text=True).stdout
    leaders = {{int(line.split()[0]) for line in table.splitlines()
               if " start " in line and ("--port " + port in line or "--address " + address in line)}}
    for pgid in leaders:
        os.killpg(pgid, signal.SIGKILL)
    return len(leaders)

if __name__ == "__main__":
    killed = []
    with fanout.local_ray_cluster(node_cpus=(1, 1)) as address:
        def progress(state):
            if state.running >= 2 and not killed:
                killed.append(crash(address))
        out = long_range.sweep({list(BACKENDS)!r}, ["long-dependency"], [5], [0, 1], cache_dir=sys.argv[1], ray=address,
                               progress=progress)
    print(json.dumps({{"killed": killed, "results": len(out.results), "failed": out.failed, "ray_here": "ray" in sys.modules}}))
"""


@pytest.mark.slow
def test_a_ray_cluster_that_dies_mid_sweep_fails_its_cells_and_the_caller_lives_on(tmp_path):
    """Ray ends a driver that lost its cluster; the caller (a lab server, `zoo lab`) must not be that
    driver. Every node is killed while cells train: each unfinished cell is reported failed, and the
    caller returns its answer."""
    needs_ray()
    script = tmp_path / "crash.py"
    script.write_text(KILL_THE_CLUSTER)
    # the driver notices a lost cluster after Ray's reconnect timeout: 60 s by default, 10 here
    out = subprocess.run([sys.executable, str(script), str(tmp_path / "cache")], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "RAY_gcs_rpc_server_reconnect_timeout_s": "10"})
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["killed"] == [2] and report["ray_here"] is False
    assert report["failed"] and report["results"] + len(report["failed"]) == len(BACKENDS) * 2
    assert all("Ray" in f["error"] for f in report["failed"]), report["failed"]


@pytest.mark.slow
def test_a_ray_address_with_nothing_listening_is_said_at_once(tmp_path):
    needs_ray()
    with socket.socket() as s:  # a port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = run_zoo("lab", "--ray", f"127.0.0.1:{port}", "--backends", "numpy-rnn", "--lags", "5", "--seeds", "0",
                  "--cache-dir", str(tmp_path), timeout=120)
    assert out.returncode == 2 and f"could not join the Ray cluster at 127.0.0.1:{port}" in out.stderr, out.stderr[-2000:]

"""Where a sweep's independent jobs run: in this process, on local worker processes, or as Ray tasks.

Every place calls the same ``work(item)``, which must hold its frameworks to ``threads`` threads itself
(zoo.threads) and return its whole outcome (nothing is written where it ran), so a job's answer is the
same wherever it ran and lands wherever the caller keeps answers. ``run`` yields what happens as it
happens: ``("started", item, None)`` and ``("finished", item, outcome)``, where outcome is the job's
return value or a :class:`Failed`. Setting ``cancel`` (a threading.Event) stops every running job —
their processes are ended — and ``run`` returns after yielding the jobs that had finished.

Ray is imported only when asked for, and only in a driver process of its own (see _on_ray), so neither
``import zoo`` nor a lab server ever loads it.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import importlib.util
import multiprocessing
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import threads as thread_limits
from .errors import InputError
from .messages import message, text_of
from .workers import died_how

POLL_SECONDS = 0.5  # how often a waiting sweep looks at its cancel flag
CANCEL_GRACE = 20  # seconds a Ray driver has to stop its tasks and leave the cluster before it is killed
JOIN_SECONDS = 120  # seconds a Ray driver has to join its cluster (ray.init itself retries for minutes)
RAY_INSTALL = "pip install 'rnn-zoo[ray]'"


@dataclass(frozen=True)
class Failed:
    """A job that raised, or whose process died under it."""

    error: str


def ray_address(choice: str | None) -> str | None:
    """Where to run: None for local processes, else a Ray address ("" for RAY_ADDRESS or a local Ray
    instance). ``choice`` is what the user asked for (None: nothing); RAY_ADDRESS alone also means Ray."""
    if choice is not None:
        return choice
    return os.environ.get("RAY_ADDRESS") or None


def run(work: Callable, items: Iterable, *, workers: int, threads: int, ray: str | None = None,
        cancel=None, isolated: bool = False) -> Iterator[tuple[str, object, object]]:
    """``work`` over ``items``: on Ray when ``ray`` is an address (see ray_address), else on ``workers``
    local processes; one worker means this process, when it can hold its frameworks to ``threads`` and
    the caller is not ``isolated`` (a server, which runs no plugin code of its own: zoo.workers)."""
    items = list(items)
    if not items:
        return  # nothing to train: no pool to start, no cluster to join
    if ray is not None:
        yield from _on_ray(work, items, ray, threads, cancel)
    elif workers == 1 and not isolated and thread_limits.can_hold(threads):
        yield from _in_process(work, items, cancel)
    else:
        yield from _on_pool(work, items, max(1, workers), cancel)


def _failure(err: BaseException) -> Failed:
    return Failed(message("job_raised", kind=type(err).__name__, error=text_of(err)))


def _in_process(work, items, cancel):
    for item in items:
        if cancel is not None and cancel.is_set():
            return
        yield "started", item, None
        try:
            outcome = work(item, cancel=cancel)
        except Exception as err:  # noqa: BLE001 — reported as the job's failure, as a worker's would be
            outcome = _failure(err)
        if cancel is not None and cancel.is_set():
            return  # a job cut short by the cancel is not an answer
        yield "finished", item, outcome


def _window(items, slots: int, submit, wait, cancel):
    """At most ``slots`` jobs in flight (so "started" means running, and a cancel has little to stop);
    ``wait(handles)`` returns the (handle, outcome) pairs that finished within POLL_SECONDS."""
    queue, running = list(items), {}
    while queue or running:
        while queue and len(running) < slots:
            item = queue.pop(0)
            running[submit(item)] = item
            yield "started", item, None
        finished = wait(list(running))
        cancelled = cancel is not None and cancel.is_set()
        for handle, outcome in finished:
            item = running.pop(handle)
            if not (cancelled and isinstance(outcome, Failed)):  # a job killed by the cancel is not a failure
                yield "finished", item, outcome
        if cancelled:
            return


def _on_pool(work, items, workers: int, cancel):
    import pebble

    # spawn: each worker is a fresh interpreter, so no framework's threads or state are copied from this one
    pool = pebble.ProcessPool(max_workers=workers, context=multiprocessing.get_context("spawn"))
    futures = []

    def submit(item):
        futures.append(pool.schedule(work, args=(item,)))
        return futures[-1]

    def wait(handles):
        done, _ = concurrent.futures.wait(handles, timeout=POLL_SECONDS, return_when=concurrent.futures.FIRST_COMPLETED)
        return [(f, _outcome(f)) for f in done]

    try:
        yield from _window(items, workers, submit, wait, cancel)
    finally:
        for future in futures:
            future.cancel()  # pebble ends the process of a running one
        pool.stop()
        pool.join()


def _outcome(future):
    import pebble

    try:
        return future.result()
    except pebble.ProcessExpired as err:
        return Failed(message("job_worker_died", how=died_how(err.exitcode)))
    except Exception as err:  # noqa: BLE001
        return _failure(err)


def require_ray() -> None:
    """An InputError saying how to install Ray when it is missing; Ray itself is not imported here."""
    if importlib.util.find_spec("ray") is None:
        raise InputError(message("needs_ray", install=RAY_INSTALL))


def _on_ray(work, items, address: str, threads: int, cancel):
    """The jobs as Ray tasks, driven from a process of its own: Ray ends a driver whose cluster it lost
    (its core worker calls _exit), and this process may be a lab server. What the driver says arrives
    over a pipe; if the driver dies, every job it had not finished is reported failed, none is lost."""
    require_ray()
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no framework state copied into Ray
    here, there = context.Pipe()
    driver = context.Process(target=_ray_driver, args=(work, items, address, threads, there), daemon=True,
                             name="zoo-ray-driver")
    driver.start()
    there.close()
    started, unfinished = set(), dict(enumerate(items))
    cancel_sent, joined, began = None, False, time.monotonic()
    try:
        while True:
            if not joined and time.monotonic() - began > JOIN_SECONDS:
                raise InputError(_not_joined(address, message("ray_no_answer", seconds=JOIN_SECONDS)))
            if cancel is not None and cancel.is_set() and cancel_sent is None:
                with contextlib.suppress(OSError):
                    here.send("cancel")
                cancel_sent = time.monotonic()
            if cancel_sent is not None and time.monotonic() - cancel_sent > CANCEL_GRACE:
                return  # the driver did not stop in time; the finally ends it
            try:
                if not here.poll(POLL_SECONDS):
                    if driver.is_alive():
                        continue
                    raise EOFError
                event = here.recv()
            except (EOFError, OSError):
                break  # the driver is gone without saying "done"
            if event[0] == "done":
                return
            if event[0] == "refused":
                raise InputError(event[1])
            if event[0] == "joined":
                joined = True
                continue
            index = event[1]
            if event[0] == "started":
                started.add(index)
                yield "started", items[index], None
            else:
                del unfinished[index]
                yield "finished", items[index], event[2]
        driver.join(CANCEL_GRACE)
        if cancel_sent is not None:
            return  # its jobs were being stopped anyway
        failure = Failed(message("job_ray_driver_died", how=died_how(driver.exitcode)))
        for index, item in unfinished.items():
            if index not in started:
                yield "started", item, None  # every job is reported, and finished follows started
            yield "finished", item, failure
    finally:
        if driver.is_alive():
            with contextlib.suppress(OSError):
                here.send("cancel")
            driver.join(CANCEL_GRACE)
        if driver.is_alive():
            driver.kill()
            driver.join()
        here.close()


def _not_joined(address: str | None, why) -> str:
    return message("ray_unreachable", address=address, error=why) if address else message("ray_could_not_start", error=why)


def _check_reachable(address: str | None) -> None:
    """Raise OSError at once when a host:port address has nothing listening: ray.init would retry for minutes."""
    if not address or "://" in address or address == "auto":
        return
    host, _, port = address.rpartition(":")
    if port.isdigit():
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=10).close()


class _PipeCancel:
    """The driver's cancel flag: set once the caller sends "cancel" or goes away (its end of the pipe closed)."""

    def __init__(self, conn):
        self.conn, self.set_ = conn, False

    def is_set(self) -> bool:
        try:
            while not self.set_ and self.conn.poll():
                self.set_ = self.conn.recv() == "cancel"
        except (EOFError, OSError):
            self.set_ = True
        return self.set_


def _ray_driver(work, items, address: str, threads: int, conn) -> None:
    """The process that joins the cluster, submits ``work`` over ``items`` and reports each event by index."""
    import ray

    address = address or os.environ.get("RAY_ADDRESS")
    try:
        _check_reachable(address)
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
    except Exception as err:  # noqa: BLE001 — an address Ray cannot reach is the user's to fix
        conn.send(("refused", _not_joined(address, text_of(err))))
        return
    conn.send(("joined",))
    # Each task asks for the CPUs its frameworks are held to, so Ray never places more on a node than it
    # has cores; no retries, so a job whose worker died is reported failed as on the local pool.
    remote = ray.remote(num_cpus=threads, max_retries=0)(work)
    slots = max(1, int(ray.cluster_resources().get("CPU", 1)) // threads)
    refs = []

    def submit(item):
        refs.append(remote.remote(item))
        return refs[-1]

    def wait(handles):
        done, _ = ray.wait(handles, num_returns=1, timeout=POLL_SECONDS)
        return [(ref, _ray_outcome(ray, ref)) for ref in done]

    try:
        for event, index, outcome in _window(range(len(items)), slots, lambda i: submit(items[i]), wait, _PipeCancel(conn)):
            conn.send((event, index, outcome))
    except (BrokenPipeError, OSError):
        pass  # the caller is gone: stop its jobs below
    finally:
        for ref in refs:
            ray.cancel(ref, force=True)  # ends the worker of a running task; a no-op on a finished one
        with contextlib.suppress(BrokenPipeError, OSError):
            conn.send(("done",))
        ray.shutdown()



def _ray_outcome(ray, ref):
    try:
        return ray.get(ref)
    except ray.exceptions.WorkerCrashedError:
        return Failed(message("job_ray_worker_died"))
    except Exception as err:  # noqa: BLE001
        return _failure(err)


@contextlib.contextmanager
def local_ray_cluster(node_cpus=(1, 1)):
    """A Ray cluster of ``len(node_cpus)`` nodes on this machine, each a `ray start` of that many CPUs,
    for trying ``--ray`` and for the tests and bench/sweep_scale.py; yields its address and stops every
    node on exit, whatever happened. Ray binds every interface and has no switch for loopback only, so
    the cluster demands a fresh random token (Ray's token authentication): it is in os.environ for the
    block (this process and its children connect with it) and removed after. Its files go to a temporary
    directory of a short name (Ray's socket paths must fit in 107 bytes), removed after."""
    ray_cli = str(Path(sys.executable).with_name("ray"))
    port = _free_port()
    address = f"127.0.0.1:{port}"
    auth = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
    env = {**os.environ, **auth, "RAY_USAGE_STATS_ENABLED": "0"}
    common = ["--block", "--disable-usage-stats", "--node-ip-address", "127.0.0.1"]
    nodes = []
    with tempfile.TemporaryDirectory(prefix="zoo-ray-", dir="/tmp") as temp_dir:
        try:
            for k, cpus in enumerate(node_cpus):
                role = (["--head", "--port", str(port), "--include-dashboard=false", "--temp-dir", temp_dir] if k == 0
                        else ["--address", address])
                # --block keeps the node's processes under this one, in a session of its own: ending it ends them.
                with open(Path(temp_dir) / f"node{k}.log", "wb") as log:
                    nodes.append(subprocess.Popen([ray_cli, "start", *role, "--num-cpus", str(cpus), *common], env=env,
                                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
                _wait_for_nodes(ray_cli, address, env, k + 1, nodes, Path(temp_dir))
            saved = {name: os.environ.get(name) for name in auth}
            os.environ.update(auth)
            try:
                yield address
            finally:
                for name, value in saved.items():
                    os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
        finally:
            _stop(nodes)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_nodes(ray_cli: str, address: str, env: dict, count: int, nodes, logs: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(node.poll() is not None for node in nodes):
            tail = "".join((logs / f"node{k}.log").read_text(errors="replace")[-1500:] for k in range(len(nodes)))
            raise RuntimeError(f"a Ray node exited with code {[n.returncode for n in nodes]}:\n{tail}")
        status = subprocess.run([ray_cli, "status", "--address", address], env=env, capture_output=True, text=True)
        if status.returncode == 0 and status.stdout.count(" node_") >= count:
            return
        time.sleep(1)
    raise RuntimeError(f"the Ray cluster at {address} did not show {count} node(s) within {timeout} s")


def _stop(nodes: list[subprocess.Popen], grace: float = 10) -> None:
    """SIGTERM to every node's session, then SIGKILL to whatever is left after ``grace`` seconds (Ray
    would otherwise drain for up to 30 s; a sweep's results are already back by then)."""
    for node in nodes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(node.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for node in nodes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            node.wait(max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(node.pid, signal.SIGKILL)
        node.wait()

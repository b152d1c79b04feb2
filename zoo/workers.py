"""Backends answer from worker processes, one process per backend, so that a plugin that crashes
(``os.abort()``, a segfault in a native extension, ``os._exit``), hangs or grows without bound ends its
own process and never the lab's.

A worker is a pebble ``ProcessPool`` of one spawned process (a well-kept pool: it restarts a worker
that died and kills one that overran its time limit). It keeps every model it loaded warm, so a model
is loaded once per worker, and answers with whatever the function it was given returns. The function
runs as ``fn(model, preprocessing, *args)``; it must be importable (module level), since it travels
to the worker by name. Its answer travels back pickled: between our own processes, never from a file.

Why spawn and not fork: the server has threads (Gradio's, and the frameworks' own), and forking a
process with threads copies locks held by threads that do not exist in the child.
"""
from __future__ import annotations

import atexit
import multiprocessing
import resource
import signal
import threading
from concurrent.futures import CancelledError, TimeoutError
from pathlib import Path

from .errors import BackendError, ZooError
from .limits import LIMITS, limit
from .messages import message

LOAD_SECONDS = 300  # loading a model (and maybe its framework, cold) is bounded apart from answering

_pools: dict[str, tuple[object, frozenset]] = {}  # backend -> (its pool, the registered plugins it knows)
_loaded: dict[str, set] = {}  # backend -> the (checkpoint, mtime) its current worker holds
_lock = threading.Lock()


# ----- in the worker -----
_models: dict[tuple[str, int], tuple] = {}  # (checkpoint, mtime) -> (model, its preprocessing)


def _start(extra_plugins: dict, most_mb: float) -> None:
    """A new worker: the memory limit, enforced by the OS (an allocation past it fails in this process
    only), and the plugins the server registered in its own process (registered_plugin)."""
    most = int(most_mb * 2**20)
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        most = min(most, hard)  # a process may lower its limits, never raise them
    resource.setrlimit(resource.RLIMIT_DATA, (most, most))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which then stops its workers
    from . import plugins

    plugins.register_in_this_process(extra_plugins)


def _model(path: str, mtime: int):
    key = (path, mtime)
    if key not in _models:
        from . import checkpoint
        from .backend import Backend

        _models[key] = (Backend.load(path), checkpoint.read_metadata(path).get("preprocessing", {}))
    return _models[key]


def _load(path: str, mtime: int) -> None:
    _model(path, mtime)


def _answer(path: str, mtime: int, fn, args) -> object:
    model, preprocessing = _model(path, mtime)
    return _running(fn, model, preprocessing, *args)


def _running(fn, *args, **kwargs):
    """``fn(*args)``, where running out of memory is a MemoryError however a plugin phrased it, so the
    server knows to replace this worker."""
    try:
        return fn(*args, **kwargs)
    except Exception as err:
        if _out_of_memory(err):
            raise MemoryError(str(err)) from None
        raise


# ----- in the server -----
def _pool(backend: str):
    from . import plugins

    extra = plugins.registered_in_this_process()
    with _lock:
        pool, knows = _pools.get(backend, (None, None))
        if pool is not None and knows != frozenset(extra):  # a plugin came or went: a worker that knows it
            _stop(backend)
            pool = None
        if pool is None:
            pool = _new_worker(extra)
            _pools[backend] = (pool, frozenset(extra))
            _loaded[backend] = set()
        return pool


def _stop(backend: str) -> None:
    """End ``backend``'s worker now (its lock held by the caller)."""
    pool, _ = _pools.pop(backend, (None, None))
    _loaded.pop(backend, None)
    if pool is not None:
        pool.stop()
        pool.join()


def is_loaded(backend: str, path) -> bool:
    """Whether ``backend``'s worker holds this checkpoint already (if not, the next answer loads it)."""
    path = Path(path)
    return (str(path), path.stat().st_mtime_ns) in _loaded.get(backend, ())


def run(backend: str, path, fn, *args):
    """``fn(model, preprocessing, *args)`` on the model of checkpoint ``path``, in ``backend``'s worker:
    loaded within LOAD_SECONDS, answered within the answer limit. A worker that crashes, overruns or
    runs out of memory is gone; the next call starts a fresh one. Errors are BackendErrors naming
    ``backend`` and what happened; a ZooError of the model's own (bad input) passes through as it is."""
    key = load(backend, path)
    seconds = limit("backend_seconds")
    return _wait(backend, _schedule(backend, _answer, (*key, fn, args), seconds), seconds, "answer")


def load(backend: str, path) -> tuple[str, int]:
    """Checkpoint ``path``'s model loaded in ``backend``'s worker (started if it has none), within LOAD_SECONDS:
    what run() does first, and what the lab does at start-up so that the first page finds its models warm.
    Returns the (path, mtime) the worker holds it under; errors as run()'s."""
    path = Path(path)
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _loaded.get(backend, ()):
        _wait(backend, _schedule(backend, _load, key, LOAD_SECONDS), LOAD_SECONDS, "load")
        _loaded.setdefault(backend, set()).add(key)
    return key


def _schedule(backend: str, fn, args: tuple, seconds: float):
    try:
        return _pool(backend).schedule(fn, args=args, timeout=seconds)
    except RuntimeError as err:  # pebble could not keep a worker alive: it died while starting up
        _restart(backend)
        raise BackendError(message("worker_could_not_start", backend=backend, error=str(err))) from None


def _wait(backend: str, future, seconds: float, what: str, answering: bool = True):
    """The future's result, or a BackendError saying what became of the worker. ``answering``: the
    worker is ``backend``'s answering worker (not a training's), which pebble replaces after a crash."""
    from pebble import ProcessExpired

    then = message("fresh_worker_next") if answering else ""

    try:
        return future.result()
    except TimeoutError:
        _forget(backend, answering)
        if what == "answer":
            raise BackendError(message("backend_killed", backend=backend, seconds=seconds, env=LIMITS["backend_seconds"].env,
                                       then=then)) from None
        raise BackendError(message("backend_killed_trying", backend=backend, seconds=seconds, what=what, then=then)) from None
    except ProcessExpired as err:
        _forget(backend, answering)
        raise BackendError(message("backend_crashed", backend=backend, how=died_how(err.exitcode), what=what, then=then)) from None
    except CancelledError:
        raise BackendError(message("worker_stopped", backend=backend, what=what)) from None
    except ZooError:
        raise
    except MemoryError:
        if answering:
            _restart(backend)  # its heap may be in pieces: the next request gets a fresh worker
        raise BackendError(message("backend_over_memory", backend=backend, most=limit("backend_mb"),
                                   env=LIMITS["backend_mb"].env, then=then)) from None
    except Exception as err:  # a broken plugin must not take the other models down with it
        raise BackendError(message("backend_failed", backend=backend, error=f"{type(err).__name__}: {err}")) from None


def died_how(exitcode: int | None) -> str:
    """How a process ended, from its exit code: "crashed with SIGSEGV", "exited with status 3"."""
    if exitcode is not None and exitcode < 0:
        try:
            return message("crashed_with", signal=signal.Signals(-exitcode).name)
        except ValueError:
            return message("crashed_with", signal=f"signal {-exitcode}")
    return message("exited_with", status=exitcode)


def _out_of_memory(err: BaseException | None) -> bool:
    """Whether ``err``, or what caused it, is the OS refusing memory: NumPy raises MemoryError, a
    framework's allocator says so in its own words; zoo wraps either in a BackendError."""
    while err is not None:
        text = str(err).lower()
        if isinstance(err, MemoryError) or any(words in text for words in ("can't allocate memory", "cannot allocate memory", "out of memory")):
            return True
        err = err.__cause__
    return False


def _forget(backend: str, answering: bool) -> None:
    """The worker was replaced (pebble restarts it): it holds no models any more."""
    if answering:
        _loaded.get(backend, set()).clear()


def _new_worker(extra_plugins: dict | None = None, initializer=_start, before: tuple = ()):
    """A pebble pool of one spawned worker, started by ``initializer(*before, plugins, memory limit)``: the
    plugins registered in this process (``extra_plugins``, or as they are now) and RNN_ZOO_MAX_BACKEND_MB."""
    from pebble import ProcessPool

    from . import plugins

    extra = plugins.registered_in_this_process() if extra_plugins is None else extra_plugins
    return ProcessPool(max_workers=1, initializer=initializer, context=multiprocessing.get_context("spawn"),
                       initargs=(*before, extra, limit("backend_mb")))


def _restart(backend: str) -> None:
    with _lock:
        _stop(backend)


# ----- one-off work: a worker of its own, ended after -----
def isolated(name: str, what: str, fn, *args, seconds: float = LOAD_SECONDS, **kwargs):
    """``fn(*args, **kwargs)`` in a fresh worker process of its own, ended afterwards: for one-off work that runs
    plugin code on a person's file (importing a model: its format's reader, then parity in every backend
    of its family). Errors say how ``name``'s worker ended while it tried to ``what``."""
    pool = _new_worker()
    try:
        future = pool.schedule(_running, args=(fn, *args), kwargs=kwargs, timeout=seconds)
        return _wait(name, future, seconds, what, answering=False)
    finally:
        pool.stop()
        pool.join()


# ----- trainings: one worker each, ended by Cancel -----
_progress = None  # in a training worker: the queue its progress goes back to the server through


def _start_training(progress, extra_plugins: dict, most_mb: float) -> None:
    global _progress
    _start(extra_plugins, most_mb)
    _progress = progress
    # Cancel terminates the worker: unwinding (not dying on the spot) lets a checkpoint being written
    # remove its temporary file, so a cancelled training leaves nothing behind, whole or half.
    signal.signal(signal.SIGTERM, _unwind)


def _unwind(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")


def _train(backend: str, dataset: str, options: dict) -> dict:
    from .train import train

    def report(p) -> bool:
        _progress.put((p.epoch, p.epochs, p.step, p.steps, p.loss, p.val_loss, p.epoch_end))
        return True  # Cancel ends this process; training never has to ask

    result = _running(lambda: train(backend, dataset, callback=report, **options))
    _progress.close()
    _progress.join_thread()  # every report is in the pipe before the result is: the server reads them first
    return {"checkpoint": str(result.path) if result.path else None, "metrics": result.metrics,
            "epochs": len(result.history.loss), "seconds": result.history.seconds,
            "cancelled": result.history.cancelled, "out_of_time": result.out_of_time}


def train(backend: str, dataset: str, options: dict, on_progress, cancel: threading.Event) -> dict | None:
    """zoo.train.train(backend, dataset, **options) in a worker process of its own, calling
    ``on_progress(Progress)`` as epochs advance. Setting ``cancel`` ends the worker at once (None is
    returned; a checkpoint it was writing is removed, so nothing is saved). A worker that crashes gives
    a BackendError saying how; its own errors pass through as ZooErrors or BackendErrors."""
    from queue import Empty

    from .backend import Progress

    progress = multiprocessing.get_context("spawn").Queue()
    pool = _new_worker(initializer=_start_training, before=(progress,))
    try:
        future = pool.schedule(_train, args=(backend, dataset, options))
        while True:
            # Cancel is looked at before every report: a busy server reads reports slower than a quick
            # training sends them, and Cancel must not wait behind the ones in line.
            if cancel.is_set() and future.cancel():
                return None
            if future.done():
                while not progress.empty():
                    on_progress(Progress(*progress.get()))
                return _wait(backend, future, 0, "train", answering=False)
            try:
                on_progress(Progress(*progress.get(timeout=0.2)))
            except Empty:
                pass
    finally:
        pool.stop()
        pool.join()
        progress.close()
        progress.join_thread()


def shutdown() -> None:
    """End every worker (the server calls this on the way out; atexit does too)."""
    with _lock:
        for backend in list(_pools):
            _stop(backend)


atexit.register(shutdown)

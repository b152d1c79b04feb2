"""Holding every framework to a number of threads for a piece of work, in whichever process runs it.

A training's floating-point sums can depend on how many threads share them (a BLAS or Eigen kernel
may split a reduction differently), so a lab cell is trained on the same number of threads everywhere:
in this process, in a local worker and on a Ray node. ``held`` sets the environment variables a
framework reads when it starts (OpenMP, MKL, OpenBLAS, TensorFlow) and limits the ones already running
(torch, and BLAS through threadpoolctl). TensorFlow's thread pools are fixed the first time it runs
an operation, so a process whose TensorFlow already started on another count cannot hold it:
``can_hold`` says so, and the sweep then trains in a worker process instead.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager

from .errors import ZooError

ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")
_tensorflow_threads: int | None = None  # what TensorFlow started with in this process, when it started inside held()


def can_hold(threads: int) -> bool:
    """Whether this process can run work on ``threads`` threads of every framework (see the module's note)."""
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return True
    if _tensorflow_threads is not None:
        return _tensorflow_threads == threads
    try:  # succeeds before TensorFlow's first operation (it then keeps these for good) or when they are set already
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        return False
    return True


@contextmanager
def held(threads: int):
    """Run the block with every framework on ``threads`` threads; what the block found is restored
    afterwards, except TensorFlow's pools if it started inside (they cannot change)."""
    global _tensorflow_threads
    if not can_hold(threads):
        raise ZooError(f"TensorFlow already runs on other than {threads} thread(s) in this process and cannot change; "
                       "run this in a fresh process (a sweep does so by itself with 2 or more workers)")
    import threadpoolctl

    saved_env = {name: os.environ.get(name) for name in ENV}
    tensorflow_before = "tensorflow" in sys.modules
    torch = sys.modules.get("torch")
    torch_threads = torch.get_num_threads() if torch else None
    os.environ.update({name: str(threads) for name in ENV})
    if torch:
        torch.set_num_threads(threads)
    try:
        with threadpoolctl.threadpool_limits(threads):
            yield
    finally:
        if not tensorflow_before and "tensorflow" in sys.modules:
            _tensorflow_threads = threads
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if torch:
            torch.set_num_threads(torch_threads)

"""Backends answer from worker processes (zoo.workers): a backend that aborts, segfaults, exits, hangs
or allocates without bound costs its own answer, the next request gets a fresh worker, the other
backends answer as usual, and no thread or process is left behind however often it happens.

The faulty backends are real plugins (registered with the public registered_plugin helper) whose
models really do these things, in their own processes."""
from __future__ import annotations

import dataclasses
import os
import threading
import time

import numpy as np
import pytest

import zoo
from zoo import checkpoint, workers
from zoo.plugins import registered_plugin
from zoo.pretrained import PRETRAINED_DIR
from zoo.train import TrainConfig
from zoo.prepare import text_tokens
from zoo.workbench import TrainingJob, catalog, compare_text, read_text, warm

from conftest import CRASHING_MODELS
from labserver import children, threads
from zoo_rnn.model import NumpyRNN

ANSWER_SECONDS = 4
BACKEND_MB = 1024
SOURCE = PRETRAINED_DIR / "rotten-tomatoes-numpy-rnn-seed0.safetensors"


FAULTY = {"aborts-rnn": ("Aborts", "crashed with SIGABRT"), "segfaults-rnn": ("Segfaults", "crashed with SIGSEGV"),
          "exits-rnn": ("Exits", "exited with status 3"),
          "hangs-rnn": ("Hangs", f"was killed after {ANSWER_SECONDS} s without an answer"),
          "allocates-rnn": ("Allocates", f"went over its memory limit of {BACKEND_MB} MiB")}


class FaultyPlugin:
    @zoo.hookimpl
    def register_backends(self, register):
        for name, (cls, _) in FAULTY.items():
            register(zoo.BackendInfo(name=name, family="rnn", framework="NumPy", factory=f"zoo_crashing_models:{cls}",
                                     module="numpy"))


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    """A checkpoint for each faulty backend (the shipped RNN's weights, said to be theirs), registered."""
    folder = tmp_path_factory.mktemp("faulty")
    (folder / "zoo_crashing_models.py").write_text(CRASHING_MODELS)
    meta = checkpoint.read_metadata(SOURCE)
    with pytest.MonkeyPatch.context() as env:
        env.syspath_prepend(str(folder))  # spawned workers start with this process's sys.path
        env.setenv("RNN_ZOO_MAX_BACKEND_MB", str(BACKEND_MB))  # read as each worker starts
        with registered_plugin(FaultyPlugin(), "faulty"):
            for name in FAULTY:
                NumpyRNN.load(SOURCE, name=name).save(folder / f"{name}.safetensors", meta)
            # The good models' first answers, in the workers that know this plugin, under the usual limit:
            # Keras builds its graph then, which can take longer than the tests' tight limit.
            compare_text(WARM_UP, good_cards())
            yield {card.backend: card for card in catalog((folder,))}
    workers.shutdown()


WARM_UP = "the good models answer first of all"


def good_cards():
    return [card for card in catalog((PRETRAINED_DIR,)) if card.dataset == "rotten-tomatoes"]


def alone(text):
    """The good models' outputs computed in this process, without any worker."""
    out = {}
    for card in good_cards():
        model = zoo.Backend.load(card.path)
        out[card.backend] = read_text(model, checkpoint.read_metadata(card.path)["preprocessing"], text_tokens(text))["trace"].output
    return out


@pytest.mark.parametrize("backend", FAULTY)
def test_a_faulty_backend_costs_its_own_answer_and_the_next_request_gets_a_fresh_worker(faulty, backend, monkeypatch):
    monkeypatch.setenv("RNN_ZOO_MAX_BACKEND_SECONDS", str(ANSWER_SECONDS))  # read at every request: the hang's wait
    text = f"a gorgeous witty movie {backend} now"
    answers = {a.card.backend: a for a in compare_text(text, good_cards() + [faulty[backend]])}
    assert FAULTY[backend][1] in answers[backend].error, answers[backend].error
    expected = alone(text)
    for name, output in expected.items():
        assert answers[name].error is None
        np.testing.assert_allclose(answers[name].output, output, atol=1e-6)
    # Again, with another input: a fresh worker meets the same fault and says the same.
    (again,) = compare_text(f"a gorgeous witty movie {backend} again", [faulty[backend]])
    assert FAULTY[backend][1] in again.error


def test_warm_loads_what_it_can_and_leaves_the_rest_to_the_first_request(tmp_path):
    good = good_cards()
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(good[0].path.read_bytes()[:1000])  # cut short, as an interrupted copy leaves it
    unreadable = dataclasses.replace(good[0], path=broken)
    assert warm([*good, unreadable]) == good
    assert all(workers.is_loaded(card.backend, card.path) for card in good)
    [answer] = compare_text("the first request says why", [unreadable])
    assert answer.error and "broken.safetensors" in answer.error, answer.error


def test_the_memory_limit_binds_the_worker_not_the_server(faulty):
    import resource

    assert resource.getrlimit(resource.RLIMIT_DATA)[0] == resource.RLIM_INFINITY
    big = np.ones(2 * BACKEND_MB * 2**20 // 8)  # twice the workers' limit, here in the server: allowed
    assert big.nbytes > BACKEND_MB * 2**20


def test_a_model_is_loaded_once_per_worker_however_many_threads_ask():
    card = next(card for card in good_cards() if card.backend == "torch-lstm")
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(workers.run(card.backend, card.path, model_identity)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(answers)) == 1 and answers[0][0] != os.getpid()


def model_identity(model, state):
    return os.getpid(), id(model)


def native_threads() -> int:
    return threads(os.getpid())


def counts():
    return threading.active_count(), native_threads(), len(children(os.getpid()))


def settled(baseline, seconds=60):
    """The counts once they stop moving towards ``baseline`` (pebble restarts a worker in the background)."""
    deadline = time.monotonic() + seconds
    while counts() != baseline and time.monotonic() < deadline:
        time.sleep(0.2)
    return counts()


@pytest.mark.slow
def test_no_thread_or_process_is_left_after_crashes_hangs_and_cancels(faulty, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("RNN_ZOO_MAX_BACKEND_SECONDS", str(ANSWER_SECONDS))
    every = good_cards() + list(faulty.values())
    compare_text("now warm every worker up here", every)
    time.sleep(5)  # the hung worker's replacement is starting
    baseline, names = counts(), sorted(t.name for t in threading.enumerate())
    for round in range(3):
        answers = compare_text(f"round {round} of faults comes now", every)
        assert sum(a.error is None for a in answers) == len(good_cards())
        job = TrainingJob("numpy-rnn", "rotten-tomatoes", TrainConfig(epochs=20), {"embedding_dim": 8}).start()
        deadline = time.monotonic() + 120
        while not job.fraction and not job.finished and time.monotonic() < deadline:
            time.sleep(0.05)
        assert job.status == "running", (job.status, job.error)
        job.cancel()
        job.join(60)
        assert job.status == "cancelled" and not list(tmp_path.rglob("*.safetensors*"))
    assert settled(baseline) == baseline, (names, sorted(t.name for t in threading.enumerate()))


def test_shutdown_leaves_no_worker(faulty):
    compare_text("one more", good_cards())
    assert children(os.getpid())
    workers.shutdown()
    assert children(os.getpid()) == set()


class CrashesInTraining(NumpyRNN):
    def fit(self, *args, **kwargs):
        os.abort()


class ReportsEndlessly(NumpyRNN):
    def fit(self, train, validation=None, *, epochs: int = 10, callback=None, **settings):
        while True:  # endless tiny batches: progress reports faster than any server reads them
            callback(zoo.Progress(1, epochs, 1, 2, 0.5))


TRAINERS = {"crashes-training-rnn": "CrashesInTraining", "reports-endlessly-rnn": "ReportsEndlessly"}


class FaultyTrainers:
    @zoo.hookimpl
    def register_backends(self, register):
        for name, cls in TRAINERS.items():
            register(zoo.BackendInfo(name=name, family="rnn", framework="NumPy", factory=f"test_workers:{cls}", module="numpy"))


def test_a_training_that_crashes_fails_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with registered_plugin(FaultyTrainers(), "faulty-trainers"):
        crashing = TrainingJob("crashes-training-rnn", "sunspots", TrainConfig(epochs=2)).start()
        good = TrainingJob("numpy-rnn", "sunspots", TrainConfig(epochs=2)).start()
        crashing.join(120)
        good.join(120)
    assert crashing.status == "failed" and "crashes-training-rnn crashed with SIGABRT while it tried to train" in crashing.error
    assert good.status == "done", good.error


def test_cancel_does_not_wait_for_the_progress_reports_in_line(tmp_path, monkeypatch):
    """A busy server reads a training's reports slower than they come: Cancel still ends it at once."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cancel, read, answer = threading.Event(), [], {}

    def busy_server(progress):
        read.append(progress)
        time.sleep(0.002)

    with registered_plugin(FaultyTrainers(), "faulty-trainers"):
        training = threading.Thread(target=lambda: answer.update(result=workers.train("reports-endlessly-rnn", "sunspots", {}, busy_server, cancel)))
        training.start()
        deadline = time.monotonic() + 120  # a spawned worker's start-up
        while len(read) < 50 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(read) >= 50, "the training never reported"
        cancel.set()
        training.join(30)
    assert not training.is_alive(), "Cancel waited behind the reports in line"
    assert answer == {"result": None}  # cancelled: nothing to return


def aborting_reader(path, head_activation=None, task=None):
    os.abort()  # as a native decoder might on a hostile file


class AbortingFormat:
    @zoo.hookimpl
    def register_formats(self, register):
        register(zoo.FormatInfo(name="aborts", framework="NumPy", suffixes=(".boom",), reader="test_workers:aborting_reader",
                                writer="test_workers:aborting_reader", module="numpy"))


def test_a_format_reader_that_crashes_fails_the_import_alone(tmp_path, monkeypatch):
    from zoo.workbench import import_upload

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    upload = tmp_path / "model.boom"
    upload.write_bytes(b"not really a model")
    with registered_plugin(AbortingFormat(), "aborting-format"):
        with pytest.raises(zoo.BackendError, match="model.boom crashed with SIGABRT while it tried to import it"):
            import_upload(upload)
    assert [answer.card.backend for answer in compare_text("still answering", good_cards()) if answer.error is None] == \
        [card.backend for card in good_cards()]
    assert not list(tmp_path.rglob("*.safetensors"))

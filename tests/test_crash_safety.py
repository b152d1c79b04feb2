"""A process killed while it saves a checkpoint leaves the previous checkpoint whole.

A child process saves a large checkpoint over and over, each version with its own weights; it is
killed with SIGKILL (no clean-up runs) at several moments. The file must then always read as one
complete version, never a mix or a torn file.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import numpy as np

from zoo import checkpoint
from zoo.workbench import catalog

SAVER = """
import sys
from zoo.plugins import registry
from zoo.spec import ModelSpec

path = sys.argv[1]
# About 40 MB of weights: a save takes long enough that a kill often lands in the middle of one.
model = registry().create("numpy-rnn", ModelSpec(vocab_size=40_000, embedding_dim=256), seed=0)
weights = model.get_weights()
version = 0
while True:
    version += 1
    weights["embedding"][:] = version
    model.set_weights(weights)
    model.save(path, {"version": version})
    print(version, flush=True)
"""


def test_a_kill_during_save_keeps_a_whole_checkpoint(tmp_path):
    path = tmp_path / "model.safetensors"
    torn_saves = 0
    # Kill at spread-out moments until at least two kills have landed inside a save (every kill's file is
    # checked); bounded, so a machine where saves are too quick to hit fails instead of looping.
    delays = [0.05, 0.13, 0.29, 0.41, 0.6, 0.07, 0.19, 0.33, 0.47, 0.71] * 3
    for attempt, kill_after in enumerate(delays):
        if torn_saves >= 2 and attempt >= 5:
            break
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True)
        first = int(proc.stdout.readline())  # one save has finished: there is a previous checkpoint
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        finished = [first] + [int(line) for line in proc.stdout.read().split()]
        torn_saves += any(p.name.endswith(".tmp") for p in tmp_path.iterdir())

        meta = checkpoint.read_metadata(path)
        version = meta["version"]
        # the last save that finished, or one that was renamed into place just before the kill
        assert finished[-1] <= version <= finished[-1] + 1, (finished, version)
        _, weights = checkpoint.read(path)
        assert np.all(weights["embedding"] == version)  # every tensor of that one version
        for partial in tmp_path.glob(".*.tmp"):
            partial.unlink()
    assert torn_saves >= 1, torn_saves  # the kills did land inside saves, or the test proved nothing


def test_the_catalog_skips_a_half_written_file(tmp_path):
    good = tmp_path / "good.safetensors"
    source = next(card.path for card in catalog() if card.backend == "numpy-rnn")
    good.write_bytes(source.read_bytes())
    (tmp_path / "half.safetensors").write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    (tmp_path / ".good.safetensors.x1.tmp").write_bytes(b"partial")  # what a killed save leaves
    assert [card.path.name for card in catalog((tmp_path,))] == ["good.safetensors"]
    assert json.dumps(checkpoint.read_metadata(good))  # and the good one still reads

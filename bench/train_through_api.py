"""Two epochs of numpy-rnn on long-dependency started from the lab's Train tab (the served API, as
tests/test_lab.py's training does) against the same training called directly (zoo.train.train, no
server): what serving costs a training. Moved here from the functional tests, which assert no speed.
Goal: the served training ≤ 1.5× the direct one (the old test's bound was 60 s).

    .venv/bin/python bench/train_through_api.py
"""
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, __import__("os").path.dirname(__file__))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from common import save  # noqa: E402

from zoo.train import TrainConfig, train  # noqa: E402


def main() -> None:
    from gradio_client import Client
    from labserver import serve_lab

    started = time.perf_counter()
    train("numpy-rnn", "long-dependency", config=TrainConfig(epochs=2, lr=0.001), save=False)
    direct = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as base, serve_lab(Path(base)) as lab:
        client = Client(lab.url, verbose=False)
        started = time.perf_counter()
        status, *_ = client.predict("long-dependency", ["numpy-rnn"], 2, "tanh", 0.001, api_name="/train")
        served = time.perf_counter() - started
    assert "done" in status, status
    ratio = served / direct
    save("train_through_api", {"direct_seconds": round(direct, 2), "served_seconds": round(served, 2), "ratio": round(ratio, 2)})
    print(f"direct {direct:.1f} s, served {served:.1f} s")
    print(f"served / direct: {ratio:.2f}x (goal ≤ 1.5x)")


if __name__ == "__main__":
    main()

"""A real environment with neither torch nor TensorFlow: RNN Zoo installs, lists and runs its NumPy backend."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_core_install_without_deep_learning_frameworks(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    install = subprocess.run([str(bin_dir / "pip"), "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-2000:]
    probe = subprocess.run([str(bin_dir / "python"), "-c", "import importlib.util as u; print(u.find_spec('torch'), u.find_spec('tensorflow'))"],
                           capture_output=True, text=True)
    assert probe.stdout.strip() == "None None", "the core install must not pull in a framework"

    listing = subprocess.run([str(bin_dir / "zoo"), "backends", "--json"], capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0, listing.stderr
    rows = {row["name"]: row for row in json.loads(listing.stdout)}
    assert rows["numpy-rnn"]["status"] == "available"
    assert rows["torch-lstm"]["status"] == "unavailable" and "pip install torch==2.13.0" in rows["torch-lstm"]["reason"]
    assert rows["keras-lstm"]["status"] == "unavailable" and "pip install tensorflow-cpu==2.21.0" in rows["keras-lstm"]["reason"]

    trace = subprocess.run([str(bin_dir / "zoo"), "trace", "--backend", "numpy-rnn", "--text", "He likes a pretty girl", "--json"],
                           capture_output=True, text=True, timeout=120)
    assert trace.returncode == 0, trace.stderr
    assert len(json.loads(trace.stdout)["readout"]) == 5

    # The plugin templates ship in the package, not only in a checkout.
    scaffold = subprocess.run([str(bin_dir / "zoo"), "new-plugin", "zoo-fresh", "--dir", str(tmp_path / "zoo-fresh"),
                               "--family", "rnn", "--framework", "numpy"], capture_output=True, text=True, timeout=120)
    assert scaffold.returncode == 0, scaffold.stderr
    assert (tmp_path / "zoo-fresh" / "zoo_fresh" / "model.py").is_file()

    parity = subprocess.run([str(bin_dir / "zoo"), "parity", "--json"], capture_output=True, text=True, timeout=300)
    result = json.loads(parity.stdout)
    assert parity.returncode == 0 and set(result["max_abs_diff"]) == {"numpy-rnn"}
    assert "torch-lstm" in result["skipped"] and "keras-lstm" in result["skipped"]

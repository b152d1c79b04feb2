import importlib.metadata
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HEAVY = ("torch", "tensorflow", "keras", "jax")


def run_python(code: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter of this environment, so sys.modules starts empty."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def run_zoo(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return run_python(f"import sys; from zoo.cli import main; sys.exit(main({list(args)!r}))", env=env, timeout=timeout)


@pytest.fixture
def fake_plugins(tmp_path):
    """Install throwaway plugins through the real entry-point mechanism: a module and a
    .dist-info folder declaring it in the ``rnn_zoo`` group, found via PYTHONPATH."""

    def install(plugins: dict[str, str]) -> dict:
        lines = ["[rnn_zoo]"]
        for name, source in plugins.items():
            (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
            lines.append(f"{name} = {name}")
        info = tmp_path / "zoo_fake_plugins-0.0.1.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: zoo-fake-plugins\nVersion: 0.0.1\n")
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
        return {"PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}

    return install


def parse_json(out: subprocess.CompletedProcess):
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_PLUGIN = ROOT / "examples" / "zoo-gru"


@pytest.fixture(scope="session")
def example_plugin() -> Path:
    """The out-of-tree GRU plugin, installed into this environment as its users would (make does it
    already; this covers a bare pytest run). Anything that must see it runs in a fresh interpreter."""
    try:
        importlib.metadata.version("zoo-gru")
    except importlib.metadata.PackageNotFoundError:
        out = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "--no-deps", "-e", str(EXAMPLE_PLUGIN)], capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stderr
    return EXAMPLE_PLUGIN

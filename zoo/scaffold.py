"""``zoo new-plugin``: a third-party backend package, ready to install, with only the model left to write.

The generated package registers its backend through the ``rnn_zoo`` entry point, has a Backend
subclass whose contract methods say what to return and raise NotImplementedError, and a test file that
runs the conformance kit. Installed as generated, it passes the kit's structural checks; filling in
the model code is what makes the numerical ones pass. The files come from templates/plugin/.
"""
from __future__ import annotations

import importlib.util
import keyword
import re
import shutil
import string
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from .errors import ZooError
from .family import FAMILIES, Family
from .plugins import NAME_PATTERN, registry

TEMPLATES = files("zoo") / "templates" / "plugin"
PACKAGE_DIR = "package"  # the template folder that becomes the package
NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*([_-][A-Za-z0-9]+)*")

FRAMEWORKS = {  # import name -> (display name, what to pip install)
    "torch": ("PyTorch", "torch"),
    "tensorflow": ("TensorFlow/Keras", "tensorflow"),
    "jax": ("JAX", "jax"),
    "numpy": ("NumPy", "numpy"),
}


@dataclass(frozen=True)
class NewPlugin:
    root: Path
    package: str
    backend: str
    files: list[Path]


def new_plugin(name: str, directory=None, *, family: str = "lstm", framework: str = "torch",
               backend: str | None = None) -> NewPlugin:
    """Write the package ``name`` (a distribution name such as ``zoo-gru``; the package is ``zoo_gru``)
    into ``directory`` (default ./name), which must not exist yet."""
    if not NAME.fullmatch(name):
        raise ZooError(f"{name!r} is not a valid plugin name: use letters, digits and single '-' or '_' between them, "
                       "starting with a letter (it names the distribution, e.g. zoo-gru, and the package, zoo_gru)")
    package = name.replace("-", "_").lower()
    if keyword.iskeyword(package):
        raise ZooError(f"{package!r} is a Python keyword and cannot name a package")
    if importlib.util.find_spec(package) is not None:
        raise ZooError(f"a module named {package!r} is already importable here: pick a name that does not shadow it")
    backend = backend or package.replace("_", "-")
    if not NAME_PATTERN.match(backend):
        raise ZooError(f"invalid backend name {backend!r}: use 1-64 lowercase letters, digits, '.', '_' or '-'")
    taken = next((e for e in registry().backends if e.name == backend and e.info is not None), None)
    if taken is not None:
        raise ZooError(f"backend name {backend!r} is already registered by plugin {taken.plugin.name!r}: pass --backend")
    if family not in FAMILIES:
        raise ZooError(f"unknown family {family!r}: choose from {', '.join(FAMILIES)}")
    if framework not in FRAMEWORKS:
        raise ZooError(f"unknown framework {framework!r}: choose from {', '.join(FRAMEWORKS)}")
    root = Path(directory if directory is not None else name)
    if root.exists():
        raise ZooError(f"{root} already exists: choose another --dir or remove it")

    values = _template_values(name, package, backend, family, framework)
    root.mkdir(parents=True)
    try:
        written = list(_render(TEMPLATES, root, package, values))
    except BaseException:  # leave nothing half-made behind
        shutil.rmtree(root, ignore_errors=True)
        raise
    return NewPlugin(root, package, backend, written)


def _template_values(name: str, package: str, backend: str, family: str, framework: str) -> dict[str, str]:
    layout = FAMILIES[family]
    framework_name, requirement = FRAMEWORKS[framework]
    order = ", ".join(layout.gates)
    width = "H" if layout.blocks == 1 else f"{layout.blocks}H"
    shapes = [f"``recurrent.{{k}}.W`` (inputs, {width}), ``.U`` (H, {width}), ``.b`` ({width},)"]
    if layout.recurrent_bias:
        shapes[0] += f", ``.b_U`` ({width},)"
        shapes.append("(b the input bias, b_U the recurrent one)")
    if layout.gates:
        shapes.append(f"with the gate blocks in the order {order}")
    class_name = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", backend))
    return {
        "distribution": name,
        "package": package,
        "backend": backend,
        "class_name": class_name if class_name[0].isalpha() else f"Backend{class_name}",
        "family": family,
        "framework": framework_name,
        "module": framework,
        "install": f"pip install {requirement}",
        "dependencies": ", ".join(f'"{r}"' for r in ("rnn-zoo", requirement) if r != "numpy"),  # rnn-zoo brings numpy
        "description": f"{layout.title[0].upper()}{layout.title[1:]} backend for RNN Zoo on {framework_name}",
        "weights": "\n        ".join(shapes),
        "trace": trace_contents(layout),
    }


def trace_contents(layout: Family) -> str:
    """What each layer of the family's trace holds, for the template's docstrings."""
    named = [f"{gate} ({layout.gate_names[gate]})" for gate in layout.gates]
    gates = " and ".join((", ".join(named[:-1]), named[-1])) if named else ""
    if layout.cell_state:
        return f"``h``, the cell state ``c`` and ``gates`` {gates}"
    return f"``h`` and ``gates`` {gates} (no ``c``)" if gates else "``h`` only (no ``c``, no gates)"


def _render(folder, into: Path, package: str, values: dict[str, str]):
    """Fill every ``*.tmpl`` under ``folder`` into ``into``, yielding each file written."""
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        if item.is_dir():
            target = into / (package if item.name == PACKAGE_DIR else item.name)
            target.mkdir()
            yield from _render(item, target, package, values)
        elif item.name.endswith(".tmpl"):
            target = into / item.name.removesuffix(".tmpl")
            target.write_text(string.Template(item.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
            yield target

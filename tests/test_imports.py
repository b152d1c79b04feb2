"""No two modules of the project import each other, at the top of a file or inside a function."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("zoo", "zoo_lab", "plugins/zoo_torch", "plugins/zoo_keras", "plugins/zoo_rnn", "plugins/zoo_datasets")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    parts = parts[1:] if parts[0] == "plugins" else parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).glob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project's modules that ``name`` imports anywhere in its file; ``from pkg import sub`` counts
    as importing the submodule when there is one, else the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m in known and m != name}


def test_no_module_pair_imports_each_other():
    known = modules()
    assert {"zoo.backend", "zoo.checkpoint", "zoo_lab.app", "zoo_torch.network"} <= set(known)
    graph = {name: imports_of(name, path, set(known)) for name, path in known.items()}
    assert "zoo.checkpoint" in graph["zoo.backend"]  # the parser sees relative imports
    pairs = sorted({tuple(sorted((a, b))) for a, targets in graph.items() for b in targets if a in graph.get(b, ())})
    assert pairs == [], pairs


def test_the_checkpoint_format_knows_no_model():
    source = (ROOT / "zoo" / "checkpoint.py").read_text()
    assert "Backend" not in source.replace("``Backend.save`` and ``Backend.load``", "")
    assert imports_of("zoo.checkpoint", ROOT / "zoo" / "checkpoint.py", set(modules())) == {"zoo.errors", "zoo.limits", "zoo.messages"}

"""Cross-backend parity: one set of weights through every backend and the NumPy reference.

The weights travel along a chain (set into the first backend, exported, set into the next, …), so
a pass also proves that weights exported from any backend load into every other one of its family.
"""
from __future__ import annotations

import numpy as np

from . import reference
from .family import FAMILIES
from .plugins import Registry, registry
from .spec import ModelSpec
from .weights import random_weights

TOLERANCE = 1e-5


def parity_inputs(spec: ModelSpec, steps: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if spec.input == "tokens":
        return rng.integers(1, spec.vocab_size, size=steps)
    return rng.normal(size=(steps, spec.n_features)).astype(np.float32)


def run_parity(steps: int = 50, seed: int = 0, reg: Registry | None = None) -> dict:
    """Trace the seed architecture (token and numeric input) on every available backend of a family
    the reference knows, and report each one's largest absolute difference from the reference.

    A backend that raises fails the run (``failed``, per input kind, with its error), and so does a
    plugin that could not be loaded (``plugin_errors``): parity cannot vouch for what it never ran.
    Each input kind's results are kept on their own, so a backend that breaks on one kind still shows
    how it did on the other. ``skipped`` lists backends that cannot run here."""
    reg = reg or registry()
    specs = {"tokens": ModelSpec(), "features": ModelSpec(input="features", n_features=100)}
    details: dict[str, dict] = {}
    failed: dict[str, dict[str, str]] = {}
    skipped: dict[str, str] = {}
    plugin_errors = {p.name: p.reason for p in reg.plugins if p.status == "error"}
    for entry in reg.backends:
        if entry.info is None:  # a registration that was refused (a taken name, a wrong type)
            plugin_errors.setdefault(entry.plugin.name, f"registration {entry.name!r} refused: {entry.reason}")
        elif entry.status != "available":
            skipped[entry.name] = f"{entry.status}: {entry.reason}"
    for family, layout in FAMILIES.items():
        names = [e.name for e in reg.available_backends(family)]
        for input_kind, spec in specs.items():
            original = random_weights(spec, seed, layout)
            x = parity_inputs(spec, steps, seed)
            want = reference.forward(original, spec, family, x)
            carried = original
            for name in names:
                details.setdefault(name, {"family": family})
                try:
                    model = reg.create(name, spec, seed=seed)
                    model.set_weights(carried)
                    exported = model.get_weights()
                    got = model.trace(x)
                    predicted = model.predict(x[None])[0]
                except Exception as err:  # one failing backend must not hide the others' results
                    failed.setdefault(name, {})[input_kind] = f"raised {type(err).__name__}: {err}"
                    continue
                carried = exported
                diffs = {"weights": max(_diff(carried[k], original[k]) for k in original)}
                for k, (mine, ref) in enumerate(zip(got.layers, want.layers)):
                    for quantity, value in ref.quantities().items():
                        diffs[f"layer{k}.{quantity}"] = _diff(mine.quantities()[quantity], value)
                diffs["readout"] = _diff(got.readout, want.readout)
                diffs["predict"] = _diff(predicted, want.output)
                details[name][input_kind] = diffs
    max_abs_diff = {
        name: max(max(d.values()) for key, d in result.items() if key != "family")
        for name, result in details.items()
        if any(key != "family" for key in result)
    }
    return {
        "steps": steps,
        "seed": seed,
        "tolerance": TOLERANCE,
        "architecture": specs["tokens"].to_dict(),
        "max_abs_diff": max_abs_diff,
        "passed": (bool(max_abs_diff) and not failed and not plugin_errors
                   and all(v <= TOLERANCE for v in max_abs_diff.values())),
        "details": details,
        "failed": failed,
        "plugin_errors": plugin_errors,
        "skipped": skipped,
    }


def _diff(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))

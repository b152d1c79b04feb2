"""What-if runs: the same model on the same input with one part of its machinery overridden."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .family import Family


@dataclass(frozen=True)
class Intervention:
    """Override one recurrent layer at every step: clamp its forget gate (LSTM only) to ``forget``, and
    force the hidden state of the units in ``silence`` to 0 (what they pass on to the next step and the
    layer above). Everything else runs as trained."""

    layer: int = 0
    forget: float | None = None
    silence: tuple[int, ...] = ()

    def check(self, units: tuple[int, ...], family: Family) -> None:
        if not 0 <= self.layer < len(units):
            raise InputError(f"layer {self.layer} does not exist: the model has layers 0 to {len(units) - 1}")
        if self.forget is not None and family.forget_gate is None:
            raise InputError(f"{family.title} has no forget gate to clamp")
        if self.forget is not None and not 0.0 <= self.forget <= 1.0:
            raise InputError("a forget gate lies between 0 and 1")
        bad = [u for u in self.silence if not 0 <= u < units[self.layer]]
        if bad:
            raise InputError(f"layer {self.layer} has units 0 to {units[self.layer] - 1}, not {bad}")

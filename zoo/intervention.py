"""What-if runs: the same model on the same input with one part of its machinery overridden."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .family import Family
from .messages import message


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
            raise InputError(message("layer_does_not_exist", layer=self.layer, last=len(units) - 1))
        if self.forget is not None and family.forget_gate is None:
            raise InputError(message("no_forget_gate", family=family.title))
        if self.forget is not None and not 0.0 <= self.forget <= 1.0:
            raise InputError(message("forget_gate_range"))
        bad = [u for u in self.silence if not 0 <= u < units[self.layer]]
        if bad:
            raise InputError(message("layer_has_units", layer=self.layer, last=units[self.layer] - 1, given=bad))

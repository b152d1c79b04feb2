"""Every error RNN Zoo raises on purpose derives from ZooError and carries a message meant for a user."""


class ZooError(Exception):
    """Base of the errors a user can act on."""


class SpecError(ZooError, ValueError):
    """A model spec that no backend could build."""


class InputError(ZooError, ValueError):
    """Input that a model cannot take: wrong shape, wrong type, NaN, out-of-vocabulary ids."""


class WeightsError(ZooError, ValueError):
    """Weights that do not fit the model's canonical layout."""


class NotFittedError(ZooError, RuntimeError):
    """predict was called before the model was trained or given weights."""


class BackendUnavailable(ZooError, RuntimeError):
    """A backend that is registered but cannot run here (framework missing, plugin broken)."""


class CheckpointError(ZooError, ValueError):
    """A checkpoint file that is missing, corrupt, oversized or of the wrong kind."""


class BackendError(ZooError, RuntimeError):
    """A backend that raised, or answered with the wrong shape, while running: a bug in its plugin."""

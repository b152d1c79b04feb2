"""The hooks a plugin implements. Each receives a ``register`` callback and calls it once per thing it adds.

Plugins register descriptions (:class:`zoo.BackendInfo`, :class:`zoo.DatasetInfo`,
:class:`zoo.FormatInfo`), never built models, so listing what is installed imports no framework.
"""
import pluggy

hookspec = pluggy.HookspecMarker("rnn_zoo")
hookimpl = pluggy.HookimplMarker("rnn_zoo")


@hookspec
def register_backends(register):
    """Call ``register(BackendInfo(...))`` for each backend this plugin provides."""


@hookspec
def register_datasets(register):
    """Call ``register(DatasetInfo(...))`` for each dataset this plugin provides."""


@hookspec
def register_formats(register):
    """Call ``register(FormatInfo(...))`` for each model file format this plugin reads and writes."""

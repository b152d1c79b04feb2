"""Finding plugins and what they register, one entry point at a time, so a broken one breaks only itself.

Plugins are found through the ``rnn_zoo`` entry-point group, the bundled ones exactly like third-party
ones. ``RNN_ZOO_PLUGINS`` (comma-separated entry-point names) loads only those; ``RNN_ZOO_BLOCK_PLUGINS``
skips the named ones. A plugin that fails to import, fails hook validation or raises in a hook, and
a registration whose name is taken, are listed with status ``error`` and the reason.

``RNN_ZOO_TRACE_HOOKS=1`` prints to stderr every entry point as it loads (or why it does not) and every
hook call, plugin by plugin, with what it registered or the error. The registry calls each plugin's
hook implementations itself, one at a time, so pluggy's own tracing would not see these calls.
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import importlib.util
import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pluggy

from . import hookspecs
from .errors import BackendUnavailable
from .family import FAMILIES
from .messages import message

ENTRY_POINT_GROUP = "rnn_zoo"
DISTRIBUTION = "rnn-zoo"
ALLOW_ENV = "RNN_ZOO_PLUGINS"
BLOCK_ENV = "RNN_ZOO_BLOCK_PLUGINS"
TRACE_ENV = "RNN_ZOO_TRACE_HOOKS"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class BackendInfo:
    """How to build a backend, registered without importing its framework.

    ``factory`` is ``"package.module:Class"``, imported only when a model is built; ``module`` is the
    framework's import name, looked up (not imported) to tell whether the backend can run here;
    ``install`` is the command that installs it.
    """

    name: str
    family: str
    framework: str
    factory: str
    module: str
    install: str = ""
    description: str = ""


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset a plugin provides; ``loader`` is ``"package.module:function"``, imported when loaded."""

    name: str
    kind: str  # "text" or "series"
    task: str  # "binary", "multiclass" or "regression"
    loader: str
    source: str = ""
    size: int | None = None
    description: str = ""
    module: str | None = None  # a package the data ships in, looked up (not imported) like a backend's framework
    install: str = ""


@dataclass(frozen=True)
class FormatInfo:
    """A model file format a plugin reads (``zoo import``) and writes (``zoo export --to NAME``).

    ``reader`` is ``"package.module:function"``, called as ``reader(path, head_activation=, task=)`` and
    returning a :class:`zoo.interchange.Imported`; ``writer`` is called as ``writer(spec, family, weights,
    out)`` and returns the files it wrote. Both are imported only when used; ``module`` is the framework's
    import name, looked up (not imported) like a backend's. A reader executes nothing from the file.
    """

    name: str
    framework: str
    suffixes: tuple[str, ...]  # the file names it reads, e.g. (".keras", ".h5")
    reader: str
    writer: str
    module: str
    install: str = ""
    description: str = ""


@dataclass
class Plugin:
    name: str
    distribution: str | None = None
    version: str | None = None
    status: str = "loaded"  # loaded | error | blocked
    reason: str = ""


@dataclass
class Entry:
    """One registration (a backend or a dataset) and whether it can be used."""

    name: str
    plugin: Plugin
    info: Any = None  # BackendInfo / DatasetInfo; None when the registration was rejected
    status: str = "available"  # available | unavailable | error
    reason: str = ""


class Registry:
    """Everything the installed plugins registered. Build one with :func:`registry`."""

    def __init__(self, entry_points: Iterable[importlib.metadata.EntryPoint] = (), extra_plugins: dict[str, object] | None = None):
        self.plugins: list[Plugin] = []
        self.backends: list[Entry] = []
        self.datasets: list[Entry] = []
        self.formats: list[Entry] = []
        self._lock = threading.Lock()
        self._pm = pluggy.PluginManager("rnn_zoo")
        self._pm.add_hookspecs(hookspecs)
        loaded = [(plugin, obj) for plugin, obj in self._load(entry_points, extra_plugins or {}) if obj is not None]
        for plugin, obj in loaded:
            self._collect(plugin, obj, "register_backends", BackendInfo, self.backends)
            self._collect(plugin, obj, "register_datasets", DatasetInfo, self.datasets)
            self._collect(plugin, obj, "register_formats", FormatInfo, self.formats)
        for entry in self.backends + self.datasets + self.formats:
            module = entry.info.module if entry.info is not None else None
            if entry.status == "available" and module and importlib.util.find_spec(module) is None:
                entry.status = "unavailable"
                entry.reason = (message("module_not_installed", module=module, install=entry.info.install) if entry.info.install
                                else message("module_not_installed_plain", module=module))
                _trace(f"{entry.name} (plugin {entry.plugin.name}) is unavailable: {entry.reason}")

    def _load(self, entry_points, extra_plugins):
        allow = _names_from_env(ALLOW_ENV)
        block = _names_from_env(BLOCK_ENV)
        # The bundled plugins come first so that no third-party plugin can take their names.
        ordered = sorted(entry_points, key=lambda ep: (getattr(ep.dist, "name", None) != DISTRIBUTION, ep.name))
        candidates = [(ep.name, ep, None) for ep in ordered]
        candidates += [(name, None, obj) for name, obj in extra_plugins.items()]
        for name, ep, obj in candidates:
            dist = getattr(ep, "dist", None)
            plugin = Plugin(name, dist.name if dist else None, dist.version if dist else None)
            self.plugins.append(plugin)
            source = f"entry point {name} = {ep.value} from {dist.name} {dist.version}" if dist else f"plugin {name}"
            if (allow is not None and name not in allow) or name in block:
                plugin.status = "blocked"
                plugin.reason = message("plugin_not_allowed", env=ALLOW_ENV) if name not in block else message("plugin_blocked", env=BLOCK_ENV)
                _trace(f"skipped {source}: {plugin.reason}")
                continue
            started = time.perf_counter()
            try:
                if obj is None:
                    obj = ep.load()
                self._pm.register(obj, name=name)
                unknown = [c.name for c in self._pm.get_hookcallers(obj) or [] if not c.has_spec()]
                if unknown:
                    self._pm.unregister(obj)
                    raise pluggy.PluginValidationError(obj, f"unknown hook(s) {unknown}; rnn_zoo has {_hook_names()}")
            except Exception as err:  # any failure of third-party code must stay inside its own plugin
                plugin.status = "error"
                plugin.reason = message("plugin_failed_to_load", error=f"{type(err).__name__}: {err}")
                _trace(f"{source} {plugin.reason}")
                yield plugin, None
                continue
            _trace(f"loaded {source} in {1000 * (time.perf_counter() - started):.0f} ms")
            yield plugin, obj

    def _collect(self, plugin: Plugin, obj, hook: str, kind: type, into: list[Entry]) -> None:
        for impl in getattr(self._pm.hook, hook).get_hookimpls():
            if impl.plugin is not obj:
                continue
            pending: list[Entry] = []

            def register(info, _pending=pending):
                _pending.append(_checked_entry(plugin, info, kind))

            try:
                impl.function(**{arg: register for arg in impl.argnames})
            except Exception as err:
                plugin.status = "error"
                plugin.reason = message("hook_raised", hook=hook, error=f"{type(err).__name__}: {err}")
                into.append(Entry(plugin.name, plugin, None, "error", plugin.reason))
                _trace(f"{plugin.name}.{hook}() raised {type(err).__name__}: {err}")
                continue
            outcomes = []
            for entry in pending:
                owner = next((e for e in into if e.name == entry.name and e.info is not None), None)
                if owner is not None and entry.info is not None:
                    entry = Entry(entry.name, plugin, None, "error",
                                  message("name_taken", name=entry.name, owner=owner.plugin.name))
                into.append(entry)
                outcomes.append(entry.name if entry.info is not None else f"{entry.name} (rejected: {entry.reason})")
            _trace(f"{plugin.name}.{hook}() registered {', '.join(outcomes) or 'nothing'}")

    # ----- lookups -----
    def backend(self, name: str) -> Entry:
        return _named(self.backends, name, lambda names: message("no_backend_named", name=name, names=names))

    def dataset(self, name: str) -> Entry:
        return _named(self.datasets, name, lambda names: message("no_dataset_named", name=name, names=names))

    def available_backends(self, family: str | None = None) -> list[Entry]:
        return [e for e in self.backends if e.status == "available" and (family is None or e.info.family == family)]

    def format(self, name: str) -> Entry:
        """The available format ``name`` (``zoo export --to``), or why there is none."""
        entry = _named(self.formats, name, lambda names: message("no_format_named", name=name, names=names))
        if entry.status != "available":
            raise BackendUnavailable(message("format_not_available", name=name, status=entry.status, reason=entry.reason))
        return entry

    def format_for(self, path) -> Entry:
        """The available format that reads a file of this name, by its suffix."""
        suffix = "".join(Path(path).suffixes[-1:]).lower()
        found = [e for e in self.formats if e.info is not None and suffix in e.info.suffixes]
        if not found:
            known = sorted({s for e in self.formats if e.info is not None for s in e.info.suffixes})
            readable = ", ".join(known) or "-"
            raise BackendUnavailable(message("no_format_reads", file=Path(path).name, suffix=suffix, readable=readable) if suffix
                                     else message("no_format_reads_bare", file=Path(path).name, readable=readable))
        for entry in found:
            if entry.status == "available":
                return entry
        raise BackendUnavailable(message("framework_file_unavailable", file=Path(path).name, framework=found[0].info.framework,
                                         reason=found[0].reason))

    def backend_class(self, name: str) -> type:
        """Import a backend's class; an import that fails marks the backend ``error`` with the reason."""
        entry = self.backend(name)
        if entry.status != "available":
            raise BackendUnavailable(message("backend_not_available", name=name, status=entry.status, reason=entry.reason))
        with self._lock:
            started = time.perf_counter()
            try:
                cls = resolve(entry.info.factory)
            except Exception as err:
                entry.status = "error"
                entry.reason = message("backend_failed_import", factory=entry.info.factory, error=f"{type(err).__name__}: {err}")
                _trace(f"{name}: {entry.reason}")
                raise BackendUnavailable(message("backend_broken", name=name, reason=entry.reason)) from err
            _trace(f"{name}: imported {entry.info.factory} in {1000 * (time.perf_counter() - started):.0f} ms")
            return cls

    def create(self, name: str, spec=None, *, seed: int = 0, forget_bias: float = 1.0):
        """Build backend ``name`` for ``spec`` (the seed's model by default) with the shared initialisation;
        ``forget_bias`` is an LSTM's initial forget-gate bias (Keras's unit_forget_bias is 1)."""
        return self.backend_class(name)(spec, seed=seed, name=name, forget_bias=forget_bias)

    def framework_version(self, entry: Entry) -> str | None:
        if entry.info is None or entry.status == "unavailable":
            return None
        return framework_version(entry.info.module)


def _named(entries: list[Entry], name: str, unknown: Callable) -> Entry:
    """The accepted registration called ``name``, or the error ``unknown(names)`` that lists the ones there are."""
    entry = next((e for e in entries if e.name == name and e.info is not None), None)
    if entry is None:
        raise BackendUnavailable(unknown(", ".join(e.name for e in entries if e.info is not None) or "-"))
    return entry


def resolve(path: str) -> Callable:
    module, _, attr = path.partition(":")
    if not module or not attr:
        raise ValueError(f"{path!r} is not of the form 'package.module:attribute'")
    return getattr(importlib.import_module(module), attr)


_distributions: dict[str, list[str]] | None = None


def framework_version(module: str) -> str | None:
    """The installed version of the distribution providing ``module``, found without importing it."""
    global _distributions
    if _distributions is None:
        _distributions = importlib.metadata.packages_distributions()
    for dist in _distributions.get(module, []):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def _checked_entry(plugin: Plugin, info, kind: type) -> Entry:
    name = getattr(info, "name", None)
    if not isinstance(info, kind):
        return Entry(str(name or "?"), plugin, None, "error", message("registered_wrong_kind", got=type(info).__name__, kind=kind.__name__))
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        return Entry(str(name), plugin, None, "error",
                     message("invalid_registered_name", name=name))
    if kind is BackendInfo and info.family not in FAMILIES:
        return Entry(name, plugin, None, "error",
                     message("unknown_family", family=info.family, families=", ".join(FAMILIES)))
    return Entry(name, plugin, info)


def _trace(text: str) -> None:
    if os.environ.get(TRACE_ENV, "") not in ("", "0"):
        print(f"[{ENTRY_POINT_GROUP}] {text}", file=sys.stderr)


def _names_from_env(var: str) -> set[str] | None:
    value = os.environ.get(var)
    if value is None:
        return None if var == ALLOW_ENV else set()
    return {name.strip() for name in value.split(",") if name.strip()}


def _hook_names() -> list[str]:
    return sorted(name for name in dir(hookspecs) if name.startswith("register_"))


_registry: Registry | None = None
_registry_lock = threading.Lock()
_registered: dict[str, object] = {}  # plugins added in this process by registered_plugin


def registry(reload: bool = False) -> Registry:
    """The process-wide registry of installed plugins (and any registered_plugin adds), loaded on first use."""
    global _registry
    with _registry_lock:
        if _registry is None or reload:
            _registry = Registry(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), extra_plugins=dict(_registered))
        return _registry


@contextlib.contextmanager
def registered_plugin(plugin: object, name: str) -> Iterator[Registry]:
    """Within the block, ``plugin`` (an object or module with hook implementations) is loaded as if it
    were installed under the entry-point name ``name``: after the installed ones, so it cannot take
    their names, and failing just as one would. For a plugin author's tests and scripts::

        with registered_plugin(MyPlugin(), "mine") as reg:
            model = reg.create("my-backend")
    """
    if name in _registered:
        raise ValueError(f"a plugin named {name!r} is registered already")
    _registered[name] = plugin
    try:
        yield registry(reload=True)
    finally:
        del _registered[name]
        registry(reload=True)


def registered_in_this_process() -> dict[str, object]:
    """The plugins registered_plugin has added in this process, by name: what a worker process must
    register too (zoo.workers), since it starts with only the installed ones."""
    return dict(_registered)


def register_in_this_process(extra_plugins: dict[str, object]) -> None:
    """In a worker: load ``extra_plugins`` as registered_plugin did in the process that started it."""
    _registered.update(extra_plugins)
    registry(reload=True)

"""The tables the command line and the lab both show, built in one place: ``zoo backends``, ``zoo plugins``,
``zoo formats`` and ``zoo parity`` print these rows, and the lab's Backends tab shows the same ones.

Each table is a list of dicts with the keys of its ``*_COLUMNS``, in that order.
"""
from __future__ import annotations

from .plugins import Registry

BACKEND_COLUMNS = ("name", "family", "framework", "version", "plugin", "distribution", "plugin_version", "status", "reason")
PLUGIN_COLUMNS = ("name", "distribution", "version", "status", "backends", "datasets", "formats", "reason")
FORMAT_COLUMNS = ("name", "framework", "suffixes", "plugin", "status", "reason")
PARITY_COLUMNS = ("backend", "family", "max |diff|", "ok")


def backend_rows(reg: Registry) -> list[dict]:
    """Every backend registration, then every plugin that registered none because it did not load
    (status ``error``) or was skipped on purpose (``blocked``): whatever cannot run says why. Such a
    plugin's row has no backend ``name``."""
    rows = [
        {"name": e.name, "family": e.info.family if e.info else None, "framework": e.info.framework if e.info else None,
         "version": reg.framework_version(e), "plugin": e.plugin.name, "distribution": e.plugin.distribution,
         "plugin_version": e.plugin.version, "status": e.status, "reason": e.reason}
        for e in reg.backends
    ]
    listed = {e.plugin.name for e in reg.backends}
    rows += [
        {"name": None, "family": None, "framework": None, "version": None, "plugin": p.name,
         "distribution": p.distribution, "plugin_version": p.version, "status": p.status, "reason": p.reason}
        for p in reg.plugins
        if p.status != "loaded" and p.name not in listed
    ]
    return rows


def plugin_rows(reg: Registry) -> list[dict]:
    """Every plugin found, with what it registered (the backends, datasets and formats that were accepted)."""
    return [
        {"name": p.name, "distribution": p.distribution, "version": p.version, "status": p.status,
         "backends": [e.name for e in reg.backends if e.plugin is p and e.info is not None],
         "datasets": [e.name for e in reg.datasets if e.plugin is p and e.info is not None],
         "formats": [e.name for e in reg.formats if e.plugin is p and e.info is not None], "reason": p.reason}
        for p in reg.plugins
    ]


def format_rows(reg: Registry) -> list[dict]:
    """Every model file format registered (what ``zoo import`` reads and ``zoo export --to`` writes)."""
    return [{"name": e.name, "framework": e.info.framework if e.info else None,
             "suffixes": list(e.info.suffixes) if e.info else [], "plugin": e.plugin.name, "status": e.status,
             "reason": e.reason} for e in reg.formats]


def parity_rows(result: dict) -> list[dict]:
    """The result of :func:`zoo.parity.run_parity` as one row per backend (and per failed input kind):
    its largest difference from the reference and whether that is within the tolerance, what failed,
    the plugins that did not load, and the backends skipped with the reason."""
    rows = [{"backend": name, "family": result["details"][name]["family"], "max |diff|": f"{diff:.2e}",
             "ok": "yes" if diff <= result["tolerance"] else "NO"}
            for name, diff in result["max_abs_diff"].items()]
    rows += [{"backend": name, "family": result["details"][name]["family"], "max |diff|": "", "ok": f"FAILED ({kind}): {why}"}
             for name, kinds in result["failed"].items() for kind, why in kinds.items()]
    rows += [{"backend": f"plugin {name}", "family": "", "max |diff|": "", "ok": f"FAILED: {why}"}
             for name, why in result["plugin_errors"].items()]
    rows += [{"backend": name, "family": "", "max |diff|": "", "ok": f"skipped: {why}"} for name, why in result["skipped"].items()]
    return rows

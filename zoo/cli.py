"""The ``zoo`` command. Nothing here imports a deep-learning framework until a model is built."""
from __future__ import annotations

import argparse
import json
import sys

from .errors import ZooError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zoo", description="RNN Zoo: recurrent models compared step by step.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("backends", help="list registered backends and whether they can run here")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(run=cmd_backends)

    p = commands.add_parser("plugins", help="list installed plugins and what they registered")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(run=cmd_plugins)

    p = commands.add_parser("parity", help="check every backend against the NumPy reference (one set of weights)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--steps", type=int, default=50, help="sequence length (default 50)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(run=cmd_parity)

    p = commands.add_parser("trace", help="trace one input through an untrained model of the default spec")
    p.add_argument("--backend", required=True, help="backend name (see `zoo backends`)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="a sentence")
    source.add_argument("--series", help='numbers, e.g. "1, 2, 3.5"')
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the whole trace as JSON")
    out.add_argument("--out", metavar="FILE.npz", help="write the trace to a compressed .npz file")
    p.add_argument("--seed", type=int, default=0, help="seed of the initial weights")
    p.set_defaults(run=cmd_trace)

    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except ZooError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def cmd_backends(args) -> int:
    from .plugins import registry

    reg = registry()
    rows = [
        {
            "name": e.name,
            "family": e.info.family if e.info else None,
            "framework": e.info.framework if e.info else None,
            "version": reg.framework_version(e),
            "plugin": e.plugin.name,
            "distribution": e.plugin.distribution,
            "plugin_version": e.plugin.version,
            "status": e.status,
            "reason": e.reason,
        }
        for e in reg.backends
    ]
    # A plugin that failed before registering anything still owes the user a line.
    listed = {e.plugin.name for e in reg.backends}
    rows += [
        {"name": p.name, "family": None, "framework": None, "version": None, "plugin": p.name,
         "distribution": p.distribution, "plugin_version": p.version, "status": "error", "reason": p.reason}
        for p in reg.plugins
        if p.status == "error" and p.name not in listed
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _table("Backends", rows, ["name", "family", "framework", "version", "plugin", "status", "reason"])
    return 0


def cmd_plugins(args) -> int:
    from .plugins import registry

    reg = registry()
    rows = [
        {
            "name": p.name,
            "distribution": p.distribution,
            "version": p.version,
            "status": p.status,
            "reason": p.reason,
            "backends": [e.name for e in reg.backends if e.plugin is p and e.info is not None],
            "datasets": [e.name for e in reg.datasets if e.plugin is p and e.info is not None],
        }
        for p in reg.plugins
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _table("Plugins", [dict(r, backends=", ".join(r["backends"]), datasets=", ".join(r["datasets"])) for r in rows],
               ["name", "distribution", "version", "status", "backends", "datasets", "reason"])
    return 0


def cmd_parity(args) -> int:
    from .parity import run_parity

    result = run_parity(steps=args.steps, seed=args.seed)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        rows = [
            {"backend": name, "family": result["details"][name]["family"], "max |diff|": f"{diff:.2e}",
             "ok": "yes" if diff <= result["tolerance"] else "NO"}
            for name, diff in result["max_abs_diff"].items()
        ]
        rows += [{"backend": name, "family": "", "max |diff|": "", "ok": f"skipped: {why}"} for name, why in result["skipped"].items()]
        _table(f"Parity with the NumPy reference (T={args.steps}, tolerance {result['tolerance']:g})", rows,
               ["backend", "family", "max |diff|", "ok"])
    return 0 if result["passed"] else 1


def cmd_trace(args) -> int:
    import numpy as np

    from .plugins import registry
    from .spec import ModelSpec

    if args.text is not None:
        from .text import Vocabulary, tokenize

        tokens = tokenize(args.text)
        if not tokens:
            raise _input_error("the text has no words or symbols to trace")
        spec = ModelSpec()
        # An untrained model has no vocabulary of its own: number the input's words as they come.
        ids = np.asarray(Vocabulary(tokens).encode(tokens))
        if ids.max() >= spec.vocab_size:
            raise _input_error(f"the text has more than {spec.vocab_size - 2} distinct words")
        labels = tokens
    else:
        from .series import parse_series

        ids = parse_series(args.series)
        spec = ModelSpec(input="features", n_features=1)
        labels = [f"{v:g}" for v in ids]
        ids = ids[:, None]
    model = registry().create(args.backend, spec, seed=args.seed)
    trace = model.trace(ids, tokens=labels)
    if args.out:
        trace.save_npz(args.out)
        print(f"wrote {len(trace.layers)} layers x {trace.steps} steps to {args.out}")
    elif args.json:
        print(json.dumps(trace.to_dict()))
    else:
        rows = []
        for t, label in enumerate(labels):
            row = {"t": t, "input": label, "readout": f"{trace.readout[t, 0]:.4f}"}
            for k, layer in enumerate(trace.layers):
                row[f"mean h{k}"] = f"{layer.h[t].mean():+.3f}"
                if "f" in layer.gates:
                    row[f"mean f{k}"] = f"{layer.gates['f'][t].mean():.3f}"
            rows.append(row)
        _table(f"{args.backend} (untrained, seed {args.seed}): output {trace.output[0]:.4f}", rows, list(rows[0]))
    return 0


def _input_error(message: str):
    from .errors import InputError

    return InputError(message)


def _table(title: str, rows: list[dict], columns: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column != "reason", min_width=len(column))
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console().print(table)


if __name__ == "__main__":
    sys.exit(main())

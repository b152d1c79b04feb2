"""The ``zoo`` command. Nothing here imports a deep-learning framework until a model is built."""
from __future__ import annotations

import argparse
import json
import sys

from .errors import ZooError
from .family import FAMILIES
from .lstmvis import DEFAULT_SEQUENCES
from .prepare import SPLITS
from .scaffold import FRAMEWORKS, new_plugin
from .spec import HEAD_ACTIVATIONS, TASKS
from .train import TrainConfig


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

    p = commands.add_parser("trace", help="trace one input, or a text dataset's split for LSTMVis, through a trained "
                                          "checkpoint or an untrained model")
    model = p.add_mutually_exclusive_group(required=True)
    model.add_argument("--backend", help="an untrained model of the default spec on this backend (see `zoo backends`)")
    model.add_argument("--checkpoint", help="a trained model (see `zoo train`)")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--text", help="a sentence")
    source.add_argument("--series", help='numbers, e.g. "1, 2, 3.5"')
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the whole trace as JSON")
    out.add_argument("--out", metavar="FILE.npz", help="write the trace to a compressed .npz file")
    out.add_argument("--csv", metavar="FILE.csv", help="write the trace as a table: a row per step, a column per "
                                                       "layer, quantity and unit (UTF-8 with a byte-order mark)")
    out.add_argument("--lstmvis", metavar="DIR", help="instead of one input, trace a text dataset's split through "
                                                      "--checkpoint and write an LSTMVis project to DIR")
    p.add_argument("--dataset", help="--lstmvis: the text dataset (default: the checkpoint's own; any other is read "
                                     "with the checkpoint's vocabulary)")
    p.add_argument("--split", choices=SPLITS, help="--lstmvis: the split (default test)")
    p.add_argument("--sequences", type=int,
                   help=f"--lstmvis: at most this many of the split's sequences, the first ones (default {DEFAULT_SEQUENCES})")
    p.add_argument("--seed", type=int, default=0, help="seed of the initial weights")
    p.set_defaults(run=cmd_trace)

    p = commands.add_parser("units", help="what each unit does across a dataset split or your own texts or series: "
                                          "rankings, top contexts, per-token means, gate saturation")
    p.add_argument("checkpoint", help="a checkpoint file, or a lab model id such as default/long-dependency-torch-lstm-seed0")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--dataset", help="a registered dataset (default: the checkpoint's own)")
    source.add_argument("--texts", metavar="FILE", help="your own texts, one a line (UTF-8)")
    source.add_argument("--csv", metavar="FILE", help="your own series: a CSV column of numbers (see --column)")
    p.add_argument("--column", help="--csv: the column (default: the first of numbers)")
    p.add_argument("--split", choices=SPLITS, default="test", help="--dataset: the split (default test)")
    p.add_argument("--layer", type=int, default=0)
    p.add_argument("--unit", type=int, help="the unit to show (default: the one that changes most over time)")
    p.add_argument("--top", type=int, default=5, help="how many units, contexts and tokens to list (default 5)")
    p.add_argument("--window", type=int, default=5, help="steps shown either side of a context's step (default 5)")
    p.add_argument("--select", metavar="SEQUENCE:START:STOP", help="LSTMVis's select and match: the units on over "
                                                                   "steps START to STOP-1 of a sequence and off around "
                                                                   "them, then the other spans where they are so too")
    p.add_argument("--threshold", type=float, default=0.5, help="--select: h at or above it is on (default 0.5)")
    p.add_argument("--margin", type=int, default=1, help="--select: steps either side that must be off (default 1)")
    p.add_argument("--against", metavar="CHECKPOINT", help="a second model on the same input: how closely its "
                                                           "units track this one's, unit by unit")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=cmd_units)

    p = commands.add_parser("datasets", help="list registered datasets")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(run=cmd_datasets)

    p = commands.add_parser("train", help="train a backend on a dataset and save a checkpoint")
    p.add_argument("--backend", required=True)
    p.add_argument("--dataset", required=True)
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="dataset parameter, e.g. --param lag=50 (repeatable)")
    p.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    p.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    p.add_argument("--lr", type=float, default=TrainConfig.lr)
    p.add_argument("--seed", type=int, default=TrainConfig.seed)
    p.add_argument("--patience", type=int, default=TrainConfig.patience, help="early stopping patience in epochs")
    p.add_argument("--max-minutes", type=float, help="stop after this long, keeping the best epoch (default: no limit)")
    p.add_argument("--target", choices=["forecast", "updown"], default=TrainConfig.target,
                   help="series only: next value (regression) or next move up/down (binary)")
    p.add_argument("--window", type=int, default=TrainConfig.window, help="series only: steps per input window")
    p.add_argument("--spec", metavar="JSON", help='architecture changes, e.g. \'{"recurrent": [32], "activation": "relu"}\'')
    p.add_argument("--out", help="checkpoint file or directory (default: the per-user cache)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=cmd_train)

    p = commands.add_parser("evaluate", help="score checkpoints on their test split next to non-recurrent baselines")
    p.add_argument("checkpoint", nargs="+")
    p.add_argument("--json", action="store_true", help="print a JSON object (a list of them for several checkpoints)")
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.set_defaults(run=cmd_evaluate)

    p = commands.add_parser("formats", help="list the model file formats `zoo import` reads and `zoo export` writes")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(run=cmd_formats)

    p = commands.add_parser("import", help="turn your own trained Keras or PyTorch model into a checkpoint every tab and command reads")
    p.add_argument("model_file", metavar="MODEL_FILE", help="a .keras or .h5 file, or a PyTorch state_dict (.pt, .pth, .safetensors)")
    p.add_argument("--out", metavar="CHECKPOINT", help="where to write it (default: the per-user cache, where the lab lists it)")
    p.add_argument("--vocabulary", metavar="FILE", help="a text model's tokens: one a line, JSON token → id, or a "
                                                        "TextVectorization vocabulary (default: the model reads token ids)")
    p.add_argument("--head-activation", choices=list(HEAD_ACTIVATIONS),
                   help="the hidden Dense layers' activation, which a state_dict cannot tell (default tanh; Keras files say it)")
    p.add_argument("--task", choices=list(TASKS),
                   help="what the output means, where the file cannot tell (a state_dict: binary for one output, "
                        "multiclass for more; Keras files say it by the output activation)")
    p.add_argument("--json", action="store_true", help="print the result as JSON, parity as max_abs_diff per backend")
    p.set_defaults(run=cmd_import)

    p = commands.add_parser("export", help="write a checkpoint as an ordinary Keras or PyTorch file that runs without the zoo")
    p.add_argument("checkpoint")
    p.add_argument("--to", required=True, help="the format: keras or torch (any installed format, `zoo plugins`)")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (.keras for keras, .safetensors for torch)")
    p.add_argument("--json", action="store_true", help="print the files written as JSON")
    p.set_defaults(run=cmd_export)

    p = commands.add_parser("pretrain", help="retrain the lab's default models (what zoo/pretrained/ ships)")
    p.add_argument("--out", help="directory (default: zoo/pretrained/ inside the package)")
    p.add_argument("--datasets", help="comma-separated: only these default runs (default: all)")
    p.set_defaults(run=cmd_pretrain)

    p = commands.add_parser("new-plugin", help="create a package for a third-party backend, ready to fill in (docs/plugin-guide.md)")
    p.add_argument("name", help="distribution name, e.g. zoo-gru (the package is zoo_gru)")
    p.add_argument("--dir", help="the directory to create (default ./NAME); it must not exist")
    p.add_argument("--family", choices=list(FAMILIES), default="lstm", help="the recurrent family (default lstm)")
    p.add_argument("--framework", choices=list(FRAMEWORKS), default="torch", help="the framework's import name (default torch)")
    p.add_argument("--backend", help="the backend's registered name (default: NAME in lowercase, '-' for '_')")
    p.set_defaults(run=cmd_new_plugin)

    p = commands.add_parser("lab", help="the long-range dependency lab: train every backend at every lag (cached)")
    p.add_argument("--backends", help="comma-separated (default: every available lstm, gru and rnn backend)")
    p.add_argument("--tasks", help="comma-separated (default: long-dependency,adding-problem,temporal-order)")
    p.add_argument("--lags", default="5,10,20,50,100,200", help="comma-separated lags (default 5,10,20,50,100,200)")
    p.add_argument("--seeds", default="0,1,2", help="comma-separated seeds, one training each (default 0,1,2: the tables show mean ± spread)")
    p.add_argument("--workers", type=int, help="local worker processes (default: one per core; 1 trains in this process)")
    p.add_argument("--ray", nargs="?", const="", metavar="ADDRESS",
                   help="run the cells as Ray tasks: on the cluster at ADDRESS, else RAY_ADDRESS's, else a local Ray instance "
                        "(RAY_ADDRESS set means --ray); needs pip install 'rnn-zoo[ray]'")
    p.add_argument("--gradients", type=int, metavar="LAG", help="also measure ‖∂L/∂h_t‖ at this lag, at init and trained (first seed)")
    p.add_argument("--cache-dir", help="where results and trained weights go (default: the per-user cache)")
    p.add_argument("--json", action="store_true", help="print one JSON object with a `results` list")
    p.add_argument("--markdown", action="store_true", help="print Markdown tables: the scores per task, then the seconds per cell")
    p.set_defaults(run=cmd_lab)

    p = commands.add_parser("limits", help="what the lab accepts (text length, series length, uploads, time) and how to change it")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(run=cmd_limits)

    p = commands.add_parser("serve", help="serve the lab (the Gradio UI) on this machine")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--share", action="store_true", help="ask Gradio for a public share link")
    p.add_argument("--mcp", action=argparse.BooleanOptionalAction, default=None,
                   help="also serve the lab's tools to agents over MCP at /gradio_api/mcp/ (default: on)")
    p.set_defaults(run=cmd_serve)

    args = parser.parse_args(argv)
    try:
        return args.run(args) or 0
    except ZooError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def cmd_backends(args) -> int:
    from .plugins import registry
    from .tables import BACKEND_COLUMNS, backend_rows

    rows = backend_rows(registry())
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _table("Backends", rows, list(BACKEND_COLUMNS))
    return 0


def cmd_plugins(args) -> int:
    from .plugins import registry
    from .tables import PLUGIN_COLUMNS, plugin_rows

    rows = plugin_rows(registry())
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _table("Plugins", [{k: ", ".join(v) if isinstance(v, list) else v for k, v in r.items()} for r in rows],
               list(PLUGIN_COLUMNS))
    return 0


def cmd_parity(args) -> int:
    from .parity import run_parity
    from .tables import PARITY_COLUMNS, parity_rows

    result = run_parity(steps=args.steps, seed=args.seed)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _table(f"Parity with the NumPy reference (T={args.steps}, tolerance {result['tolerance']:g})", parity_rows(result),
               list(PARITY_COLUMNS))
    return 0 if result["passed"] else 1


def cmd_trace(args) -> int:
    lstmvis_options = {name: getattr(args, name) for name in ("dataset", "split", "sequences") if getattr(args, name) is not None}
    if args.lstmvis:
        return _trace_lstmvis(args, lstmvis_options)
    if lstmvis_options:
        raise _input_error(f"{', '.join('--' + name for name in lstmvis_options)}: only with --lstmvis, which traces a dataset's split")
    if args.text is None and args.series is None:
        raise _input_error("give the input to trace: --text or --series (or --lstmvis DIR for a dataset's split)")
    model, encode = _model_for_trace(args)
    ids, labels = encode(args.text, args.series)
    trace = model.trace(ids, tokens=labels)
    if args.out:
        trace.save_npz(args.out)
        print(f"wrote {len(trace.layers)} layers x {trace.steps} steps to {args.out}")
    elif args.csv:
        trace.save_csv(args.csv)
        print(f"wrote {trace.steps} steps (a row each) of {len(trace.layers)} layers to {args.csv}")
    elif args.json:
        print(json.dumps(trace.to_dict()))
    else:
        rows = []
        for t, label in enumerate(labels):
            row = {"t": t, "input": label, "readout": f"{trace.readout[t, 0]:.4f}"}
            for k, layer in enumerate(trace.layers):
                row[f"mean h{k}"] = f"{layer.h[t].mean():+.3f}"
                gate = model.layout.memory_gate  # how much of the past each step keeps: an LSTM's f, a GRU's z
                if gate is not None:
                    row[f"mean {gate}{k}"] = f"{layer.gates[gate][t].mean():.3f}"
            rows.append(row)
        _table(f"{model.name} ({args.checkpoint or f'untrained, seed {args.seed}'}): output {trace.output[0]:.4f}",
               rows, list(rows[0]))
    return 0


def _trace_lstmvis(args, options: dict) -> int:
    from .lstmvis import CONFIG_FILE, export_lstmvis

    if args.checkpoint is None or args.text is not None or args.series is not None:
        raise _input_error("--lstmvis traces a dataset's split through a trained model: give --checkpoint, not "
                           "--backend, and no --text or --series")
    project = export_lstmvis(args.checkpoint, args.lstmvis, **options)
    which = "all" if project.sequences == project.split_size else f"the first {project.sequences:,} of"
    print(f"traced {which} the {project.split_size:,} sequences of the {project.split} split of {project.dataset} "
          f"({project.steps:,} steps) into {', '.join(project.states)}")
    print(f"wrote an LSTMVis project to {project.directory} ({CONFIG_FILE} names its files); "
          f"LSTMVis serves it with: python server.py -dir {project.directory.resolve().parent}")
    return 0


def _model_for_trace(args):
    """The model to trace and how it turns --text or --series into its input."""
    import numpy as np

    from .prepare import encode_text, model_input, text_tokens
    from .series import parse_series
    from .spec import ModelSpec
    from .text import Vocabulary

    if args.checkpoint:
        from . import checkpoint
        from .backend import Backend

        model = Backend.load(args.checkpoint)
        state = checkpoint.read_metadata(args.checkpoint).get("preprocessing", {"kind": "none"})
    else:
        from .plugins import registry

        spec = ModelSpec() if args.text is not None else ModelSpec(input="features", n_features=1)
        model, state = registry().create(args.backend, spec, seed=args.seed), {"kind": "untrained"}
    wants_text = model.spec.input == "tokens"
    if wants_text != (args.text is not None):
        raise _input_error(f"this model reads {'text: use --text' if wants_text else 'numbers: use --series'}")

    def encode(text, series):
        if text is not None and state["kind"] == "text":
            return encode_text(text, state)
        if text is not None:
            tokens = text_tokens(text)
            # An untrained model has no vocabulary of its own: number the input's words as they come.
            ids = np.asarray(Vocabulary(tokens).encode(tokens))
            if ids.max() >= model.spec.vocab_size:
                raise _input_error(f"the text has more than {model.spec.vocab_size - 2} distinct words")
            return ids, tokens
        values = parse_series(series)
        if model.spec.n_features != 1:
            raise _input_error(f"this model reads {model.spec.n_features} numbers per step; --series gives one")
        return model_input(values[:, None], state), [f"{v:g}" for v in values]

    return model, encode


def cmd_units(args) -> int:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from . import units

    if args.top < 1 or args.window < 0:
        raise _input_error("--top must be at least 1 and --window at least 0")
    paths = [units.checkpoint_path(name) for name in (args.checkpoint, *([args.against] if args.against else []))]
    columns = [TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} sequences"),
               TimeElapsedColumn()]
    found = []
    with Progress(*columns, transient=True) as bar:
        for path in paths:
            split = _units_split(args, path)
            task = bar.add_task(f"states of {path.stem}", total=len(split.lengths))
            found.append(units.states(path, split, progress=lambda done, total: bar.update(task, completed=done)))
            bar.update(task, completed=len(split.lengths))
    result = units.explore(found[0], args.layer, args.unit, args.top, args.window)
    if args.against:
        result["against"] = {"states": found[1].name, **units.correlation(found[0], found[1], args.layer)}
    if args.select:
        result["select"] = _select_and_match(found[0], args)
    if args.json:
        print(json.dumps(result))
        return 0
    _units_tables(result, args.top)
    return 0


def _select_and_match(states, args) -> dict:
    from . import units

    try:
        sequence, start, stop = (int(part) for part in args.select.split(":"))
    except ValueError:
        raise _input_error(f"--select takes SEQUENCE:START:STOP, three whole numbers, not {args.select!r}") from None
    selected = units.select(states, sequence, start, stop, args.threshold, args.layer, margin=args.margin)
    matches = units.match(states, selected, args.threshold, args.layer, stop - start, k=args.top,
                          exclude=(sequence, start), window=args.window) if selected else []
    return {"sequence": sequence, "start": start, "stop": stop, "threshold": args.threshold, "margin": args.margin,
            "span": states.context(int(states.starts[sequence]) + start, int(states.starts[sequence]) + stop, args.window),
            "units": selected, "matches": matches}


def _units_split(args, path):
    from pathlib import Path

    from . import units
    from .errors import InputError
    from .limits import checked_file
    from .userdata import series_from_csv

    if args.texts:
        text = checked_file(args.texts, "upload_mb", error=InputError, what="texts file").read_bytes()
        try:
            return units.text_split(path, text.decode("utf-8-sig").splitlines())
        except UnicodeDecodeError:
            raise _input_error(f"{args.texts} is not UTF-8 text: save it as UTF-8") from None
    if args.csv:
        return units.series_split(path, series_from_csv(Path(args.csv), column=args.column).values)
    return units.dataset_split(path, args.dataset, args.split)


def _units_tables(result: dict, top: int) -> None:
    from rich.markup import escape  # a context's [step] is text, not a rich style

    from .units import SATURATED
    def shown(context) -> str:
        return " ".join([*context["before"], f"[{' '.join(context['span'])}]", *context["after"]])

    unit, layer = result["unit"], result["layer"]
    print(f"{result['states']}: {result['steps']:,} steps in {result['sequences']:,} sequences")
    ranked = result["ranking"]
    _table(f"Layer {layer}: units that change most over time, and that go most with the output", [
        {"rank": k + 1, "unit (change)": by_change["unit"], "std over time": f"{by_change['change']:.3f}",
         "unit (output)": by_output["unit"], "r with output": f"{by_output['output_r']:+.3f}"}
        for k, (by_change, by_output) in enumerate(zip(ranked["change"], ranked["output"]))],
        ["rank", "unit (change)", "std over time", "unit (output)", "r with output"])
    rows = [{"quantity": quantity, "end": end, "value": f"{c['value']:+.3f}", "context": escape(shown(c))}
            for quantity, ends in result["contexts"].items() for end in ("highest", "lowest") for c in ends[end]]
    _table(f"Layer {layer}, unit {unit}: its top {top} contexts, [the step]", rows, ["quantity", "end", "value", "context"])
    if result["tokens"]:
        tokens = result["tokens"]
        _table(f"Layer {layer}, unit {unit}: mean h per token (read at least twice)", [
            {"highest": f"{hi['token']} {hi['mean']:+.3f} ({hi['count']}x)", "lowest": f"{lo['token']} {lo['mean']:+.3f} ({lo['count']}x)"}
            for hi, lo in zip(tokens["highest"], tokens["lowest"])], ["highest", "lowest"])
    if result["saturation"]:
        _table(f"Gate saturation over the split: share of steps below {SATURATED[0]:g} and above {SATURATED[1]:g}", [
            {"gate": row["gate"], "layer below": f"{row['below']:.1%}", "layer above": f"{row['above']:.1%}",
             f"unit {unit} below": f"{row['unit_below']:.1%}", f"unit {unit} above": f"{row['unit_above']:.1%}"}
            for row in result["saturation"]], ["gate", "layer below", "layer above", f"unit {unit} below", f"unit {unit} above"])
    if "select" in result:
        chosen = result["select"]
        print(f"select {shown(chosen['span'])} (h >= {chosen['threshold']:g} over it, below within "
              f"{chosen['margin']} step(s) around): units {', '.join(map(str, chosen['units'])) or 'none'}")
        _table("Match: where those units are all on, as long a span first", [
            {"mean h": f"{m['mean']:+.3f}", "context": escape(shown(m)), "where": f"{m['sequence']}:{m['step']}:{m['step'] + m['steps']}"}
            for m in chosen["matches"]], ["mean h", "context", "where"])
    if "against" in result:
        against = result["against"]
        print(f"against {against['states']}: per-unit r of h, mean {against['mean']:.3f}, lowest {against['min']:.3f}; "
              f"unit {unit}: {against['units'][unit]:+.3f} (its best other unit: {against['best_other'][unit]:.3f})")


def cmd_datasets(args) -> int:
    from .plugins import registry

    rows = [
        {"name": e.name, "kind": e.info.kind if e.info else None, "task": e.info.task if e.info else None,
         "size": e.info.size if e.info else None, "source": e.info.source if e.info else None,
         "plugin": e.plugin.name, "status": e.status, "reason": e.reason}
        for e in registry().datasets
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _table("Datasets", rows, ["name", "kind", "task", "size", "source", "status", "reason"])
    return 0


def cmd_train(args) -> int:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from .spec import ModelSpec
    from .train import train

    config = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                         patience=args.patience, target=args.target, window=args.window, max_minutes=args.max_minutes)
    spec = ModelSpec.from_dict({**ModelSpec().to_dict(), **_json_arg(args.spec, "--spec")}) if args.spec else None
    columns = [TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[status]}"), TimeElapsedColumn()]
    with Progress(*columns, transient=args.json) as bar:
        task = bar.add_task(f"{args.backend} on {args.dataset}", total=args.epochs, status="preparing")

        def report(p):
            status = f"epoch {p.epoch}/{p.epochs} loss {p.loss:.4f}"
            if p.val_loss is not None:
                status += f" val {p.val_loss:.4f}"
            bar.update(task, completed=p.epoch - 1 + p.step / p.steps, status=status)

        result = train(args.backend, args.dataset, dataset_params=_params(args.param), config=config, spec=spec,
                       callback=report, out=args.out)
    summary = {"checkpoint": str(result.path), "backend": args.backend, "dataset": args.dataset,
               "epochs_run": len(result.history.loss), "seconds": round(result.history.seconds, 2),
               "test": result.metrics, "stopped_at_time_limit": result.out_of_time}
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _table(f"Test split of {args.dataset}", [{"metric": k, "value": _fmt(v)} for k, v in result.metrics.items()], ["metric", "value"])
        print(f"checkpoint: {result.path}")
    return 0


def cmd_evaluate(args) -> int:
    from .train import evaluate

    results = [evaluate(path) for path in args.checkpoint]
    if args.json:
        print(json.dumps(results[0] if len(results) == 1 else results, indent=2))
        return 0
    rows, seen = [], set()
    for result in results:
        rows.append({"dataset": result["dataset"], "model": result["backend"], **result["metrics"],
                     **(memory_columns(result["memory"]) if args.markdown else {})})
        if result["dataset"] not in seen:  # the baselines once per dataset: same split, same scores
            seen.add(result["dataset"])
            rows += [{"dataset": result["dataset"], "model": f"{name} (baseline)", **scores}
                     for name, scores in result["baselines"].items()]
    rows.sort(key=lambda row: (row["dataset"], "(baseline)" in row["model"]))
    columns = list(dict.fromkeys(key for row in rows for key in row))
    if args.markdown:
        print("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns))
        for row in rows:
            print("| " + " | ".join(_fmt(row.get(c)) for c in columns) + " |")
    else:
        _table("Test split", [{k: _fmt(v) for k, v in row.items()} for row in rows], columns)
        memory = [{"dataset": r["dataset"], "model": r["backend"], **memory_columns(r["memory"])} for r in results]
        _table("How much each model uses its memory on the test split", memory, list(memory[0]))
    return 0


def memory_columns(layers: list[dict]) -> dict:
    """How much a model uses its memory, per layer (zoo.memory): mean |h| and how far its most active
    unit's memory gate moves over time (its h for a layer without gates)."""
    def moved(layer):
        unit = layer["most_active"][0]
        return f"{layer['ranked_by']} {unit[layer['ranked_by'] + '_movement']:.3f} (unit {unit['unit']})"

    return {"mean abs(h) per layer": " / ".join(f"{layer['mean_abs_h']:.3f}" for layer in layers),
            "most active unit moves (std over time)": " / ".join(moved(layer) for layer in layers)}


def cmd_formats(args) -> int:
    from .plugins import registry
    from .tables import FORMAT_COLUMNS, format_rows

    rows = format_rows(registry())
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        _table("Model file formats", [{**row, "suffixes": " ".join(row["suffixes"])} for row in rows], list(FORMAT_COLUMNS))
    return 0


def cmd_import(args) -> int:
    from .interchange import PARITY_TOLERANCE, import_model

    result = import_model(args.model_file, args.out, vocabulary=args.vocabulary, head_activation=args.head_activation,
                          task=args.task)
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0
    spec = result.spec
    print(f"imported {args.model_file}: {spec.input} → {result.family} {list(spec.recurrent)} → head {list(spec.head)} "
          f"({spec.activation}) → {spec.task}")
    for backend, diff in result.parity.items():
        print(f"parity with the file's own framework: {backend} max |diff| {diff:.2e} (≤ {PARITY_TOLERANCE:g})")
    for note in result.notes:
        print(f"note: {note}")
    print(f"checkpoint: {result.path}")
    return 0


def cmd_export(args) -> int:
    from .interchange import export_model

    written = export_model(args.checkpoint, args.to, args.out)
    if args.json:
        print(json.dumps({"files": [str(p) for p in written]}))
    else:
        for path in written:
            print(f"wrote {path}")
    return 0


def cmd_pretrain(args) -> int:
    from pathlib import Path

    from .pretrained import PRETRAINED_DIR, pretrain

    datasets = args.datasets.split(",") if args.datasets else None
    for result in pretrain(Path(args.out) if args.out else PRETRAINED_DIR, datasets=datasets):
        print(f"{result.path}  ({result.path.stat().st_size / 1024:.0f} KiB, {result.history.seconds:.1f} s): "
              + ", ".join(f"{k} {_fmt(v)}" for k, v in result.metrics.items()))
    return 0


def cmd_new_plugin(args) -> int:
    plugin = new_plugin(args.name, args.dir, family=args.family, framework=args.framework, backend=args.backend)
    print(f"created backend {plugin.backend!r} in package {plugin.package}:")
    for path in plugin.files:
        print(f"  {path}")
    print(f"next:\n  pip install -e {plugin.root}    (then `zoo backends` lists {plugin.backend})\n"
          f"  cd {plugin.root} && pytest -m structural    (passes already; `pytest` runs the whole conformance kit)\n"
          f"  fill in {plugin.root / plugin.package / 'model.py'} until `pytest` passes (guide: docs/plugin-guide.md)")
    return 0


def lab_markdown(results: list[dict], backends: list[str], tasks: list[str], lags: list[int]) -> str:
    """The README's lab tables: each task's score per lag and backend (mean ± spread over the seeds),
    then every cell's seconds (the mean over the seeds)."""
    from . import long_range

    cell = long_range.over_seeds(results)
    digits = {"accuracy": 3, "mse": 4}
    parts = []
    for task_name in tasks:
        d = digits[long_range.TASKS[task_name].metric]
        rows = [f"| lag | {' | '.join(backends)} |", "|---|" + "---|" * len(backends)]
        for lag in lags:
            stats = [cell[task_name, lag, b] for b in backends]
            scores = [f"{s['mean']:.{d}f}" + (f" ± {s['spread']:.{d}f}" if len(s["seeds"]) > 1 else "") for s in stats]
            rows.append(f"| {lag} | {' | '.join(scores)} |")
        parts.append(f"{task_name}, test {long_range.TASKS[task_name].metric}:\n\n" + "\n".join(rows))
    header = [f"{t}: {b}" for t in tasks for b in backends]
    rows = [f"| lag | {' | '.join(header)} |", "|---|" + "---|" * len(header)]
    for lag in lags:
        seconds = [f"{cell[t, lag, b]['seconds']:.1f}" for t in tasks for b in backends]
        rows.append(f"| {lag} | {' | '.join(seconds)} |")
    parts.append("seconds of training per cell:\n\n" + "\n".join(rows))
    return "\n\n".join(parts)


def sweep_line(state) -> str:
    """One line for a sweep's progress (the CLI's bar), from a long_range.SweepProgress."""
    return f"lab sweep: {state.done} trained · {state.running} running · {state.cached} cached" + (
        f" · {state.failed} failed" if state.failed else "")


def cmd_lab(args) -> int:
    import os
    import signal
    import threading

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from . import fanout, long_range
    from .plugins import registry

    backends = _names(args.backends) if args.backends else [e.name for e in registry().available_backends()]
    tasks = _names(args.tasks) if args.tasks else list(long_range.TASKS)
    unknown = sorted(set(tasks) - set(long_range.TASKS))
    if unknown:
        raise _input_error(f"unknown task(s) {unknown}; the lab has {sorted(long_range.TASKS)}")
    try:
        lags = [int(v) for v in _names(args.lags)]
        seeds = list(dict.fromkeys(int(v) for v in _names(args.seeds)))
    except ValueError:
        raise _input_error("--lags and --seeds take whole numbers separated by commas") from None
    if not seeds:
        raise _input_error("--seeds takes at least one seed")
    workers = args.workers or os.cpu_count() or 1
    if workers < 1:
        raise _input_error("--workers takes 1 or more")
    ray = fanout.ray_address(args.ray)
    if ray is not None:
        fanout.require_ray()  # a missing Ray is said before anything runs
    cancel = threading.Event()
    # Ctrl-C stops every running cell; the cells that finished are kept (in the cache, and printed below).
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    columns = [TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn()]
    try:
        with Progress(*columns, transient=args.json) as bar:
            task = bar.add_task("lab sweep", total=len(backends) * len(tasks) * len(lags) * len(seeds))

            def report(state):
                bar.update(task, completed=state.finished, description=sweep_line(state))

            outcome = long_range.sweep(backends, tasks, lags, seeds, cache_dir=args.cache_dir, workers=workers, ray=ray,
                                       progress=report, cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    results = outcome.results
    for failure in outcome.failed:
        print(f"failed: {failure['backend']} on {failure['task']} at lag {failure['lag']}, seed {failure['seed']}: "
              f"{failure['error']}", file=sys.stderr)
    if outcome.cancelled:
        print(f"cancelled: {len(results)} finished cells kept", file=sys.stderr)
    status = 1 if outcome.failed or outcome.cancelled else 0
    stats = long_range.over_seeds(results)
    out = {"budget": {name: {**vars(b), "steps": b.steps} for name, b in long_range.TASKS.items() if name in tasks},
           "spec": long_range.SPEC.to_dict(), "forget_bias": long_range.FORGET_BIAS, "clip_norm": long_range.CLIP_NORM,
           "seeds": seeds, "results": [{k: v for k, v in r.items() if k != "val_loss"} for r in results],
           "over_seeds": [{"task": t, "lag": lag, "backend": b, **s} for (t, lag, b), s in stats.items()],
           "failed": outcome.failed, "cancelled": outcome.cancelled}
    if args.gradients is not None and not status:
        out["gradients"] = {task_name: long_range.vanishing_gradients(backends, task_name, args.gradients, seeds[0], args.cache_dir)
                            for task_name in tasks}
    if args.json:
        print(json.dumps(out, indent=2))
        return status
    if status:
        return status
    if args.markdown:
        print(lab_markdown(results, backends, tasks, lags))
        return 0
    for task_name in tasks:
        rows = []
        for lag in lags:
            row = {"lag": lag}
            for b in backends:
                s = stats[task_name, lag, b]
                row[b] = f"{s['mean']:.3f}" + (f" ± {s['spread']:.3f}" if len(seeds) > 1 else "")
            rows.append(row)
        b = long_range.TASKS[task_name]
        _table(f"{task_name}: test {b.metric} (chance {b.chance:.3f}), {b.steps} steps each, seeds {','.join(map(str, seeds))}",
               rows, ["lag", *backends])
    if args.gradients is not None:
        rows = [{"task": t, "backend": name, "stage": stage, "first/last": f"{p[stage]['first_to_last']:.3g}"}
                for t, per in out["gradients"].items() for name, p in per.items() for stage in ("init", "trained")]
        _table(f"‖∂L/∂h_0‖ / ‖∂L/∂h_T‖ at lag {args.gradients}", rows, ["task", "backend", "stage", "first/last"])
    return 0


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def cmd_limits(args) -> int:
    from .limits import describe

    rows = describe()
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        rows = [{**row, "value": f"{row['value']:g} {row['unit']}"} for row in rows]
        _table("Limits (set each with its environment variable)", rows, ["env", "value", "what"])
    return 0


def cmd_serve(args) -> int:
    try:
        from zoo_lab.app import main as serve
    except ImportError as err:
        raise _input_error(f"the lab needs its extras ({err.name} is missing): pip install 'rnn-zoo[lab]'") from None
    serve(["--host", args.host, "--port", str(args.port), *(["--share"] if args.share else []),
           *([] if args.mcp is None else ["--mcp" if args.mcp else "--no-mcp"])])
    return 0


def _params(pairs: list[str]) -> dict:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise _input_error(f"--param takes KEY=VALUE, not {pair!r}")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def _json_arg(text: str, flag: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise _input_error(f"{flag} is not valid JSON: {err}") from None
    if not isinstance(value, dict):
        raise _input_error(f"{flag} must be a JSON object")
    return value


def _fmt(value) -> str:
    return "" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


def _input_error(message: str):
    from .errors import InputError

    return InputError(message)


def _table(title: str, rows: list[dict], columns: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    columns = [c for c in columns if any(row.get(c) not in (None, "") for row in rows)]  # no all-blank columns
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column not in ("reason", "source", "what", "context"), min_width=len(column))
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console().print(table)


if __name__ == "__main__":
    sys.exit(main())

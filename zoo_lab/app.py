"""The RNN Zoo lab: the same input through every model, side by side, down to every gate.

UI only: every number comes from zoo.workbench. Models stay in the workbench's process-wide cache
(never in gr.State, which deep-copies); frameworks load on the first compare that needs them.
"""
from __future__ import annotations

import argparse
import time

import gradio as gr
import numpy as np

from zoo import ZooError
from zoo.limits import describe as describe_limits, limit, max_bytes
from zoo.plugins import registry
from zoo.pretrained import DEFAULT_RUNS
from zoo.workbench import TrainingJob, add_checkpoint, catalog, compare_series, compare_text
from zoo.train import TrainConfig

from . import plots
from .lab_tab import build_lab_tab

TEXT_EXAMPLES = [
    "He likes a pretty girl",
    "He seems to like that he likes a girl but he likes a boy",
    "He likes a girl and the old house near the river with blue windows but he likes a boy",
    "A gorgeous, witty, seductive movie.",
    "The plot is a dull, tedious mess that never comes to life.",
    "Not bad at all: funny, sharp and surprisingly moving.",
    "그는 예쁜 소녀를 좋아한다",
]
SERIES_EXAMPLE = ", ".join(str(v) for v in [
    5, 11, 16, 23, 36, 58, 29, 20, 10, 8, 3, 0, 0, 2, 11, 27, 47, 63, 60, 39, 28, 26, 22, 11, 21, 40, 78, 122,
    103, 73, 47, 35, 11, 5, 16, 34, 70, 81, 111, 101, 73, 40, 20, 16, 5, 11, 22, 40, 60, 80.9, 83.4, 47.7,
])  # yearly sunspot numbers, 1700-1751
HOW_TO_READ = {
    "predictions": "Each row is one model's answer for the whole input; *warm-up* marks a model whose framework loaded for this request.",
    "readout": "How to read this: the head applied after every word — the prediction as it would be if the input ended there (the seed's `return_sequences=True`).",
    "heatmap": "How to read this: one column per model, one block per layer; each row is a hidden unit, each column a step; red is h near +1, blue near −1, white 0. Hover for token, unit and value.",
    "gates": "How to read this: for the chosen unit, the input gate i (how much is written), forget gate f (how much of c survives: 1 keeps it), output gate o and cell state c; a plain RNN has none of these.",
    "forecast": "How to read this: black is the series; each coloured line is a model's prediction of every step from the window before it (the grey band is the first window, which has no prediction).",
    "training": "How to read this: solid lines are training loss, dotted ones validation loss, per model; training stops early when validation loss stops improving.",
}


# ----- helpers shared by the tabs -----
def model_choices(kind: str) -> list[tuple[str, str]]:
    return [(card.label, card.id) for card in catalog() if card.kind == kind]


def default_models(kind: str) -> list[str]:
    return [card.id for card in catalog() if card.kind == kind and card.pretrained]


def chosen_cards(ids: list[str]):
    wanted = set(ids or [])
    if not wanted:
        raise gr.Error("Pick at least one model.")
    known = catalog()
    unknown = wanted - {card.id for card in known}
    if unknown:
        raise gr.Error(f"no model named {', '.join(sorted(unknown))}; the lab has {', '.join(card.id for card in known)}")
    return [card for card in known if card.id in wanted]


def warming_message(cards) -> str | None:
    from zoo.workbench import CACHE

    cold = [card for card in cards if not CACHE.is_loaded(card.path)]
    if not cold:
        return None
    frameworks = sorted({card.backend for card in cold})
    return f"⏳ Loading {', '.join(frameworks)} for the first time (TensorFlow takes a few seconds to start)…"


def predictions_table(answers, task_of) -> str:
    rows = ["| model | prediction | | time |", "|---|---|---|---|"]
    for answer in answers:
        name = answer.card.label
        if answer.error:
            rows.append(f"| {name} | ⚠️ {answer.error} | | |")
            continue
        note = f"<br>ℹ️ {answer.note}" if answer.note else ""
        rows.append(f"| {name} | {task_of(answer)}{note} | {'warm-up' if answer.loaded_now else ''} | {answer.seconds * 1000:.0f} ms |")
    return "\n".join(rows)


def describe_text_answer(answer) -> str:
    classes = answer.card.classes or tuple(str(k) for k in range(max(len(answer.output), 2)))
    if answer.card.task == "binary":
        p = float(answer.output[0])
        return f"**{classes[int(p >= 0.5)]}** (P({classes[1]}) = {p:.3f})"
    best = int(np.argmax(answer.output))
    return f"**{classes[best]}** (P = {float(answer.output[best]):.3f})"


def summary_json(answers) -> list[dict]:
    return [
        {"model": a.card.label, "backend": a.card.backend, "checkpoint": a.card.path.name,
         "output": None if a.output is None else np.asarray(a.output).round(6).tolist(),
         "error": a.error, "note": a.note, "milliseconds": round(a.seconds * 1000, 1)}
        for a in answers
    ]


def named_traces(answers):
    return [(a.card.backend, a.trace) for a in answers if a.trace is not None]


# ----- compare text -----
def followed(layer, unit) -> tuple[int, int]:
    """The layer and unit to plot; an API caller may send anything, the plots clamp to what exists."""
    try:
        return max(int(layer), 0), max(int(unit), 0)
    except (TypeError, ValueError):
        raise gr.Error(f"layer and unit must be whole numbers, got {layer!r} and {unit!r}") from None


def run_compare_text(text, models, layer, unit):
    layer, unit = followed(layer, unit)
    cards = chosen_cards(models)
    message = warming_message(cards)
    if message:
        yield message, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
    try:
        answers = compare_text(text, cards)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    named = named_traces(answers)
    positive = next((a.card.classes[1] for a in answers if len(a.card.classes) == 2), "class 1")
    yield ("", predictions_table(answers, describe_text_answer),
           plots.readout(named, "binary", f"P({positive}) after each word"), plots.hidden_heatmaps(named),
           plots.gates(named, layer, unit), summary_json(answers))


# ----- compare series -----
def read_series(source, pasted, upload, column, dataset):
    from zoo.datasets import load_dataset
    from zoo.userdata import series_from_csv, series_from_text

    if source == "paste":
        return series_from_text(pasted or "").values
    if source == "CSV file":
        if upload is None:
            raise gr.Error("Upload a CSV file first.")
        with open(upload, "rb") as f:
            return series_from_csv(f.read(), column=column or None).values
    data = load_dataset(dataset)
    return data.values[-200:]  # the most recent steps: the part of the series the models were tested on


def csv_columns(upload):
    from zoo.userdata import read_csv

    if upload is None:
        return gr.update(choices=[], value=None)
    try:
        with open(upload, "rb") as f:
            frame = read_csv(f.read())
    except ZooError as err:
        raise gr.Error(str(err)) from None
    numeric = [c for c in frame.columns if str(frame[c].dtype) != "object"]
    return gr.update(choices=list(frame.columns), value=numeric[0] if numeric else None)


def run_compare_series(source, pasted, upload, column, dataset, models, layer, unit):
    layer, unit = followed(layer, unit)
    cards = chosen_cards(models)
    message = warming_message(cards)
    if message:
        yield message, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
    try:
        values = read_series(source, pasted, upload, column, dataset)
        answers = compare_series(values, cards)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    good = [a for a in answers if a.error is None]
    window = max((card_window(a) for a in good), default=1)
    forecasts = [(a.card.backend, a.forecast, a.card.target) for a in good]
    named = named_traces(answers)
    table = series_metrics(values, answers)
    yield "", table, plots.forecast(values, window, forecasts), plots.hidden_heatmaps(named), plots.gates(named, layer, unit), summary_json(answers)


def card_window(answer) -> int:
    return len(answer.trace.readout) - len(answer.forecast)


def series_metrics(values, answers) -> str:
    level = np.asarray(values, dtype=np.float64).reshape(len(values), -1)[:, 0]
    rows = ["| model | task | error on this series | time |", "|---|---|---|---|"]
    for answer in answers:
        if answer.error:
            rows.append(f"| {answer.card.label} | | ⚠️ {answer.error} | |")
            continue
        start = len(level) - len(answer.forecast)
        truth = level[start:]
        if answer.card.target == "forecast":
            error = answer.forecast - truth
            persistence = level[start - 1:-1] - truth
            text = (f"RMSE **{np.sqrt(np.mean(error**2)):.3g}**, MAE {np.mean(np.abs(error)):.3g} "
                    f"(persistence: RMSE {np.sqrt(np.mean(persistence**2)):.3g})")
        else:
            up = truth > level[start - 1:-1]
            text = f"accuracy **{np.mean((answer.forecast >= 0.5) == up):.3f}** on next-step up/down"
        rows.append(f"| {answer.card.label} | {answer.card.target} | {text} | {answer.seconds * 1000:.0f} ms |")
    return "\n".join(rows)


# ----- train -----
JOBS: dict[str, list[TrainingJob]] = {}  # browser session -> its training jobs, so Cancel stops only its own


def run_training(dataset, backends, epochs, activation, lr, request: gr.Request):
    if not backends:
        raise gr.Error("Pick at least one backend to train.")
    config = TrainConfig(epochs=int(epochs), lr=float(lr))
    # The architecture the shipped defaults use for this dataset, so new models compare with them.
    shipped = next((run.spec_changes for run in DEFAULT_RUNS if run.dataset == dataset), {})
    changes = {**shipped, "activation": activation}
    jobs = [TrainingJob(backend, dataset, config, changes).start() for backend in backends]
    JOBS[request.session_hash] = jobs
    while not all(job.finished for job in jobs):
        yield training_status(jobs), training_plot(jobs), training_table(jobs), gr.skip(), gr.skip()
        time.sleep(0.5)
    yield (training_status(jobs), training_plot(jobs), training_table(jobs),
           gr.update(choices=model_choices("text")), gr.update(choices=model_choices("series")))


def cancel_training(request: gr.Request):
    for job in JOBS.get(request.session_hash, []):
        job.cancel()
    return "Cancelling: each model stops after its current batch, and nothing is saved."


def training_status(jobs) -> str:
    parts = [f"**{job.backend}**: {job.status} {job.fraction:.0%}" + (f" — {job.error or job.note}" if job.error or job.note else "") for job in jobs]
    return " · ".join(parts)


def training_plot(jobs):
    import plotly.graph_objects as go

    fig = go.Figure()
    for k, job in enumerate(jobs):
        if not job.curve:
            continue
        epochs, loss, val = zip(*job.curve)
        colour = plots.COLOURS[k % len(plots.COLOURS)]
        fig.add_trace(go.Scatter(x=epochs, y=loss, name=f"{job.backend} train", line={"color": colour}))
        fig.add_trace(go.Scatter(x=epochs, y=val, name=f"{job.backend} validation", line={"color": colour, "dash": "dot"}))
    fig.update_layout(height=320, xaxis_title="epoch", yaxis_title="loss", margin=dict(l=50, r=20, t=20, b=40))
    return fig


def training_table(jobs) -> list[list]:
    rows = []
    for job in jobs:
        metrics = ", ".join(f"{k} {v:.4f}" for k, v in (job.result or {}).get("metrics", {}).items() if v is not None)
        rows.append([job.backend, job.dataset, job.status, len(job.curve), metrics or job.error or job.note or ""])
    return rows


def run_add_checkpoint(upload):
    if upload is None:
        raise gr.Error("Choose a .safetensors checkpoint file first.")
    try:
        card = add_checkpoint(upload)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    return (f"Added **{card.label}** as `{card.id}`: pick it among the models of Compare {card.kind}.",
            gr.update(choices=model_choices("text")), gr.update(choices=model_choices("series")))


# ----- backends -----
def backends_table() -> list[list]:
    """Every backend, and every plugin that failed before it could register one."""
    reg = registry()
    rows = [[e.name, e.info.family if e.info else "", e.info.framework if e.info else "", reg.framework_version(e) or "",
             e.plugin.name, e.status, e.reason] for e in reg.backends]
    return rows + [["", "", "", "", p.name, p.status, p.reason] for p in reg.plugins
                   if p.status != "loaded" and not any(e.plugin is p for e in reg.backends)]


def limits_table() -> list[list]:
    return [[l["what"], f"{l['value']:g} {l['unit']}", l["env"]] for l in describe_limits()]


def run_parity():
    from zoo.parity import run_parity as parity

    result = parity()
    rows = [[name, result["details"][name]["family"], f"{diff:.2e}", "yes" if diff <= result["tolerance"] else "NO"]
            for name, diff in result["max_abs_diff"].items()]
    rows += [[name, "", "", f"skipped: {why}"] for name, why in result["skipped"].items()]
    return rows


def model_picker(kind: str, **layout) -> gr.Dropdown:
    # A multiselect that accepts values beyond its first list: models trained after start-up (in any
    # session) stay selectable; the workbench only ever loads ids that are in its live catalog.
    return gr.Dropdown(model_choices(kind), value=default_models(kind), multiselect=True, allow_custom_value=True,
                       label="Models", elem_id=f"{kind}-models", **layout)


def state_views(prefix: str):
    """Hidden-state heatmaps, the unit to follow, its gates and the raw numbers: the same for text and series."""
    heatmaps = gr.Plot(label="Hidden states h_t", elem_id=f"{prefix}-heatmaps")
    gr.Markdown(HOW_TO_READ["heatmap"])
    with gr.Row():
        layer = gr.Dropdown([0, 1], value=0, label="follow layer", scale=1)
        unit = gr.Slider(0, 63, value=0, step=1, label="follow unit", scale=3)
    gates = gr.Plot(label="Gates and cell state of one unit", elem_id=f"{prefix}-gates")
    gr.Markdown(HOW_TO_READ["gates"])
    with gr.Accordion("Raw numbers", open=False):
        numbers = gr.JSON()
    return heatmaps, layer, unit, gates, numbers


def build() -> gr.Blocks:
    datasets = [e.name for e in registry().datasets if e.status == "available"]
    series_sets = [e.name for e in registry().datasets if e.status == "available" and e.info.kind == "series" and e.name != "adding-problem"]
    # Uploads are only needed for the request that sent them: clear them out every hour.
    with gr.Blocks(title="RNN Zoo", delete_cache=(3600, 3600)) as app:
        gr.Markdown("# RNN Zoo\nThe same input through a Keras LSTM, a PyTorch LSTM and a plain RNN, side by side: "
                    "predictions, every hidden state and every gate, step by step.")
        with gr.Tabs():
            with gr.Tab("Compare text"):
                with gr.Row(equal_height=True):
                    text = gr.Textbox(label="Text", value="A gorgeous, witty, seductive movie.", lines=2, scale=5)
                    compare = gr.Button("Compare", variant="primary", scale=1, min_width=140, elem_id="compare-text")
                gr.Examples(TEXT_EXAMPLES, inputs=text)
                text_models = model_picker("text")
                text_status = gr.Markdown()
                text_table = gr.Markdown(elem_id="text-predictions")
                gr.Markdown(HOW_TO_READ["predictions"])
                text_readout = gr.Plot(label="Prediction after each word", elem_id="text-readout")
                gr.Markdown(HOW_TO_READ["readout"])
                text_heatmaps, text_layer, text_unit, text_gates, text_json = state_views("text")
                inputs = [text, text_models, text_layer, text_unit]
                outputs = [text_status, text_table, text_readout, text_heatmaps, text_gates, text_json]
                compare.click(run_compare_text, inputs, outputs, api_name="compare_text")
                text.submit(run_compare_text, inputs, outputs, api_name=False)
                for control in (text_layer, text_unit):
                    control.change(run_compare_text, inputs, outputs, api_name=False)

            with gr.Tab("Compare series"):
                with gr.Row():
                    source = gr.Radio(["paste", "CSV file", "bundled dataset"], value="paste", label="Series from")
                    series_dataset = gr.Dropdown(series_sets, value="sunspots", label="bundled dataset")
                series_text = gr.Textbox(label="Numbers (commas, spaces or new lines)", value=SERIES_EXAMPLE, lines=3)
                with gr.Row():
                    upload = gr.File(label="CSV file", file_types=[".csv", ".txt"], type="filepath")
                    column = gr.Dropdown([], label="column", allow_custom_value=True)
                with gr.Row(equal_height=True):
                    series_models = model_picker("series", scale=5)
                    compare_s = gr.Button("Compare", variant="primary", scale=1, min_width=140, elem_id="compare-series")
                series_status = gr.Markdown()
                series_table = gr.Markdown(elem_id="series-metrics")
                series_plot = gr.Plot(label="Forecasts over the truth", elem_id="series-forecast")
                gr.Markdown(HOW_TO_READ["forecast"])
                series_heatmaps, series_layer, series_unit, series_gates, series_json = state_views("series")
                upload.change(csv_columns, upload, column, api_name=False)
                s_inputs = [source, series_text, upload, column, series_dataset, series_models, series_layer, series_unit]
                s_outputs = [series_status, series_table, series_plot, series_heatmaps, series_gates, series_json]
                compare_s.click(run_compare_series, s_inputs, s_outputs, api_name="compare_series")
                for control in (series_layer, series_unit):
                    control.change(run_compare_series, s_inputs, s_outputs, api_name=False)

            with gr.Tab("Train"):
                with gr.Row():
                    train_dataset = gr.Dropdown(datasets, value="long-dependency", label="dataset")
                    train_backends = gr.CheckboxGroup(["keras-lstm", "torch-lstm", "numpy-rnn"], value=["torch-lstm", "numpy-rnn"], label="backends")
                with gr.Row():
                    epochs = gr.Slider(1, 30, value=5, step=1, label="epochs")
                    activation = gr.Radio(["tanh", "relu"], value="tanh", label="head activation (the seed's relu → tanh note)")
                    lr = gr.Number(value=1e-3, label="learning rate")
                with gr.Row():
                    train_button = gr.Button("Train", variant="primary")
                    cancel_button = gr.Button("Cancel", variant="stop")
                train_status = gr.Markdown()
                train_plot = gr.Plot(label="Loss per epoch", elem_id="train-curves")
                gr.Markdown(HOW_TO_READ["training"])
                train_results = gr.Dataframe(headers=["backend", "dataset", "status", "epochs", "test metrics"], label="Results")
                train_button.click(run_training, [train_dataset, train_backends, epochs, activation, lr],
                                   [train_status, train_plot, train_results, text_models, series_models], api_name="train",
                                   concurrency_limit=int(limit("training_jobs")))
                cancel_button.click(cancel_training, None, train_status, api_name="cancel_training")
                with gr.Accordion("Add a checkpoint trained elsewhere", open=False):
                    gr.Markdown("A `.safetensors` file written by `zoo train` on any machine. It is read without "
                                "pickle, checked against its backend, and copied into this lab's model cache.")
                    checkpoint_file = gr.File(label="checkpoint", file_types=[".safetensors"], type="filepath")
                    add_button = gr.Button("Add the checkpoint")
                    added = gr.Markdown(elem_id="added-checkpoint")
                add_button.click(run_add_checkpoint, checkpoint_file, [added, text_models, series_models],
                                 api_name="add_checkpoint")

            with gr.Tab("Lab"):
                build_lab_tab()

            with gr.Tab("Backends"):
                gr.Markdown("Every registered backend plugin: what it runs on, and why it cannot run here if it cannot.")
                backends = gr.Dataframe(backends_table(), headers=["backend", "family", "framework", "version", "plugin", "status", "reason"])
                gr.Button("Refresh").click(backends_table, None, backends, api_name="backends")
                parity_button = gr.Button("Check parity with the NumPy reference")
                parity = gr.Dataframe(headers=["backend", "family", "max |diff|", "within 1e-5"], label="Parity (T=50, one set of random weights)")
                parity_button.click(run_parity, None, parity, api_name="parity")
                gr.Markdown("What this lab accepts; each limit is set by its environment variable when the lab starts.")
                gr.Dataframe(limits_table(), headers=["limit on", "value", "environment variable"], label="Limits")
        # Every page load sees the models trained since start-up, whoever trained them.
        app.load(lambda: (gr.update(choices=model_choices("text")), gr.update(choices=model_choices("series"))),
                 None, [text_models, series_models], api_name=False)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the RNN Zoo lab.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="ask Gradio for a public share link")
    args = parser.parse_args(argv)
    build().queue(default_concurrency_limit=4).launch(server_name=args.host, server_port=args.port, share=args.share,
                                                      max_file_size=max_bytes("upload_mb"))

"""The RNN Zoo lab: the same input through every model, side by side, down to every gate.

UI only: every number comes from zoo.workbench. Models stay in the workbench's process-wide cache
(never in gr.State, which deep-copies); frameworks load on the first compare that needs them.
"""
from __future__ import annotations

import argparse
import html
import os
import time

import gradio as gr
import numpy as np

from zoo import ZooError
from zoo.limits import describe as describe_limits, limit, max_bytes
from zoo.plugins import registry
from zoo.pretrained import default_run
from zoo.workbench import (TrainingJob, add_checkpoint, catalog, compare_series, compare_symbols, compare_text,
                           default_ids, tasks)
from zoo.train import TrainConfig

from . import plots
from .i18n import EN, I18N as i18n, language, translate
from .lab_tab import build_lab_tab
from .learn_tab import build_learn_tab

# The notes' own sentences first, then two of the task's own (drawn from its generator, the longest
# gaps: where the plain RNN has forgotten), then the reviews' and a Korean sentence.
NOTES_SENTENCES = [
    "He likes a pretty girl",
    "He seems to like that he likes a girl but he likes a boy.",
]
REVIEW_EXAMPLES = [
    "A gorgeous, witty, seductive movie.",
    "The plot is a dull, tedious mess that never comes to life.",
    "Not bad at all: funny, sharp and surprisingly moving.",
]
KOREAN_SENTENCE = "그는 예쁜 소녀를 좋아한다"  # words no model knows: each answers with its unknown-word note


def generated_examples(dataset: str, count: int = 2) -> list[str]:
    """Sentences of a generated text task with the most words between what must be remembered and the
    question, one of each label where the task has two."""
    from zoo.datasets import load_dataset

    data = load_dataset(dataset, **{**default_run(dataset).dataset_params, "n": 200})
    longest = sorted(range(len(data.texts)), key=lambda i: -len(data.texts[i]))
    picked = [next(i for i in longest if data.labels[i] == label) for label in sorted(set(data.labels))]
    return [data.texts[i] for i in picked[:count]]


def text_examples(dataset: str) -> list[str]:
    if dataset == "rotten-tomatoes":
        return REVIEW_EXAMPLES + [KOREAN_SENTENCE] + NOTES_SENTENCES
    if dataset == "long-dependency":
        return NOTES_SENTENCES + generated_examples(dataset) + [
            "He likes a girl and the old house near the river with blue windows but he likes a boy.", KOREAN_SENTENCE]
    return NOTES_SENTENCES + REVIEW_EXAMPLES + [KOREAN_SENTENCE]


SERIES_EXAMPLE = ", ".join(str(v) for v in [
    5, 11, 16, 23, 36, 58, 29, 20, 10, 8, 3, 0, 0, 2, 11, 27, 47, 63, 60, 39, 28, 26, 22, 11, 21, 40, 78, 122,
    103, 73, 47, 35, 11, 5, 16, 34, 70, 81, 111, 101, 73, 40, 20, 16, 5, 11, 22, 40, 60, 80.9, 83.4, 47.7,
])  # yearly sunspot numbers, 1700-1751


# ----- helpers shared by the tabs -----
def model_choices(kind: str) -> list[tuple[str, str]]:
    return [(card.label, card.id) for card in catalog() if card.kind == kind]


def task_choices(kind: str) -> list[tuple[str, str]]:
    return [(i18n(f"task_{dataset}") if f"task_{dataset}" in EN else dataset, dataset) for dataset in tasks(kind)]


def memory_note(dataset: str, kind: str, lang: str) -> str:
    """The task's question and how much its shipped defaults use their memory, from their metadata
    (`zoo evaluate` recomputes it): the most active unit's memory gate, or h for a plain RNN."""
    parts = []
    for card in catalog():
        if card.kind != kind or not card.pretrained or card.dataset != dataset or not card.memory:
            continue
        layers = " / ".join(f"{layer['ranked_by']} {layer['most_active'][0][layer['ranked_by'] + '_movement']:.3f}" for layer in card.memory)
        scores = ", ".join(f"{name} {value:.3f}" for name, value in card.metrics.items() if name in ("accuracy", "rmse") and value is not None)
        parts.append(f"**{card.backend}** {scores}, {layers}")
    question = translate(f"question_{dataset}", lang) if f"question_{dataset}" in EN else ""
    return question + ("\n\n" + translate("memory_line", lang, models="; ".join(parts)) if parts else "")


def chosen_cards(ids: list[str], lang: str = "en"):
    wanted = set(ids or [])
    if not wanted:
        raise gr.Error(translate("pick_model", lang))
    known = catalog()
    unknown = wanted - {card.id for card in known}
    if unknown:
        raise gr.Error(f"no model named {', '.join(sorted(unknown))}; the lab has {', '.join(card.id for card in known)}")
    return [card for card in known if card.id in wanted]


def warming_message(cards, lang: str) -> str | None:
    from zoo.workbench import CACHE

    cold = [card for card in cards if not CACHE.is_loaded(card.path)]
    if not cold:
        return None
    frameworks = sorted({card.backend for card in cold})
    return translate("loading", lang, frameworks=", ".join(frameworks))


def predictions_table(answers, task_of, lang: str) -> str:
    words = {key: translate(key, lang) for key in ("table_model", "table_prediction", "table_time", "warm_up")}
    rows = [f"| {words['table_model']} | {words['table_prediction']} | | {words['table_time']} |", "|---|---|---|---|"]
    for answer in answers:
        name = answer.card.label
        if answer.error:
            rows.append(f"| {name} | ⚠️ {answer.error} | | |")
            continue
        note = f"<br>ℹ️ {html.escape(answer.note, quote=False)}" if answer.note else ""  # it names <unk>, which is no tag
        rows.append(f"| {name} | {task_of(answer)}{note} | {words['warm_up'] if answer.loaded_now else ''} | {answer.seconds * 1000:.0f} ms |")
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
AUTO_UNIT = -1  # the unit control's "each model's most active unit on this input" (zoo.memory)


def followed(layer, unit, lang: str) -> tuple[int, int | None]:
    """The layer and unit to plot (None: each model's most active unit); an API caller may send
    anything, the plots clamp to what exists."""
    try:
        layer, unit = max(int(layer), 0), int(unit)
    except (TypeError, ValueError):
        raise gr.Error(translate("whole_numbers", lang, layer=repr(layer), unit=repr(unit))) from None
    return layer, None if unit < 0 else unit


def start_compare(models, layer, unit, request: gr.Request):
    """What both compare tabs check first: the request's language, the layer and unit to follow, the
    chosen models, and a message to show while a framework loads (None when all are warm)."""
    lang = language(request)
    layer, unit = followed(layer, unit, lang)
    cards = chosen_cards(models, lang)
    return lang, layer, unit, cards, warming_message(cards, lang)


def gates_figure(named, layer: int, unit: int | None, view: str, lang: str):
    """One unit's gate curves per model, or with view "all" every unit's gates as heatmaps."""
    return plots.gate_heatmaps(named, layer, lang) if view == "all" else plots.gates(named, layer, unit, lang)


def layer_choices(answers, layer: int, lang: str):
    """The layer control's choices for these answers; a layer none of them has is the request's error."""
    layers = max((len(a.trace.layers) for a in answers if a.trace is not None), default=1)
    if layer >= layers:
        raise gr.Error(translate("no_such_layer", lang, layer=layer, last=layers - 1))
    return gr.update(choices=list(range(layers)))


def answers_for(last: dict):
    """The answers of the last compare again: the workbench keeps recent answers, so redrawing one
    view for another layer, unit or scale recomputes no model."""
    cards = [card for card in catalog() if card.id in set(last["models"])]
    if last["kind"] == "text":
        return compare_text(last["input"], cards)
    if last["kind"] == "symbols":
        return compare_symbols(last["input"], cards)
    return compare_series(np.asarray(last["input"]), cards)


def redraw_gates(last, layer, unit, view, request: gr.Request):
    """The gates view alone, for the last compared input and another layer, unit or view."""
    if not last:
        return gr.skip()
    lang = language(request)
    layer, unit = followed(layer, unit, lang)
    return gates_figure(named_traces(answers_for(last)), layer, unit, view, lang)


def redraw_heatmaps(last, scale, request: gr.Request):
    """The hidden-state heatmaps alone, for the last compared input on another colour scale."""
    if not last:
        return gr.skip()
    return plots.hidden_heatmaps(named_traces(answers_for(last)), language(request), scale)


def run_compare_text(text, models, layer, unit, scale="shared", view="unit", request: gr.Request = None):
    lang, layer, unit, cards, message = start_compare(models, layer, unit, request)
    if message:
        yield message, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
    try:
        answers = compare_text(text, cards)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    positive = next((a.card.classes[1] for a in answers if len(a.card.classes) == 2), "class 1")
    title = translate("readout_title", lang, positive=positive)
    yield class_views(answers, lambda named: plots.readout(named, "binary", title, lang),
                      {"kind": "text", "input": text}, layer, unit, scale, view, lang)


def class_views(answers, readout, last: dict, layer, unit, scale, view, lang: str) -> tuple:
    """What a compare of classifiers shows: the status line cleared, each model's class, the readout
    (``readout`` draws it from the named traces), the heatmaps, the gates, the numbers, the layer
    choices, and ``last`` with the models for the redraws."""
    layers = layer_choices(answers, layer, lang)
    named = named_traces(answers)
    return ("", predictions_table(answers, describe_text_answer, lang), readout(named),
            plots.hidden_heatmaps(named, lang, scale), gates_figure(named, layer, unit, view, lang), summary_json(answers),
            layers, {**last, "models": [answer.card.id for answer in answers]})


def choose_task(kind: str):
    """A task choice's handler: that task's shipped models, its examples (text) and its note."""
    def handler(dataset, request: gr.Request):
        lang = language(request)
        if kind == "text":
            examples = text_examples(dataset)
            return (gr.update(value=default_ids(kind, dataset)), memory_note(dataset, kind, lang),
                    gr.update(samples=[[e] for e in examples]), examples[0])
        return (gr.update(value=default_ids(kind, dataset)), memory_note(dataset, kind, lang),
                *series_example(dataset))
    return handler


def series_example(dataset: str, seed: int = 0) -> tuple:
    """What the series box and the source choice show for a task: a sequence drawn from a symbol
    task's generator, or the sunspot example for a forecasting task."""
    return (symbol_example(dataset, seed) if is_symbol_task(dataset) else SERIES_EXAMPLE), "paste"


def is_symbol_task(dataset: str) -> bool:
    return any(card.reads_symbols for card in catalog() if card.dataset == dataset)


def draw_series_example(dataset, request: gr.Request):
    """Another sequence of the chosen task, drawn from its generator with a fresh seed."""
    if not is_symbol_task(dataset):
        return gr.skip(), gr.skip()
    return series_example(dataset, seed=int.from_bytes(os.urandom(4), "little"))


# ----- compare series -----
def read_series(source, pasted, upload, column, dataset, lang: str):
    from zoo.datasets import load_dataset
    from zoo.userdata import series_from_csv, series_from_text

    if source == "paste":
        return series_from_text(pasted or "").values
    if source == "CSV file":
        if upload is None:
            raise gr.Error(translate("upload_first", lang))
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


def symbol_example(dataset: str, seed: int = 0) -> str:
    """One sequence of a symbol task drawn from its generator (the shipped default's length), typed out."""
    from zoo.datasets import load_dataset
    from zoo.prepare import decode_symbols

    data = load_dataset(dataset, **{**default_run(dataset).dataset_params, "n": 4, "seed": seed})
    return decode_symbols(data.x[0], data.symbols)


def run_compare_symbols(pasted, cards, layer, unit, scale, view, lang):
    """A symbol task's models on one typed sequence: the class each gives the whole sequence, and the
    probability of that answer after every step."""
    try:
        answers = compare_symbols(pasted, cards)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    columns = [int(np.argmax(a.output)) for a in answers if a.trace is not None]
    title = translate("readout_answer_title", lang)
    return class_views(answers, lambda named: plots.readout(named, "multiclass", title, lang, columns),
                       {"kind": "symbols", "input": pasted}, layer, unit, scale, view, lang)


def run_compare_series(source, pasted, upload, column, dataset, models, layer, unit, scale="shared", view="unit",
                       request: gr.Request = None):
    lang, layer, unit, cards, message = start_compare(models, layer, unit, request)
    if message:
        yield message, gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
    if any(card.reads_symbols for card in cards):
        yield run_compare_symbols(pasted, cards, layer, unit, scale, view, lang)
        return
    try:
        values = read_series(source, pasted, upload, column, dataset, lang)
        answers = compare_series(values, cards)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    layers = layer_choices(answers, layer, lang)
    good = [a for a in answers if a.error is None]
    window = max((card_window(a) for a in good), default=1)
    forecasts = [(a.card.backend, a.forecast, a.card.target) for a in good]
    named = named_traces(answers)
    table = series_metrics(values, answers, lang)
    yield ("", table, plots.forecast(values, window, forecasts, lang), plots.hidden_heatmaps(named, lang, scale),
           gates_figure(named, layer, unit, view, lang), summary_json(answers), layers,
           {"kind": "series", "input": np.asarray(values).tolist(), "models": [card.id for card in cards]})


def card_window(answer) -> int:
    return len(answer.trace.readout) - len(answer.forecast)


def series_metrics(values, answers, lang: str) -> str:
    level = np.asarray(values, dtype=np.float64).reshape(len(values), -1)[:, 0]
    header = " | ".join(translate(key, lang) for key in ("table_model", "table_task", "table_error", "table_time"))
    rows = [f"| {header} |", "|---|---|---|---|"]
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
            text = translate("accuracy_updown", lang, accuracy=np.mean((answer.forecast >= 0.5) == up))
        rows.append(f"| {answer.card.label} | {answer.card.target} | {text} | {answer.seconds * 1000:.0f} ms |")
    return "\n".join(rows)


# ----- train -----
JOBS: dict[str, list[TrainingJob]] = {}  # browser session -> its training jobs, so Cancel stops only its own


def run_training(dataset, backends, epochs, activation, lr, request: gr.Request):
    if not backends:
        raise gr.Error(translate("pick_backend", language(request)))
    # The shipped defaults' architecture, data and initial forget bias for this dataset, so new models
    # compare with them; epochs, learning rate and head activation are the person's.
    run = default_run(dataset)
    config = TrainConfig(epochs=int(epochs), lr=float(lr), forget_bias=run.config.forget_bias if run else TrainConfig.forget_bias)
    changes = {**(run.spec_changes if run else {}), "activation": activation}
    params = run.dataset_params if run else {}
    jobs = [TrainingJob(backend, dataset, config, changes, params).start() for backend in backends]
    lang = language(request)
    JOBS[request.session_hash] = jobs
    while not all(job.finished for job in jobs):
        yield training_status(jobs), training_plot(jobs, lang), training_table(jobs), gr.skip(), gr.skip()
        time.sleep(0.5)
    yield (training_status(jobs), training_plot(jobs, lang), training_table(jobs),
           gr.update(choices=model_choices("text")), gr.update(choices=model_choices("series")))


def cancel_training(request: gr.Request):
    for job in JOBS.get(request.session_hash, []):
        job.cancel()
    return translate("cancelling", language(request))


def training_status(jobs) -> str:
    parts = [f"**{job.backend}**: {job.status} {job.fraction:.0%}" + (f" — {job.error or job.note}" if job.error or job.note else "") for job in jobs]
    return " · ".join(parts)


def training_plot(jobs, lang: str):
    import plotly.graph_objects as go

    fig = go.Figure()
    for k, job in enumerate(jobs):
        if not job.curve:
            continue
        epochs, loss, val = zip(*job.curve)
        colour = plots.COLOURS[k % len(plots.COLOURS)]
        fig.add_trace(go.Scatter(x=epochs, y=loss, name=translate("train_curve", lang, backend=job.backend), line={"color": colour}))
        fig.add_trace(go.Scatter(x=epochs, y=val, name=translate("validation_curve", lang, backend=job.backend), line={"color": colour, "dash": "dot"}))
    fig.update_layout(height=320, xaxis_title=translate("epoch_axis", lang), yaxis_title=translate("loss_axis", lang), margin=dict(l=50, r=20, t=20, b=40))
    return fig


def training_table(jobs) -> list[list]:
    rows = []
    for job in jobs:
        metrics = ", ".join(f"{k} {v:.4f}" for k, v in (job.result or {}).get("metrics", {}).items() if v is not None)
        rows.append([job.backend, job.dataset, job.status, len(job.curve), metrics or job.error or job.note or ""])
    return rows


def run_add_checkpoint(upload, request: gr.Request):
    lang = language(request)
    if upload is None:
        raise gr.Error(translate("choose_checkpoint", lang))
    try:
        card = add_checkpoint(upload)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    return (translate("checkpoint_added", lang, label=card.label, id=card.id, tab=translate(f"tab_compare_{card.kind}", lang)),
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
    rows += [[name, result["details"][name]["family"], "", f"FAILED ({kind}): {why}"]
             for name, kinds in result["failed"].items() for kind, why in kinds.items()]
    rows += [[f"plugin {name}", "", "", f"FAILED: {why}"] for name, why in result["plugin_errors"].items()]
    rows += [[name, "", "", f"skipped: {why}"] for name, why in result["skipped"].items()]
    return rows


def model_picker(kind: str, **layout) -> gr.Dropdown:
    # A multiselect that accepts values beyond its first list: models trained after start-up (in any
    # session) stay selectable; the workbench only ever loads ids that are in its live catalog.
    return gr.Dropdown(model_choices(kind), value=default_ids(kind), multiselect=True, allow_custom_value=True,
                       label=i18n("models"), elem_id=f"{kind}-models", **layout)


def task_picker(kind: str):
    """The task a Compare tab shows: it picks that task's shipped models (and examples) together."""
    choices = task_choices(kind)
    picker = gr.Radio(choices, value=choices[0][1] if choices else None, label=i18n("task"), elem_id=f"{kind}-task")
    note = gr.Markdown(memory_note(choices[0][1], kind, "en") if choices else "", elem_id=f"{kind}-task-note")
    return picker, note


def state_views(prefix: str):
    """Hidden-state heatmaps, the unit to follow, its gates and the raw numbers: the same for text and series."""
    scale = gr.Radio([(i18n("scale_shared"), "shared"), (i18n("scale_layer"), "layer")], value="shared",
                     label=i18n("heatmap_scale"), elem_id=f"{prefix}-scale")
    heatmaps = gr.Plot(label=i18n("hidden_states"), elem_id=f"{prefix}-heatmaps")
    gr.Markdown(i18n("read_heatmap"))
    with gr.Row():
        # Each compare sets the choices to its models' layers; the API may send any number (a layer none
        # of the chosen models has is the request's error, in layer_choices).
        layer = gr.Dropdown([0], value=0, label=i18n("follow_layer"), scale=1, allow_custom_value=True, elem_id=f"{prefix}-layer")
        unit = gr.Dropdown([(i18n("unit_auto"), AUTO_UNIT)] + [(str(u), u) for u in range(64)], value=AUTO_UNIT,
                           label=i18n("follow_unit"), scale=2, elem_id=f"{prefix}-unit")
        view = gr.Radio([(i18n("view_unit"), "unit"), (i18n("view_all"), "all")], value="unit",
                        label=i18n("gates_view"), scale=3, elem_id=f"{prefix}-view")
    gates = gr.Plot(label=i18n("gates_plot"), elem_id=f"{prefix}-gates")
    gr.Markdown(i18n("read_gates"))
    with gr.Accordion(i18n("raw_numbers"), open=False):
        numbers = gr.JSON()
    last = gr.State(None)  # what the shown views were computed from: redraws reuse it
    return scale, heatmaps, layer, unit, view, gates, numbers, last


def wire_views(api: str, scale, heatmaps, layer, unit, view, gates, last) -> None:
    """Changing a view's control redraws that view only (the models' answers are reused)."""
    for control in (layer, unit, view):
        control.input(redraw_gates, [last, layer, unit, view], gates, api_name=f"{api}_gates" if control is view else False)
    scale.input(redraw_heatmaps, [last, scale], heatmaps, api_name=f"{api}_heatmaps")


def on_page_load(text_task, series_task, request: gr.Request):
    """Every page load sees the models trained since start-up, whoever trained them, and the tasks'
    notes in the browser's language."""
    lang = language(request)
    return (gr.update(choices=model_choices("text")), gr.update(choices=model_choices("series")),
            memory_note(text_task, "text", lang) if text_task else "", memory_note(series_task, "series", lang) if series_task else "")


def build() -> gr.Blocks:
    datasets = [e.name for e in registry().datasets if e.status == "available"]
    series_sets = [e.name for e in registry().datasets if e.status == "available" and e.info.kind == "series" and e.name not in ("adding-problem", "temporal-order")]
    # Uploads are only needed for the request that sent them: clear them out every hour.
    with gr.Blocks(title="RNN Zoo", delete_cache=(3600, 3600)) as app:
        gr.Markdown(i18n("app_intro"))
        with gr.Tabs():
            with gr.Tab(i18n("tab_learn"), elem_id="tab-learn"):
                build_learn_tab(app)

            with gr.Tab(i18n("tab_compare_text")):
                text_task, text_task_note = task_picker("text")
                first_examples = text_examples(text_task.value or "long-dependency")
                with gr.Row(equal_height=True):
                    text = gr.Textbox(label=i18n("text"), value=first_examples[2], lines=2, scale=5)  # the task's own long one
                    compare = gr.Button(i18n("compare"), variant="primary", scale=1, min_width=140, elem_id="compare-text")
                text_examples_box = gr.Examples(first_examples, inputs=text)
                text_models = model_picker("text")
                text_status = gr.Markdown()
                text_table = gr.Markdown(elem_id="text-predictions")
                gr.Markdown(i18n("read_predictions"))
                text_readout = gr.Plot(label=i18n("readout_plot"), elem_id="text-readout")
                gr.Markdown(i18n("read_readout"))
                text_scale, text_heatmaps, text_layer, text_unit, text_view, text_gates, text_json, text_last = state_views("text")
                inputs = [text, text_models, text_layer, text_unit, text_scale, text_view]
                outputs = [text_status, text_table, text_readout, text_heatmaps, text_gates, text_json, text_layer, text_last]
                compare.click(run_compare_text, inputs, outputs, api_name="compare_text")
                text.submit(run_compare_text, inputs, outputs, api_name=False)
                wire_views("text", text_scale, text_heatmaps, text_layer, text_unit, text_view, text_gates, text_last)
                text_task.input(choose_task("text"), text_task, [text_models, text_task_note, text_examples_box.dataset, text],
                                api_name="choose_text_task")

            with gr.Tab(i18n("tab_compare_series")):
                series_task, series_task_note = task_picker("series")
                with gr.Row():
                    source = gr.Radio([(i18n("source_paste"), "paste"), (i18n("source_csv"), "CSV file"), (i18n("source_dataset"), "bundled dataset")],
                                      value="paste", label=i18n("series_from"))
                    series_dataset = gr.Dropdown(series_sets, value="sunspots", label=i18n("bundled_dataset"))
                with gr.Row(equal_height=True):
                    series_text = gr.Textbox(label=i18n("numbers_box"), value=series_example(series_task.value)[0] if series_task.value else SERIES_EXAMPLE,
                                             lines=3, scale=5, elem_id="series-text")
                    draw = gr.Button(i18n("draw_example"), scale=1, min_width=140, elem_id="draw-series-example")
                with gr.Row():
                    upload = gr.File(label=i18n("csv_file"), file_types=[".csv", ".txt"], type="filepath")
                    column = gr.Dropdown([], label=i18n("column"), allow_custom_value=True)
                with gr.Row(equal_height=True):
                    series_models = model_picker("series", scale=5)
                    compare_s = gr.Button(i18n("compare"), variant="primary", scale=1, min_width=140, elem_id="compare-series")
                series_status = gr.Markdown()
                series_table = gr.Markdown(elem_id="series-metrics")
                series_plot = gr.Plot(label=i18n("forecast_plot"), elem_id="series-forecast")
                gr.Markdown(i18n("read_forecast"))
                series_scale, series_heatmaps, series_layer, series_unit, series_view, series_gates, series_json, series_last = state_views("series")
                upload.change(csv_columns, upload, column, api_name=False)
                s_inputs = [source, series_text, upload, column, series_dataset, series_models, series_layer, series_unit,
                            series_scale, series_view]
                s_outputs = [series_status, series_table, series_plot, series_heatmaps, series_gates, series_json,
                             series_layer, series_last]
                compare_s.click(run_compare_series, s_inputs, s_outputs, api_name="compare_series")
                wire_views("series", series_scale, series_heatmaps, series_layer, series_unit, series_view, series_gates, series_last)
                series_task.input(choose_task("series"), series_task, [series_models, series_task_note, series_text, source],
                                  api_name="choose_series_task")
                draw.click(draw_series_example, series_task, [series_text, source], api_name="draw_series_example")

            with gr.Tab(i18n("tab_train")):
                with gr.Row():
                    train_dataset = gr.Dropdown(datasets, value="long-dependency", label=i18n("dataset"))
                    # Every backend that can run here, a plugin's as much as a bundled one.
                    train_backends = gr.CheckboxGroup([e.name for e in registry().available_backends()],
                                                      value=["torch-lstm", "numpy-rnn"], label=i18n("backends"))
                with gr.Row():
                    epochs = gr.Slider(1, 30, value=5, step=1, label=i18n("epochs"))
                    activation = gr.Radio(["tanh", "relu"], value="tanh", label=i18n("head_activation"))
                    lr = gr.Number(value=1e-3, label=i18n("learning_rate"))
                with gr.Row():
                    train_button = gr.Button(i18n("train"), variant="primary")
                    cancel_button = gr.Button(i18n("cancel"), variant="stop")
                train_status = gr.Markdown()
                train_plot = gr.Plot(label=i18n("loss_plot"), elem_id="train-curves")
                gr.Markdown(i18n("read_training"))
                train_results = gr.Dataframe(headers=["backend", "dataset", "status", "epochs", "test metrics"], label=i18n("results"))
                train_button.click(run_training, [train_dataset, train_backends, epochs, activation, lr],
                                   [train_status, train_plot, train_results, text_models, series_models], api_name="train",
                                   concurrency_limit=int(limit("training_jobs")))
                cancel_button.click(cancel_training, None, train_status, api_name="cancel_training")
                with gr.Accordion(i18n("add_checkpoint_title"), open=False):
                    gr.Markdown(i18n("add_checkpoint_intro"))
                    checkpoint_file = gr.File(label=i18n("checkpoint"), file_types=[".safetensors"], type="filepath",
                                              elem_id="checkpoint-upload")
                    add_button = gr.Button(i18n("add_checkpoint"))
                    added = gr.Markdown(elem_id="added-checkpoint")
                add_button.click(run_add_checkpoint, checkpoint_file, [added, text_models, series_models],
                                 api_name="add_checkpoint")

            with gr.Tab(i18n("tab_lab")):
                build_lab_tab(app)

            with gr.Tab(i18n("tab_backends")):
                gr.Markdown(i18n("backends_intro"))
                backends = gr.Dataframe(backends_table(), headers=["backend", "family", "framework", "version", "plugin", "status", "reason"])
                gr.Button(i18n("refresh")).click(backends_table, None, backends, api_name="backends")
                parity_button = gr.Button(i18n("check_parity"))
                parity = gr.Dataframe(headers=["backend", "family", "max |diff|", "within 1e-5"], label=i18n("parity_label"))
                parity_button.click(run_parity, None, parity, api_name="parity")
                gr.Markdown(i18n("limits_intro"))
                gr.Dataframe(limits_table(), headers=["limit on", "value", "environment variable"], label=i18n("limits"))
        app.load(on_page_load, [text_task, series_task], [text_models, series_models, text_task_note, series_task_note],
                 api_name=False)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the RNN Zoo lab.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="ask Gradio for a public share link")
    args = parser.parse_args(argv)
    build().queue(default_concurrency_limit=4).launch(server_name=args.host, server_port=args.port, share=args.share,
                                                      max_file_size=max_bytes("upload_mb"), i18n=i18n)

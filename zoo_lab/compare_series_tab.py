"""The Compare series tab: one sequence through every chosen series model, opening on the temporal-order
task. A symbol task's models give one class for the whole sequence; a forecasting model predicts every
next value, scored next to naive persistence. UI only: the answers and their scores come from zoo.workbench."""
from __future__ import annotations

import os

import gradio as gr
import numpy as np

from zoo import ZooError
from zoo.messages import say
from zoo.plugins import registry
from zoo.pretrained import default_run
from zoo.workbench import catalog, compare_series, compare_symbols, default_ids, series_scores

from . import plots
from .i18n import I18N as i18n, labelled, language, translate
from .views import (class_views, drawn, gates_figure, layer_choices, memory_note, model_picker, named_traces, start_compare,
                    state_views, summary_json, task_picker, trace_downloads, wire_views)

SERIES_EXAMPLE = ", ".join(str(v) for v in [
    5, 11, 16, 23, 36, 58, 29, 20, 10, 8, 3, 0, 0, 2, 11, 27, 47, 63, 60, 39, 28, 26, 22, 11, 21, 40, 78, 122,
    103, 73, 47, 35, 11, 5, 16, 34, 70, 81, 111, 101, 73, 40, 20, 16, 5, 11, 22, 40, 60, 80.9, 83.4, 47.7,
])  # yearly sunspot numbers, 1700-1751


# ----- the input -----
def is_symbol_task(dataset: str) -> bool:
    return any(card.reads_symbols for card in catalog() if card.dataset == dataset)


def symbol_example(dataset: str, seed: int = 0) -> str:
    """One sequence of a symbol task drawn from its generator (the shipped default's length), typed out."""
    from zoo.datasets import load_dataset
    from zoo.prepare import decode_symbols

    data = load_dataset(dataset, **{**default_run(dataset).dataset_params, "n": 4, "seed": seed})
    return decode_symbols(data.x[0], data.symbols)


def series_example(dataset: str, seed: int = 0) -> tuple:
    """What the series box and the source choice show for a task: a sequence drawn from a symbol
    task's generator, or the sunspot example for a forecasting task."""
    return (symbol_example(dataset, seed) if is_symbol_task(dataset) else SERIES_EXAMPLE), "paste"


def draw_series_example(dataset, request: gr.Request):
    """Another sequence of the chosen task, drawn from its generator with a fresh seed."""
    if not is_symbol_task(dataset):
        return gr.skip(), gr.skip()
    return series_example(dataset, seed=int.from_bytes(os.urandom(4), "little"))


def choose_series_task(dataset, request: gr.Request):
    """A task choice's handler: that task's shipped models, its note, and an example of its input."""
    return (gr.update(value=default_ids("series", dataset)), memory_note(dataset, "series", language(request)),
            *series_example(dataset))


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


def csv_columns(upload, request: gr.Request):
    """The uploaded CSV's columns to choose from, and "every column" for a model that reads many numbers a step."""
    from zoo.userdata import EVERY_COLUMN, read_csv

    lang = language(request)
    if upload is None:
        return gr.update(choices=[], value=None)
    try:
        with open(upload, "rb") as f:
            frame = read_csv(f.read())
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    numeric = [c for c in frame.columns if str(frame[c].dtype) != "object"]
    every = (translate("every_column", lang, count=len(frame.columns)), EVERY_COLUMN)
    return gr.update(choices=[every, *((str(c), str(c)) for c in frame.columns)], value=str(numeric[0]) if numeric else None)


# ----- the answers -----
def run_compare_symbols(pasted, cards, layer, unit, scale, view, lang):
    """A symbol task's models on one typed sequence: the class each gives the whole sequence, and the
    probability of that answer after every step."""
    try:
        answers = compare_symbols(pasted, cards)
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    columns = [int(np.argmax(a.output)) for a in answers if a.trace is not None]
    title = translate("readout_answer_title", lang)
    return class_views(answers, lambda named: plots.readout.json(named, "multiclass", title, lang, columns),
                       {"kind": "symbols", "input": pasted}, layer, unit, scale, view, lang)


def run_compare_series(source, pasted, upload, column, dataset, models, layer, unit, scale="shared", view="unit",
                       request: gr.Request = None, progress=gr.Progress()):
    lang, layer, unit, cards = start_compare(models, layer, unit, request, progress)
    if any(card.reads_symbols for card in cards):
        return run_compare_symbols(pasted, cards, layer, unit, scale, view, lang)
    try:
        values = read_series(source, pasted, upload, column, dataset, lang)
        answers = compare_series(values, cards)
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    layers = layer_choices(answers, layer, lang)
    good = [a for a in answers if a.error is None and a.forecast is not None]  # the forecasting models
    window = max((len(a.trace.readout) - len(a.forecast) for a in good), default=1)
    forecasts = [(a.card.backend, a.forecast, a.card.target) for a in good]
    named = named_traces(answers)
    return ("", series_table(values, answers, lang), plots.forecast(values, window, forecasts, lang),
           plots.hidden_heatmaps(named, lang, scale), drawn(None, lambda: gates_figure(named, layer, unit, view, lang)), summary_json(answers, lang),
           layers, {"kind": "series", "input": np.asarray(values).tolist(), "models": [card.id for card in cards]})


def series_table(values, answers, lang: str) -> str:
    """Each model's error next to naive persistence (forecasts) or its accuracy on up or down, as
    zoo.workbench.series_scores measures them."""
    header = " | ".join(translate(key, lang) for key in ("table_model", "table_task", "table_error", "table_time"))
    rows = [f"| {header} |", "|---|---|---|---|"]
    for answer, scores in zip(answers, series_scores(values, answers)):
        if answer.error:
            rows.append(f"| {answer.card.label} | | ⚠️ {say(answer.error, lang)} | |")
            continue
        if scores is None:  # a model that reads the whole series as one sequence: its one answer
            shown = translate("whole_series_output", lang, output=", ".join(f"{v:.4g}" for v in answer.output))
        else:
            shown = translate("series_errors" if answer.card.target == "forecast" else "accuracy_updown", lang, **scores)
        rows.append(f"| {answer.card.label} | {answer.card.target} | {shown} | {answer.seconds * 1000:.0f} ms |")
    return "\n".join(rows)


def build_compare_series_tab():
    """The tab's components; returns the model picker and the task with its note, which the app
    refreshes on page load and after training, and the followed unit with its button for the Units tab."""
    series_sets = [e.name for e in registry().datasets if e.status == "available" and e.info.kind == "series"
                   and e.name not in ("adding-problem", "temporal-order")]
    task, task_note = task_picker("series")
    with gr.Row():
        source = gr.Radio([(i18n("source_paste"), "paste"), (i18n("source_csv"), "CSV file"), (i18n("source_dataset"), "bundled dataset")],
                          value="paste", label=i18n("series_from"))
        dataset = gr.Dropdown(labelled("dataset", series_sets), value="sunspots", label=i18n("bundled_dataset"))
    with gr.Row(equal_height=True):
        text = gr.Textbox(label=i18n("numbers_box"), value=series_example(task.value)[0] if task.value else SERIES_EXAMPLE,
                          lines=3, scale=5, elem_id="series-text")
        draw = gr.Button(i18n("draw_example"), scale=1, min_width=140, elem_id="draw-series-example")
    with gr.Row():
        upload = gr.File(label=i18n("csv_file"), file_types=[".csv", ".txt"], type="filepath")
        column = gr.Dropdown([], label=i18n("column"), allow_custom_value=True)
    with gr.Row(equal_height=True):
        models = model_picker("series", scale=5)
        compare = gr.Button(i18n("compare"), variant="primary", scale=1, min_width=140, elem_id="compare-series")
    status = gr.Markdown()
    table = gr.Markdown(elem_id="series-metrics")
    forecast = gr.Plot(label=i18n("forecast_plot"), elem_id="series-forecast")
    gr.Markdown(i18n("read_forecast"))
    scale, heatmaps, layer, unit, view, gates, numbers, last, open_units = state_views("series")
    trace_downloads("series", last)
    upload.change(csv_columns, upload, column, api_name=False)
    inputs = [source, text, upload, column, dataset, models, layer, unit, scale, view]
    outputs = [status, table, forecast, heatmaps, gates, numbers, layer, last]
    compare.click(run_compare_series, inputs, outputs, api_name="compare_series")
    wire_views("series", scale, heatmaps, layer, unit, view, gates, last)
    task.input(choose_series_task, task, [models, task_note, text, source], api_name="choose_series_task")
    draw.click(draw_series_example, task, [text, source], api_name="draw_series_example")
    return models, task, task_note, (open_units, models, layer, unit)

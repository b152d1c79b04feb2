"""What both Compare tabs show and how they redraw it: the model and task pickers, the predictions table,
the hidden-state heatmaps, the followed unit's gates and the raw numbers. UI only: the answers come
from zoo.workbench, the figures from zoo_lab.plots."""
from __future__ import annotations

import html
import json
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

import gradio as gr
import numpy as np
from gradio.components.plot import PlotData

from zoo.learn import learn_cards
from zoo.workbench import catalog, compare_series, compare_symbols, compare_text, default_ids, tasks
from zoo.messages import say

from . import plots
from .i18n import EN, I18N as i18n, labelled, language, translate, word

AUTO_UNIT = -1  # the unit control's "each model's most active unit on this input" (zoo.memory)


# ----- the models and tasks to choose from -----
def model_choices(kind: str | None) -> list[tuple[str, str]]:
    """The models a picker offers: a Compare tab's of ``kind`` ("text", "series"), the Units tab's ("units":
    every text model, then every series model), or with None every model the Learn tab opens
    (zoo.learn.learn_cards: the catalog's, then the Lab's long-dependency models)."""
    if kind == "units":
        return model_choices("text") + model_choices("series")
    cards = learn_cards() if kind is None else [card for card in catalog() if card.kind == kind]
    return [(card.label, card.id) for card in cards]


# The kinds of the model pickers app passes around, in this order: Compare text, Compare series, Learn, and the
# Units tab's model and its "against" model. A training, an added or imported model and a page load update them all.
PICKERS = ("text", "series", None, "units", "units")


def picker_updates() -> tuple:
    """Every model picker listing every model, the ones trained, added or imported since start-up included."""
    return tuple(gr.update(choices=model_choices(kind)) for kind in PICKERS)


def memory_note(dataset: str, kind: str, lang: str) -> str:
    """The task's question and how much its shipped defaults use their memory, from their metadata
    (`zoo evaluate` recomputes it): the most active unit's memory gate, or h for a plain RNN."""
    parts = []
    for card in catalog():
        if card.kind != kind or not card.pretrained or card.dataset != dataset or not card.memory:
            continue
        layers = " / ".join(f"{layer['ranked_by']} {layer['most_active'][0][layer['ranked_by'] + '_movement']:.3f}" for layer in card.memory)
        scores = ", ".join(f"{word('metric', name, lang)} {value:.3f}" for name, value in card.metrics.items()
                           if name in ("accuracy", "rmse") and value is not None)
        parts.append(f"**{card.backend}** {scores}, {layers}")
    question = translate(f"question_{dataset}", lang) if f"question_{dataset}" in EN else ""
    return question + ("\n\n" + translate("memory_line", lang, models="; ".join(parts)) if parts else "")


def chosen_cards(ids: list[str], lang: str = "en", known=None) -> list:
    """The cards of the chosen model ids, in ``known``'s order (the catalog's by default; the tools pass the
    Learn tab's, which has the Lab's models too); no id, or an id that names no model, is the request's error."""
    wanted = set(ids or [])
    if not wanted:
        raise gr.Error(translate("pick_model", lang))
    known = catalog() if known is None else known
    unknown = wanted - {card.id for card in known}
    if unknown:
        raise gr.Error(translate("no_such_model", lang, unknown=", ".join(sorted(unknown)),
                                 known=", ".join(card.id for card in known)))
    return [card for card in known if card.id in wanted]


def warming_message(cards, lang: str) -> str | None:
    from zoo import workers

    cold = [card for card in cards if not workers.is_loaded(card.backend, card.path)]
    if not cold:
        return None
    frameworks = sorted({card.backend for card in cold})
    return translate("loading", lang, frameworks=", ".join(frameworks))


# ----- the answers -----
def predictions_table(answers, lang: str) -> str:
    words = {key: translate(key, lang) for key in ("table_model", "table_prediction", "table_time", "warm_up")}
    rows = [f"| {words['table_model']} | {words['table_prediction']} | | {words['table_time']} |", "|---|---|---|---|"]
    for answer in answers:
        name = answer.card.label
        if answer.error:
            rows.append(f"| {name} | ⚠️ {say(answer.error, lang)} | | |")
            continue
        note = f"<br>ℹ️ {html.escape(say(answer.note, lang), quote=False)}" if answer.note else ""  # it names <unk>, which is no tag
        rows.append(f"| {name} | {describe_class_answer(answer, lang)}{note} | {words['warm_up'] if answer.loaded_now else ''} | {answer.seconds * 1000:.0f} ms |")
    return "\n".join(rows)


def describe_class_answer(answer, lang: str) -> str:
    classes = [word("class", name, lang) for name in answer.card.classes] or [str(k) for k in range(max(len(answer.output), 2))]
    if answer.card.task == "binary":
        p = float(answer.output[0])
        return f"**{classes[int(p >= 0.5)]}** (P({classes[1]}) = {p:.3f})"
    best = int(np.argmax(answer.output))
    return f"**{classes[best]}** (P = {float(answer.output[best]):.3f})"


def summary_json(answers, lang: str) -> list[dict]:
    """The raw numbers: each model's output, and its error or note in the page's language."""
    return [
        {"model": a.card.label, "backend": a.card.backend, "checkpoint": a.card.path.name,
         "output": None if a.output is None else np.asarray(a.output).round(6).tolist(),
         "error": a.error and say(a.error, lang), "note": a.note and say(a.note, lang), "milliseconds": round(a.seconds * 1000, 1)}
        for a in answers
    ]


def named_traces(answers):
    return [(a.card.backend, a.trace) for a in answers if a.trace is not None]


# ----- what to follow, and the views -----
def followed(layer, unit, lang: str) -> tuple[int, int | None]:
    """The layer and unit to plot (None: each model's most active unit); an API caller may send
    anything, the plots clamp to what exists."""
    try:
        layer, unit = max(int(layer), 0), int(unit)
    except (TypeError, ValueError):
        raise gr.Error(translate("whole_numbers", lang, layer=repr(layer), unit=repr(unit))) from None
    return layer, None if unit < 0 else unit


def start_compare(models, layer, unit, request: gr.Request, progress: gr.Progress):
    """What both compare tabs check first: the request's language, the layer and unit to follow, and the
    chosen models; while a framework loads, ``progress`` says so over the outputs. (A handler that answers
    once, not a generator: Gradio sends a generator's last answer twice, the second time to close it.)"""
    lang = language(request)
    layer, unit = followed(layer, unit, lang)
    cards = chosen_cards(models, lang)
    warming = warming_message(cards, lang)
    if warming:
        progress(0, desc=warming)
    return lang, layer, unit, cards


# ----- the figures as they are sent, remembered -----
_drawn: OrderedDict = OrderedDict()  # (what, answers' key, view's settings) -> PlotData: the same request draws nothing twice
_drawn_lock = threading.Lock()
DRAWN_FIGURES = 192  # three figures for each of the workbench's 64 recent answers


def answers_key(kind: str, given, answers) -> tuple | None:
    """What identifies a compare's answers: the input and each model's checkpoint (its file's version, as
    the workbench's memo has it); None when a model gave an error (its next try may answer)."""
    if any(a.error is not None or a.trace is None for a in answers):
        return None
    return (kind, json.dumps(given), tuple((a.card.id, str(a.card.path), a.card.path.stat().st_mtime_ns) for a in answers))


def drawn(key: tuple | None, draw) -> PlotData:
    """``draw()``'s plotly figure as gr.Plot sends it (its JSON), remembered under ``key``: a class typing the
    same example gets the very figure the first request drew, without plotly building it again."""
    if key is not None:
        with _drawn_lock:
            if key in _drawn:
                _drawn.move_to_end(key)
                return _drawn[key]
    figure = draw()  # a figure, or its JSON already (plots.drafted)
    plot = PlotData(type="plotly", plot=figure if isinstance(figure, str) else figure.to_json())
    if key is not None:
        with _drawn_lock:
            _drawn[key] = plot
            while len(_drawn) > DRAWN_FIGURES:
                _drawn.popitem(last=False)
    return plot


def gates_figure(named, layer: int, unit: int | None, view: str, lang: str):
    """One unit's gate curves per model, or with view "all" every unit's gates as heatmaps (their JSON)."""
    return plots.gate_heatmaps.json(named, layer, lang) if view == "all" else plots.gates.json(named, layer, unit, lang)


def layer_choices(answers, layer: int, lang: str):
    """The layer control's choices for these answers; a layer none of them has is the request's error."""
    layers = max((len(a.trace.layers) for a in answers if a.trace is not None), default=1)
    if layer >= layers:
        raise gr.Error(translate("no_such_layer", lang, layer=layer, last=layers - 1))
    return gr.update(choices=list(range(layers)))


def class_views(answers, readout, last: dict, layer, unit, scale, view, lang: str) -> tuple:
    """What a compare of classifiers shows: the status line cleared, each model's class, the readout
    (``readout`` draws it from the named traces), the heatmaps, the gates, the numbers, the layer
    choices, and ``last`` with the models for the redraws."""
    layers = layer_choices(answers, layer, lang)
    named = named_traces(answers)
    key = answers_key(last["kind"], last["input"], answers)
    return ("", predictions_table(answers, lang),
            drawn(key and ("readout", key, lang), lambda: readout(named)),
            drawn(key and ("heatmaps", key, scale, lang), lambda: plots.hidden_heatmaps.json(named, lang, scale)),
            drawn(key and ("gates", key, layer, unit, view, lang), lambda: gates_figure(named, layer, unit, view, lang)),
            summary_json(answers, lang), layers, {**last, "models": [answer.card.id for answer in answers]})


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
    answers = answers_for(last)
    key = answers_key(last["kind"], last["input"], answers)
    return drawn(key and ("gates", key, layer, unit, view, lang), lambda: gates_figure(named_traces(answers), layer, unit, view, lang))


def redraw_heatmaps(last, scale, request: gr.Request):
    """The hidden-state heatmaps alone, for the last compared input on another colour scale."""
    if not last:
        return gr.skip()
    lang, answers = language(request), answers_for(last)
    key = answers_key(last["kind"], last["input"], answers)
    return drawn(key and ("heatmaps", key, scale, lang), lambda: plots.hidden_heatmaps.json(named_traces(answers), lang, scale))


def traces_csv(last, request: gr.Request):
    """The last compare's traces as CSV files, one per model, which the core writes (Trace.save_csv); the
    workbench's recent answers are reused, so no model runs again."""
    lang = language(request)
    if not last:
        raise gr.Error(translate("compare_first", lang))
    directory = Path(tempfile.mkdtemp(prefix="traces-"))
    paths = []
    for answer in answers_for(last):
        if answer.trace is not None:
            path = directory / f"trace-{answer.card.id.replace('/', '-')}.csv"
            answer.trace.save_csv(path)
            paths.append(str(path))
    return paths


# ----- the components -----
def model_picker(kind: str, **layout) -> gr.Dropdown:
    # A multiselect that accepts values beyond its first list: models trained after start-up (in any
    # session) stay selectable; the workbench only ever loads ids that are in its live catalog.
    return gr.Dropdown(model_choices(kind), value=default_ids(kind), multiselect=True, allow_custom_value=True,
                       label=i18n("models"), elem_id=f"{kind}-models", **layout)


def task_picker(kind: str):
    """The task a Compare tab shows: it picks that task's shipped models (and examples) together."""
    choices = labelled("task", tasks(kind))
    picker = gr.Radio(choices, value=choices[0][1] if choices else None, label=i18n("task"), elem_id=f"{kind}-task")
    note = gr.Markdown(memory_note(choices[0][1], kind, "en") if choices else "", elem_id=f"{kind}-task-note")
    return picker, note


def state_views(prefix: str):
    """Hidden-state heatmaps, the unit to follow (and a button to open it in the Units tab), its gates and the
    raw numbers: the same for text and series."""
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
        # The app wires it to the Units tab: what this unit does across the whole dataset (zoo_lab.units_tab).
        open_units = gr.Button(i18n("open_in_units"), scale=1, min_width=160, elem_id=f"{prefix}-open-units")
    gates = gr.Plot(label=i18n("gates_plot"), elem_id=f"{prefix}-gates")
    gr.Markdown(i18n("read_gates"))
    with gr.Accordion(i18n("raw_numbers"), open=False):
        numbers = gr.JSON()
    last = gr.State(None)  # what the shown views were computed from: redraws reuse it
    return scale, heatmaps, layer, unit, view, gates, numbers, last, open_units


def trace_downloads(prefix: str, last) -> None:
    """A button that offers the last compare's traces as CSV files to download, one per model."""
    with gr.Row(equal_height=True):
        button = gr.Button(i18n("traces_csv"), scale=1, min_width=200, elem_id=f"{prefix}-traces-csv")
        files = gr.File(label=i18n("traces_csv_files"), file_count="multiple", interactive=False, scale=3,
                        elem_id=f"{prefix}-traces-csv-files")
    gr.Markdown(i18n("read_traces_csv"))
    button.click(traces_csv, last, files, api_name=f"{prefix}_traces_csv")


def wire_views(api: str, scale, heatmaps, layer, unit, view, gates, last) -> None:
    """Changing a view's control redraws that view only (the models' answers are reused)."""
    for control in (layer, unit, view):
        control.input(redraw_gates, [last, layer, unit, view], gates, api_name=f"{api}_gates" if control is view else False)
    scale.input(redraw_heatmaps, [last, scale], heatmaps, api_name=f"{api}_heatmaps")

"""The Units tab: what each unit of a model does across a whole dataset split (or a person's own texts or
series), and LSTMVis's select and match. UI only: every number comes from zoo.units; this module turns
them into tables and highlighted contexts. The Compare tabs open their followed unit here (open_unit)."""
from __future__ import annotations

import html

import gradio as gr

from zoo import ZooError, units, workers
from zoo.messages import say
from zoo.plugins import registry

from .i18n import I18N as i18n, labelled, language, table, translate
from .views import AUTO_UNIT, chosen_cards, model_choices

OWN_DATASET = "own"  # the dataset choice that means: the one the model was trained on
TAB_ID = "units"
RANKING_COLUMNS = ["rank", "unit (change)", "std over time", "unit (output)", "r with output"]
TOKEN_COLUMNS = ["token", "mean h", "count"]
SATURATION_COLUMNS = ["gate", "layer below 0.1", "layer above 0.9", "unit below 0.1", "unit above 0.9"]


def read_split(path, source, dataset, split, texts, upload, column, lang: str) -> units.Split:
    """What the chosen model runs over: a dataset's split, the pasted texts (one a line) or a CSV column."""
    from zoo.userdata import series_from_csv

    if source == "texts":
        return units.text_split(path, (texts or "").splitlines())
    if source == "csv":
        if upload is None:
            raise gr.Error(translate("upload_first", lang))
        with open(upload, "rb") as f:
            return units.series_split(path, series_from_csv(f.read(), column=column or None).values)
    return units.dataset_split(path, None if dataset in (None, "", OWN_DATASET) else dataset, split or "test")


def whole(value, label: str, lang: str, low: int | None = None) -> int:
    """A number control's value as an int, or the request's error naming the control by its ``label`` key."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or number != value or (low is not None and number < low):
        raise gr.Error(translate("units_whole_number", lang, name=translate(label, lang), value=repr(value)))
    return number


def model_states(model_id, source, dataset, split, texts, upload, column, lang: str) -> units.States:
    """The model's states over the chosen input: cached after the first time (zoo.units.states), traced
    in the backend's worker process (zoo.workers) so that no plugin code runs in the lab's."""
    [card] = chosen_cards([model_id] if model_id else [], lang)
    chosen = read_split(card.path, source, dataset, split, texts, upload, column, lang)
    return units.states(card.path, chosen, run=lambda path, x, lengths: workers.run(
        card.backend, path, units.worker_states, x, lengths))


# ----- what the views show -----
def context_html(context: dict, lang: str) -> str:
    """One context as text with its step (or span) marked, and where it is in the data."""
    words = lambda tokens: html.escape(" ".join(tokens))  # noqa: E731
    where = translate("units_where", lang, sequence=context["sequence"], step=context["step"],
                      stop=context["step"] + context["steps"])
    value = f"{context['value']:+.3f}" if "value" in context else f"{context['mean']:+.3f}"
    return (f"<li><code>{value}</code> {words(context['before'])} <mark>{words(context['span'])}</mark> "
            f"{words(context['after'])} <small>({where})</small></li>")


def contexts_html(found: dict, lang: str) -> str:
    headings = {"highest": translate("units_highest", lang), "lowest": translate("units_lowest", lang)}
    parts = []
    for quantity, ends in found["contexts"].items():
        parts.append(f"<h4>{html.escape(quantity)}</h4>")
        for end, heading in headings.items():
            items = "".join(context_html(c, lang) for c in ends[end])
            parts.append(f"<p>{heading}</p><ol>{items}</ol>")
    return f"<div class='units-contexts' style='column-count: 2'>{''.join(parts)}</div>"  # six quantities: two columns


def ranking_rows(found: dict) -> list[list]:
    return [[k + 1, c["unit"], round(c["change"], 4), o["unit"], round(o["output_r"], 4)]
            for k, (c, o) in enumerate(zip(found["ranking"]["change"], found["ranking"]["output"]))]


def token_rows(found: dict) -> list[list]:
    if not found["tokens"]:
        return []
    shown = found["tokens"]["highest"] + found["tokens"]["lowest"][::-1]
    return [[row["token"], round(row["mean"], 4), row["count"]] for row in shown]


def saturation_rows(found: dict) -> list[list]:
    return [[row["gate"], round(row["below"], 4), round(row["above"], 4), round(row["unit_below"], 4),
             round(row["unit_above"], 4)] for row in found["saturation"]]


def explore_units(model, against, source, dataset, split, texts, upload, column, layer, unit, top, window,
                  request: gr.Request = None):
    """One unit of one layer across the chosen input: the units ranked by change over time and by how
    strongly they go with the output, the unit's top contexts high and low for h, c and every gate, its
    mean h per token, gate saturation, and (with a second model) how closely the two track unit by unit."""
    lang = language(request)
    layer = whole(layer, "units_layer", lang, low=0)
    unit = whole(unit, "units_unit", lang, low=AUTO_UNIT)
    top = whole(top, "units_top", lang, low=1)
    window = whole(window, "units_window", lang, low=0)
    inputs = (source, dataset, split, texts, upload, column)
    try:
        states = model_states(model, *inputs, lang)
        found = units.explore(states, layer, None if unit == AUTO_UNIT else unit, top, window)
        note = ""
        if against:
            others = model_states(against, *inputs, lang)
            tracked = units.correlation(states, others, layer)
            u = found["unit"]
            note = translate("units_correlation", lang, states=others.name, mean=tracked["mean"], min=tracked["min"],
                             unit=u, r=tracked["units"][u], other=tracked["best_other"][u])
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    summary = translate("units_summary", lang, states=states.name, steps=found["steps"], sequences=found["sequences"],
                        layer=layer, unit=found["unit"])
    last = {"model": model, "inputs": [source, dataset, split, texts, upload, column], "layer": layer, "window": window,
            "top": top}
    return (summary, table(ranking_rows(found), RANKING_COLUMNS, lang), contexts_html(found, lang),
            table(token_rows(found), TOKEN_COLUMNS, lang), table(saturation_rows(found), SATURATION_COLUMNS, lang), note,
            found, last)


def select_and_match(last, sequence, start, stop, threshold, margin, request: gr.Request = None):
    """LSTMVis's select and match on the last explored states: the units on (h at or above the threshold)
    over steps start to stop − 1 of a sequence and off within ``margin`` steps around them, then the
    other spans of the data where those units are all on, as long a span first."""
    lang = language(request)
    if not last:
        raise gr.Error(translate("units_explore_first", lang))
    sequence, start, stop, margin = (whole(v, label, lang, low=0) for v, label in
                                     ((sequence, "units_sequence"), (start, "units_start"), (stop, "units_stop"),
                                      (margin, "units_margin")))
    try:
        threshold = float(threshold)
        states = model_states(last["model"], *last["inputs"], lang)
        selected = units.select(states, sequence, start, stop, threshold, last["layer"], margin=margin)
        if not selected:
            return f"<p>{translate('units_selected_none', lang)}</p>", {"units": [], "matches": []}
        first = int(states.starts[sequence])
        span = states.context(first + start, first + stop, last["window"])
        found = units.match(states, selected, threshold, last["layer"], stop - start, k=last["top"],
                            exclude=(sequence, start), window=last["window"])
    except (ZooError, TypeError, ValueError) as err:
        raise gr.Error(say(err, lang)) from None
    head = translate("units_selected", lang, units=", ".join(map(str, selected)), span=html.escape(" ".join(span["span"])))
    items = "".join(context_html(m, lang) for m in found) or f"<li>{translate('units_no_matches', lang)}</li>"
    return f"<div class='units-match'><p>{head}</p><ol>{items}</ol></div>", {"units": selected, "matches": found}


def open_unit(models, layer, unit):
    """A Compare tab's followed unit, opened in the Units tab: its first chosen model, layer and unit."""
    first = (models or [None])[0]
    return gr.Tabs(selected=TAB_ID), gr.update(value=first), layer, unit


def page_views(request: gr.Request):
    """What a page load shows: the (still empty) tables' headers in the browser's language (the models
    there are now come with every picker's, zoo_lab.app.on_page_load)."""
    lang = language(request)
    return table([], RANKING_COLUMNS, lang), table([], TOKEN_COLUMNS, lang), table([], SATURATION_COLUMNS, lang)


def build_units_tab(app, tabs, followers) -> tuple:
    """The tab's components and events; ``followers`` are the Compare tabs' (button, models, layer, unit),
    whose button opens that unit here and explores it. Returns its two model pickers (views.PICKERS)."""
    gr.Markdown(i18n("units_intro"))
    choices = model_choices("units")
    first = next((value for _, value in choices if value.startswith("default/long-dependency-torch-lstm")), None)
    with gr.Row():
        model = gr.Dropdown(choices, value=first, label=i18n("units_model"), allow_custom_value=True, scale=2,
                            elem_id="units-model")
        against = gr.Dropdown(choices, value=None, label=i18n("units_against"), allow_custom_value=True, scale=2,
                              elem_id="units-against")
    with gr.Row():
        source = gr.Radio([(i18n("units_source_dataset"), "dataset"), (i18n("units_source_texts"), "texts"),
                           (i18n("units_source_csv"), "csv")], value="dataset", label=i18n("units_source"),
                          elem_id="units-source")
        datasets = [e.name for e in registry().datasets if e.status == "available"]
        dataset = gr.Dropdown([(i18n("units_own_dataset"), OWN_DATASET)] + labelled("dataset", datasets),
                              value=OWN_DATASET, label=i18n("units_dataset"), elem_id="units-dataset")
        split = gr.Radio([(i18n("units_split_train"), "train"), (i18n("units_split_validation"), "validation"),
                          (i18n("units_split_test"), "test")], value="test", label=i18n("units_split"), elem_id="units-split")
    texts = gr.Textbox(label=i18n("units_texts"), lines=3, elem_id="units-texts")
    with gr.Row():
        upload = gr.File(label=i18n("units_csv"), file_types=[".csv", ".txt"], type="filepath", elem_id="units-csv")
        column = gr.Textbox(label=i18n("units_column"), elem_id="units-column")
    with gr.Row(equal_height=True):
        layer = gr.Number(0, precision=0, label=i18n("units_layer"), elem_id="units-layer")
        unit = gr.Number(AUTO_UNIT, precision=0, label=i18n("units_unit"), elem_id="units-unit")
        top = gr.Number(5, precision=0, label=i18n("units_top"), elem_id="units-top")
        window = gr.Number(units.CONTEXT_WINDOW, precision=0, label=i18n("units_window"), elem_id="units-window")
        explore = gr.Button(i18n("units_explore"), variant="primary", elem_id="units-explore")
    summary = gr.Markdown(elem_id="units-summary")
    ranking = gr.Dataframe(headers=RANKING_COLUMNS, label=i18n("units_ranking"), elem_id="units-ranking")
    gr.Markdown(i18n("units_read_ranking"))
    contexts = gr.HTML(elem_id="units-contexts")
    with gr.Row():
        tokens = gr.Dataframe(headers=TOKEN_COLUMNS, label=i18n("units_tokens"), elem_id="units-tokens")
        saturation = gr.Dataframe(headers=SATURATION_COLUMNS, label=i18n("units_saturation"), elem_id="units-saturation")
    correlation = gr.Markdown(elem_id="units-correlation")
    with gr.Accordion(i18n("raw_numbers"), open=False):
        numbers = gr.JSON()
    last = gr.State(None)  # what the shown views were computed from: select and match reuse its states

    gr.Markdown(i18n("units_select_intro"))
    with gr.Row(equal_height=True):
        sequence = gr.Number(0, precision=0, label=i18n("units_sequence"), elem_id="units-sequence")
        start = gr.Number(0, precision=0, label=i18n("units_start"), elem_id="units-start")
        stop = gr.Number(1, precision=0, label=i18n("units_stop"), elem_id="units-stop")
        threshold = gr.Number(0.5, label=i18n("units_threshold"), elem_id="units-threshold")
        margin = gr.Number(1, precision=0, label=i18n("units_margin"), elem_id="units-margin")
        select = gr.Button(i18n("units_select"), elem_id="units-select")
    matches = gr.HTML(elem_id="units-matches")
    matched = gr.JSON(visible=False)

    inputs = [model, against, source, dataset, split, texts, upload, column, layer, unit, top, window]
    outputs = [summary, ranking, contexts, tokens, saturation, correlation, numbers, last]
    explore.click(explore_units, inputs, outputs, api_name="units_explore")
    select.click(select_and_match, [last, sequence, start, stop, threshold, margin], [matches, matched],
                 api_name="units_select")
    for button, models, followed_layer, followed_unit in followers:
        button.click(open_unit, [models, followed_layer, followed_unit], [tabs, model, layer, unit], api_name=False).then(
            explore_units, inputs, outputs, api_name=False)
    app.load(page_views, None, [ranking, tokens, saturation], api_name=False)
    return model, against

"""The Learn tab: the seed's equations with a real model's numbers in them, step by step, and a short
guided path through the seed's own examples. UI only: every number comes from zoo.learn."""
from __future__ import annotations

import html

import gradio as gr

from zoo import ZooError, learn
from zoo.messages import say
from zoo.userdata import parse_series
from zoo.workbench import catalog

from . import plots
from .i18n import I18N as i18n, language, translate
from .views import model_choices

# The first 28 of the Compare series tab's yearly sunspot numbers: enough for a window of 24, few enough to step through.
SERIES_INPUT = "5, 11, 16, 23, 36, 58, 29, 20, 10, 8, 3, 0, 0, 2, 11, 27, 47, 63, 60, 39, 28, 26, 22, 11, 21, 40, 78, 122"
LATEX = [{"left": "$$", "right": "$$", "display": True}]
NAMES = {"f": "forget", "i": "input", "g": "candidate", "o": "output", "c": "cell", "h": "hidden", "s": "rnn_state",
         "z": "update", "r": "reset", "n": "gru_candidate"}
SYMBOL = {"sigmoid": r"\sigma", "tanh": r"\tanh"}


def number(value: float) -> str:
    return f"{value:.4f}"


def factor(value: float) -> str:
    """A number as a factor of a product: negative ones in brackets."""
    return f"({number(value)})" if value < 0 else number(value)


def under(label: str, value: float) -> str:
    return rf"\underbrace{{{label}}}_{{{number(value)}}}"


# ----- the models and the input -----
def default_card():
    """The seed's kind of model: the first shipped text LSTM (with the Dense(16) head)."""
    from zoo.checkpoint import read_metadata

    return next(card for card in catalog() if card.kind == "text" and card.family == "lstm" and card.pretrained
                and read_metadata(card.path)["spec"]["head"])


def card_of(model_id: str, lang: str = "en"):
    try:
        return learn.find_card(model_id)
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None


def fitting_input(card, text: str) -> str:
    """The text box's content if it suits the model, else the example of the model's kind: a series
    model reads numbers, and numbers are no sentence for a text model. Mistyped numbers stay, so that
    the parser can say what is wrong with them."""
    try:
        is_series = len(parse_series(text or "")) >= 3
    except ZooError:
        is_series = False
    if card.kind == "series" and not is_series and not any(ch.isdigit() for ch in text or ""):
        return SERIES_INPUT
    if card.kind == "text" and (is_series or not (text or "").strip()):
        return learn.SHORT_SENTENCE
    return text


def open_lesson(card, text: str, lang: str = "en"):
    try:
        return learn.lesson(card, text if card.kind == "text" or card.reads_symbols else parse_series(text))
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None


# ----- the equations -----
def gate_equation(equation, symbol: str) -> str:
    """f_t = σ(W_f x_t + U_f h_{t-1} + b_f) with each term's number under it."""
    name, t = equation.name, equation.terms
    if symbol == "s":
        inside = [under("W x_t", t["Wx"]), under("U s_{t-1}", t["Uh"]), under("b", t["b"])]
    elif "b_U" not in t:
        inside = [under(f"W_{name} x_t", t["Wx"]), under(f"U_{name} h_{{t-1}}", t["Uh"]), under(f"b_{name}", t["b"])]
    elif name == "n":
        inside = [under("W_n x_t", t["Wx"]), under("b_n", t["b"]),
                  under("r_t", t["r"]) + r" \odot (" + under(r"U_n h_{t-1}", t["Uh"]) + " + " + under(r"b_{U,n}", t["b_U"]) + ")"]
    else:
        inside = [under(f"W_{name} x_t", t["Wx"]), under(f"b_{name}", t["b"]), under(f"U_{name} h_{{t-1}}", t["Uh"]),
                  under(f"b_{{U,{name}}}", t["b_U"])]
    act = SYMBOL[equation.activation]
    return (f"$${symbol}_t = {act}\\left(" + " + ".join(inside) + f"\\right) = {act}({number(equation.pre)}) = "
            f"{number(equation.value)}$$")


def combination_equation(equation, family: str) -> str:
    t = equation.terms
    if equation.name == "c":
        return (r"$$c_t = f_t \odot c_{t-1} + i_t \odot g_t = "
                f"{factor(t['f'])} \\cdot {factor(t['c_prev'])} + {factor(t['i'])} \\cdot {factor(t['g'])} = {number(equation.value)}$$")
    if family == "lstm":
        return (r"$$h_t = o_t \odot \tanh(c_t) = "
                f"{factor(t['o'])} \\cdot \\tanh({number(t['c'])}) = {number(equation.value)}$$")
    return (r"$$h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1} = "
            f"(1 - {factor(t['z'])}) \\cdot {factor(t['n'])} + {factor(t['z'])} \\cdot {factor(t['h_prev'])} = {number(equation.value)}$$")


def equations_markdown(found, lang: str) -> str:
    parts = [translate(f"learn_where_{found.family}", lang, layer=found.layer, unit=found.unit, step=found.step)]
    for equation in found.equations:
        symbol = "s" if found.family == "rnn" else equation.name
        heading = translate(f"eq_{NAMES[equation.name]}", lang)
        maths = gate_equation(equation, symbol) if equation.activation else combination_equation(equation, found.family)
        parts.append(f"**{heading}**\n\n{maths}\n\n{translate(f'eq_{NAMES[equation.name]}_means', lang)}")
    return "\n\n".join(parts)


def sentence_markdown(tokens: list[str], step: int, note: str | None, lang: str) -> str:
    shown = [f"<mark>**{token}**</mark>" if k == step else token for k, token in enumerate(tokens)]
    lines = [translate("learn_step_of", lang, step=step, last=len(tokens) - 1, token=tokens[step]), " ".join(shown)]
    return "\n\n".join(lines + ([f"ℹ️ {html.escape(note, quote=False)}"] if note else []))  # the note names <unk>, which is no tag


def show(model_id, text, layer, unit, step, request: gr.Request):
    """Everything the tab shows for one model, input, layer, unit and step (each clamped into range)."""
    lang = language(request)
    card = card_of(model_id, lang)
    text = fitting_input(card, text)
    lesson = open_lesson(card, text, lang)
    layers = len(lesson.trace.layers)
    layer = min(max(int(layer or 0), 0), layers - 1)
    units = lesson.trace.layers[layer].units
    unit = min(max(int(unit or 0), 0), units - 1)
    step = min(max(int(step or 0), 0), lesson.trace.steps - 1)
    found = lesson.equations(layer, unit, step)
    tokens = lesson.trace.tokens or [str(k) for k in range(lesson.trace.steps)]
    return (text, sentence_markdown(tokens, step, lesson.note and say(lesson.note, lang), lang), equations_markdown(found, lang), found.to_dict(),
            layer, unit, step)


def step_back(model_id, text, layer, unit, step, request: gr.Request):
    return show(model_id, text, layer, unit, int(step or 0) - 1, request)


def step_forward(model_id, text, layer, unit, step, request: gr.Request):
    return show(model_id, text, layer, unit, int(step or 0) + 1, request)


# ----- the guided path -----
def lab_card(family: str):
    return next(card for card in learn.lab_cards() if card.family == family)


def remembered(text: str):
    rnn, lstm = lab_card("rnn"), lab_card("lstm")
    return rnn, lstm, learn.remembered_word(rnn, text, "girl", "boy"), learn.remembered_word(lstm, text, "girl", "boy")


def guide(stop: int, request: gr.Request):
    """One stop of the guided path: where the equation view goes, what it shows, and the measurement."""
    lang = language(request)
    if stop in (1, 2, 3):
        text = learn.SHORT_SENTENCE if stop == 1 else learn.LONG_SENTENCE
        rnn, lstm, by_rnn, by_lstm = remembered(text)
        shown, measured = (rnn, by_rnn) if stop == 2 else (lstm, by_lstm)
        values = {"rnn_before": by_rnn["output"], "rnn_after": by_rnn["swapped_output"],
                  "lstm_before": by_lstm["output"], "lstm_after": by_lstm["swapped_output"],
                  "rnn_diff": by_rnn["difference"][-1], "lstm_diff": by_lstm["difference"][-1],
                  "kept": by_lstm["kept"][-1], "unit": measured["unit"], "word": by_lstm["tokens"][-1]}
        figure = plots.remembered([(rnn.backend, by_rnn), (lstm.backend, by_lstm)],
                                  title=translate("plot_remembered_title", lang), kept_name=translate("plot_kept", lang),
                                  y_title=translate("plot_remembered_y", lang))
        step = len(measured["tokens"]) - 1
        return (shown.id, text, 0, measured["unit"], step, translate(f"guide_{stop}", lang, **values), figure)
    card = default_card()
    lesson = open_lesson(card, learn.SHORT_SENTENCE, lang)
    step = lesson.trace.steps - 1
    head = learn.head_activations(lesson, step)
    values = {"units": len(head["z"]), **{key: head[key] for key in ("negative", "activation", "largest")}}
    figure = plots.head_activations(head, title=translate("plot_head_title", lang), unit_title=translate("plot_unit", lang))
    return (card.id, learn.SHORT_SENTENCE, len(lesson.trace.layers) - 1, 0, step, translate("guide_4", lang, **values), figure)


def guide_stop(stop: int):
    def run(request: gr.Request):
        return guide(stop, request)
    return run


def build_learn_tab(app: gr.Blocks) -> gr.Dropdown:
    """The tab's components, wired; returns its model picker, which the app refreshes with the others."""
    gr.Markdown(i18n("learn_intro"))
    with gr.Row():
        model = gr.Dropdown(model_choices(None), value=default_card().id, label=i18n("learn_model"), elem_id="learn-model", scale=2)
        text = gr.Textbox(learn.SHORT_SENTENCE, label=i18n("learn_input"), info=i18n("learn_input_info"),
                          elem_id="learn-input", scale=3)
    with gr.Row(equal_height=True):
        layer = gr.Dropdown([0, 1], value=0, label=i18n("learn_layer"), elem_id="learn-layer", scale=1)
        # Plain numbers, clamped by show(): a range or choices sent back to the browser would also bind the
        # session's next API call (Gradio checks input against them), and the next input may be longer.
        unit = gr.Number(0, precision=0, minimum=0, label=i18n("learn_unit"), elem_id="learn-unit", scale=1)
        step = gr.Number(0, precision=0, minimum=0, label=i18n("learn_step"), elem_id="learn-step", scale=1)
        back = gr.Button("◀", elem_id="learn-back", scale=0, min_width=60)
        forward = gr.Button("▶", elem_id="learn-forward", variant="primary", scale=0, min_width=60)
    sentence = gr.Markdown(elem_id="learn-sentence")
    equations = gr.Markdown(latex_delimiters=LATEX, elem_id="learn-equations")
    with gr.Accordion(i18n("learn_numbers"), open=False):
        numbers = gr.JSON(elem_id="learn-numbers")
    with gr.Accordion(i18n("guide_title"), open=True):
        gr.Markdown(i18n("guide_intro"))
        with gr.Row():
            stops = [gr.Button(i18n(f"guide_button_{k}"), elem_id=f"guide-{k}") for k in (1, 2, 3, 4)]
        guide_text = gr.Markdown(elem_id="guide-text")
        guide_plot = gr.Plot(label=i18n("guide_plot"), elem_id="guide-plot")

    controls = [model, text, layer, unit, step]
    views = [text, sentence, equations, numbers, layer, unit, step]
    # User changes only (.input, .submit): the updates this tab makes itself trigger nothing.
    gr.on([app.load, model.input, layer.input, unit.submit, step.submit, text.submit], show, controls, views,
          api_name="learn_step", trigger_mode="always_last")
    back.click(step_back, controls, views, api_name="learn_back")
    forward.click(step_forward, controls, views, api_name="learn_forward")
    for k, button in enumerate(stops, start=1):
        button.click(guide_stop(k), None, [*controls, guide_text, guide_plot], api_name=f"learn_guide_{k}").then(
            show, controls, views, api_name=False)
    return model

"""The lab's actions as typed tools that answer in JSON: the lab's documented API, and its MCP tools.

Gradio serves each function of TOOLS as an API endpoint of the same name (``gr.api``) and, with
``mcp_server=True``, as an MCP tool at ``/gradio_api/mcp/``: the docstring is the tool's description and
the type hints its schema, so both are written for an agent. The page's own events, which answer with
plots and Markdown, stay callable by name but are kept off the API page and the tool list (app.py).

UI-free numbers only: every figure comes from the core (zoo.workbench, zoo.learn, zoo.units,
zoo.long_range, zoo.tables, zoo.parity), floats rounded to six decimals (what a float32 holds).
"""
from __future__ import annotations

import functools
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np

import gradio as gr
from gradio.data_classes import FileData

from zoo import ZooError, learn, long_range, units
from zoo.memory import memory_use
from zoo.messages import say
from zoo.plugins import registry
from zoo.tables import backend_rows, plugin_rows
from zoo.userdata import series_from_text
from zoo.workbench import Answer, ModelCard, compare_series as series_answers, compare_symbols, \
    compare_text as text_answers, default_ids, import_upload

from .backends_tab import checked_parity
from .i18n import language, translate
from .learn_tab import open_lesson
from .units_tab import OWN_DATASET, model_states
from .views import chosen_cards

DIGITS = 6


def rounded(values) -> list:
    return np.round(np.asarray(values, dtype=np.float64), DIGITS).tolist()


def card_list(models: list[str] | None, request: gr.Request | None, defaults: tuple[str, str] | None = None) -> list[ModelCard]:
    """The cards of ``models`` (ids from list_models, the Learn tab's lab models included; in the lab's order), or the
    shipped defaults of ``defaults`` (kind, dataset)."""
    return chosen_cards(models or (default_ids(*defaults) if defaults else []), language(request), learn.learn_cards())


def answers_to(raw: str, cards: list[ModelCard], lang: str) -> list[Answer]:
    """The cards' answers to one typed input, read as what they read: a sentence, symbols, or numbers."""
    try:
        if any(card.kind == "text" for card in cards):
            return text_answers(raw, cards)
        if any(card.reads_symbols for card in cards):
            return compare_symbols(raw, cards)
        return series_answers(series_from_text(raw).values, cards)
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None


def answer_json(answer: Answer, lang: str) -> dict:
    """One model's answer: its output for the whole input, the readout after every step, and per layer
    the units whose memory moved most on this input (zoo.memory)."""
    out = {"model": answer.card.id, "backend": answer.card.backend, "family": answer.card.family,
           "error": answer.error and say(answer.error, lang), "note": answer.note and say(answer.note, lang), "milliseconds": round(answer.seconds * 1000, 1)}
    if answer.trace is None:
        return out
    output = rounded(answer.output)
    out["output"] = output
    classes = answer.card.classes
    if classes:
        # A sigmoid head answers P(the second class) alone.
        probabilities = [1 - output[0], output[0]] if len(classes) == 2 and len(output) == 1 else output
        out["probabilities"] = {name: round(p, DIGITS) for name, p in zip(classes, probabilities)}
        out["predicted_class"] = classes[int(np.argmax(probabilities))]
    if answer.forecast is not None:
        out["forecast"] = rounded(answer.forecast)
    out["readout_per_step"] = rounded(answer.trace.readout)
    out["most_active_units"] = [
        {"layer": layer["layer"], "ranked_by": layer["ranked_by"],
         "units": [{"unit": u["unit"], "movement": round(u[f"{layer['ranked_by']}_movement"], DIGITS)}
                   for u in layer["most_active"]]}
        for layer in memory_use([answer.trace])]
    return out


def compare_json(answers: list[Answer], lang: str) -> dict:
    first = next((a.trace for a in answers if a.trace is not None), None)
    return {"steps": first.steps if first else 0, "tokens": first.tokens if first else None,
            "answers": [answer_json(a, lang) for a in answers]}


# ----- the tools -----
def list_models(kind: str = "") -> list[dict]:
    """List every model the lab can run: the shipped defaults, the Lab's long-dependency models, and any trained, added or imported since start-up.

    Args:
        kind: "text" (reads sentences), "series" (reads numbers, or typed symbols for a symbol task), or "" for every model.

    Returns:
        id: what the other tools take as a model
        backend: keras-lstm, torch-lstm, numpy-rnn, torch-gru …
        family: lstm, rnn or gru
        dataset and kind: what it was trained on, and whether it reads "text" or a "series"
        task: binary, multiclass or regression
        classes: the class names in output order (symbols: what a symbol-sequence model reads)
        test_metrics: its scores on its test split (accuracy 0–1 for a classifier, rmse in the data's units for a forecaster)
    """
    return [{"id": card.id, "backend": card.backend, "family": card.family, "dataset": card.dataset, "kind": card.kind,
             "task": card.task, "classes": list(card.classes), "symbols": list(card.symbols),
             "pretrained": card.pretrained, "test_metrics": card.metrics}
            for card in learn.learn_cards() if not kind or card.kind == kind]


def compare_models_on_text(text: str, models: list[str] | None = None, request: gr.Request = None) -> dict:
    """Run one sentence through several text models at once: each model's answer, and which units' memory moved.

    Use it to see which model gets a sentence right and whether it remembers: a plain RNN forgets across a long gap,
    an LSTM's forget gate can hold a word. The defaults are the long-dependency task's three shipped models (a Keras
    LSTM, a PyTorch LSTM, a plain NumPy RNN): "He likes a girl … but he likes a boy": the same one, or changed.

    Args:
        text: the sentence, in any language (at most 5,000 characters, RNN_ZOO_MAX_TEXT_CHARS); words a model never saw are read as <unk> and named in its note.
        models: model ids from list_models (kind "text"); empty for the long-dependency task's three defaults.

    Returns:
        steps and tokens: how many tokens were read, and the words as the models read them
        answers: one object per model, in the order asked
        answers[].probabilities and predicted_class: class name -> probability (0–1), and the likeliest class
        answers[].readout_per_step: steps × outputs, the output had the text ended after that token
        answers[].most_active_units: per layer, the three units whose memory moved most on this input, as a std over the steps (an LSTM's forget gate f, a GRU's update gate z, a plain RNN's h)
        answers[].note: the words the model does not know, if any
        answers[].error: why this model has no answer (such as a crashed plugin), while the others still answer
        answers[].milliseconds: how long it took
    """
    lang = language(request)
    return compare_json(answers_to(text, card_list(models, request, ("text", "long-dependency")), lang), lang)


def compare_models_on_series(series: str, models: list[str] | None = None, request: gr.Request = None) -> dict:
    """Run one series through several forecasting models at once: each one's one-step-ahead forecasts, and which units' memory moved.

    For a symbol task (temporal order), pass that task's models and the symbols typed out ("X a b c Y d") instead of numbers.

    Args:
        series: numbers separated by commas, spaces or new lines, such as yearly sunspot numbers "5, 11, 16, 23, 36, …"; longer than the model's window (24 steps for the shipped sunspot models), at most 100,000 steps, all finite.
        models: model ids from list_models (kind "series"); empty for the sunspots task's three defaults.

    Returns:
        steps and tokens: how many steps were read, and each step's value as text
        answers: one object per model, in the order asked
        answers[].forecast: the prediction for each step after the first window, in the series' own units
        answers[].readout_per_step: the head's output after every step, in the model's scaled units (for a symbol task: class probabilities 0–1)
        answers[].most_active_units, note, error and milliseconds: as compare_models_on_text gives them
    """
    lang = language(request)
    return compare_json(answers_to(series, card_list(models, request, ("series", "sunspots")), lang), lang)


def trace_model(model: str, text: str, layer: int = -1, request: gr.Request = None) -> dict:
    """Every per-step number of one model on one input: hidden state, cell state and every gate, unit by unit.

    Use it after compare_models_on_text or compare_models_on_series to look at one unit closely, e.g. the unit that keeps a sentence's first
    object across the fillers: its forget gate f stays near 1 and its cell state c holds its value.

    Args:
        model: a model id from list_models.
        text: the input: a sentence for a text model, numbers ("5, 11, 16, …") for a series model, typed symbols for a symbol model.
        layer: only this layer (0 is the first); -1 for every layer.

    Returns:
        steps, tokens and readout: the input step by step, and steps × outputs, the output had the input ended there
        layers: one object per layer with its index, units, and per quantity a steps × units array
        layers[].h: the hidden state, −1 to 1
        layers[].c: an LSTM's cell state
        layers[] gates: an LSTM's f (forget), i (input) and o (output) in 0–1 and g (candidate) in −1 to 1; a GRU's z (update) and r (reset) in 0–1 and n (candidate) in −1 to 1
    """
    lang = language(request)
    [answer] = answers_to(text, card_list([model], request), lang)
    if answer.error:
        raise gr.Error(say(answer.error, lang))
    layers = answer.trace.layers
    if layer >= len(layers):
        raise gr.Error(translate("no_such_layer", language(request), layer=layer, last=len(layers) - 1))
    return {"model": model, "backend": answer.trace.backend, "steps": answer.trace.steps, "tokens": answer.trace.tokens,
            "readout": rounded(answer.trace.readout), "output": rounded(answer.trace.output),
            "layers": [{"layer": k, "units": states.units, **{name: rounded(v) for name, v in states.quantities().items()}}
                       for k, states in enumerate(layers) if layer < 0 or k == layer]}


def explain_step(model: str, text: str, step: int = 0, layer: int = 0, unit: int = 0, request: gr.Request = None) -> dict:
    """The recurrent equations of one unit at one step, filled in with the model's own numbers (the Learn tab).

    LSTM: f_t = σ(W_f x_t + U_f h_{t-1} + b_f), and i, g (tanh), o alike; c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t; h_t = o_t ⊙ tanh(c_t).
    Plain RNN: s_t = tanh(W x_t + U s_{t-1} + b). GRU: z, r, n and h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}.

    Args:
        model: a model id from list_models.
        text: the input (a sentence, numbers or symbols, as the model reads).
        step: the step, 0 for the first token; at most steps − 1.
        layer: the layer, 0 for the first.
        unit: the unit of that layer, 0 to units − 1.

    Returns:
        family, layer, unit, step, steps and token: where in the model and the input, and the word read at this step
        equations: one object per line of the equations: name (f, i, g, o, c, h for an LSTM; s for a plain RNN; z, r, n, h for a GRU) and activation (sigmoid, tanh, or "" for a combination)
        equations[].terms: Wx, Uh and b, the parts of the pre-activation, or the gates and states a combination mixes
        equations[].pre and value: the pre-activation (null for a combination), and the model's own number, which the terms reproduce
        note: the words the model does not know, if any
    """
    lang = language(request)
    lesson = open_lesson(card_list([model], request)[0], text, lang)
    try:
        return {**lesson.equations(int(layer), int(unit), int(step)).to_dict(), "note": lesson.note and say(lesson.note, lang)}
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None


def list_backends() -> dict:
    """Every registered backend and plugin, with its status and, where it cannot run, the reason (`zoo backends`, `zoo plugins`).

    Returns:
        backends: one object per backend: name, family, framework, version, plugin, distribution, plugin_version, status (available, unavailable, error or blocked) and reason (null when available); a plugin that did not load has name null
        plugins: one object per plugin: name, distribution, version, status, the backends, datasets and formats it registered, and reason
    """
    reg = registry()
    return {"backends": backend_rows(reg), "plugins": plugin_rows(reg)}


def check_parity(steps: int = 50, seed: int = 0, request: gr.Request = None) -> list[dict]:
    """Check that every backend computes the same numbers: one random model's weights in every backend of each family, one input, every trace compared (`zoo parity`).

    Args:
        steps: the input's length, 1 to 1,000.
        seed: the random weights' and input's seed.

    Returns:
        backend and family: one object per backend
        max |diff|: the largest absolute difference of any h, c, gate or output from the NumPy reference, as text such as "3.58e-07"
        ok: "yes" within the tolerance, "NO" beyond it, or why it failed or was skipped
    """
    if not 1 <= int(steps) <= 1000:
        raise gr.Error(translate("tool_range", language(request), name="steps", low=1, high="1,000", value=steps))
    try:
        return checked_parity(int(steps), int(seed))
    except ZooError as err:
        raise gr.Error(say(err, language(request))) from None


def long_range_results(task: str = "long-dependency", backends: list[str] | None = None, request: gr.Request = None) -> dict:
    """The long-range lab's results: how each model scores as the gap it must remember grows (what the Lab tab plots).

    Each cell is one backend trained from scratch on one task at one lag (the gap in steps) with one seed. The shipped
    cells cover lags 5, 10, 20, 50, 100 and 200, seeds 0, 1 and 2, for keras-lstm, torch-lstm and numpy-rnn; cells
    trained since by the Lab tab or `zoo lab` count too.

    Args:
        task: "long-dependency" (accuracy; chance 0.5), "adding-problem" (test MSE; chance 1/6) or "temporal-order" (accuracy; chance 0.25).
        backends: the backends to show; empty for every one that has results.

    Returns:
        task, metric and chance: the task, how it is scored, and the score of a model that remembers nothing
        rows: sorted by lag then backend: lag, backend, seeds, scores (one per seed), mean, spread (the standard deviation over the seeds) and seconds (mean training time)
    """
    if task not in long_range.TASKS:
        raise gr.Error(translate("tool_no_lab_task", language(request), task=repr(task), tasks=", ".join(long_range.TASKS)))
    names = backends or [e.name for e in registry().available_backends()]
    found = [long_range.cached_result(b, task, lag, seed) for lag in long_range.DEFAULT_LAGS for b in names
             for seed in long_range.DEFAULT_SEEDS]
    budget = long_range.TASKS[task]
    rows = [{"lag": lag, "backend": backend, **{k: (rounded(v) if k == "scores" else round(v, DIGITS) if isinstance(v, float) else v)
                                                 for k, v in summary.items()}}
            for (_, lag, backend), summary in sorted(long_range.over_seeds([f[0] for f in found if f]).items())]
    return {"task": task, "metric": budget.metric, "chance": round(budget.chance, DIGITS), "rows": rows}


def explore_units(model: str, layer: int = 0, unit: int = -1, split: str = "test", top: int = 5,
                  request: gr.Request = None) -> dict:
    """What the units of one layer do across a whole dataset split (the Units tab, `zoo units`).

    Ranks the layer's units by how much their h changes within a sequence and by how strongly it goes with the output,
    then for one unit gives its top contexts (where its h, c and each gate are highest and lowest), its mean h per token,
    and how often each gate saturates. The first call per model and split traces the whole split (seconds); later ones
    read a cache.

    Args:
        model: a model id from list_models.
        layer: the layer, 0 for the first.
        unit: the unit to explain; -1 for the one whose h changes most.
        split: "train", "validation" or "test" of the model's own dataset.
        top: how many units, contexts and tokens to list, 1 to 50.

    Returns:
        states, layer, unit, steps and sequences: what was read, and the unit explained
        ranking: change (units by the std over time of h, averaged over sequences) and output (units by the |Pearson r| of h with the readout)
        contexts: per quantity, the highest and lowest steps: sequence, step, value, and the words before, at and after
        tokens: per-token mean h with counts (text models only)
        saturation: per gate, the share of steps below 0.1 and above 0.9, for the layer and for the unit
    """
    lang = language(request)
    if not 1 <= int(top) <= 50:
        raise gr.Error(translate("tool_range", lang, name="top", low=1, high=50, value=top))
    try:
        states = model_states(model, "dataset", OWN_DATASET, split, "", None, "", lang)
        return units.explore(states, int(layer), None if int(unit) < 0 else int(unit), int(top))
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None


def import_model_file(model_file: FileData, file_name: str = "", vocabulary: FileData | None = None,
                      head_activation: str = "", task: str = "", request: gr.Request = None) -> dict:
    """Import a person's own trained Keras (.keras, .h5) or PyTorch (.pt, .pth state dict, .safetensors) recurrent model, so that every tool can run it.

    The file is read without running anything from it (no pickle, no Lambda layers); the model is rebuilt in each
    installed backend of its family and checked against the file's own framework on a random input. Over MCP, pass the
    file as a data: URL (base64) or an http(s) URL, and its name, whose suffix names the format.

    Args:
        model_file: the model file, at most 20 MiB.
        file_name: the file's own name, such as "my_lstm.pt" (a data: URL has none); "" to use the uploaded file's.
        vocabulary: for a text model, its word list (.txt, one word a line in id order, or .json word -> id); none for a series model.
        head_activation: the activation between the head's hidden layer and its output layer ("tanh" or "relu") when the file does not record it, as a PyTorch state dict does not; "" to read it from the file or for a head without a hidden layer.
        task: "binary", "multiclass" or "regression" when the file does not tell; "" to infer it.

    Returns:
        model: its id, for every other tool
        checkpoint, backend, framework, family and spec: where it was written, what runs it, and its architecture
        max_abs_diff and within_tolerance: per backend, the largest difference from the file's own framework, and whether all are within the tolerance
        notes: what the import assumed or changed
    """
    upload = Path(model_file["path"] if isinstance(model_file, dict) else model_file)
    words = vocabulary["path"] if isinstance(vocabulary, dict) else vocabulary
    with tempfile.TemporaryDirectory(prefix="import-") as folder:
        if file_name:  # the suffix picks the format's reader; only the name's last part is taken
            named = Path(folder) / (Path(file_name).name or upload.name)
            shutil.copyfile(upload, named)
            upload = named
        try:
            card, result = import_upload(upload, words or None, head_activation=head_activation or None, task=task or None)
        except ZooError as err:
            raise gr.Error(say(err, language(request))) from None
    lang = language(request)
    return {"model": card.id, **result.to_dict(), "notes": [say(note, lang) for note in result.notes]}


TOOLS = (list_models, compare_models_on_text, compare_models_on_series, trace_model, explain_step, explore_units,
         long_range_results, list_backends, check_parity, import_model_file)


def as_json_text(tool):
    """``tool`` answering JSON text: an MCP client reads a tool's answer as text, and Gradio would give it
    Python's repr of a dict (None, single quotes). Name, docstring and arguments stay the tool's."""
    @functools.wraps(tool)
    def answer(*args, **kwargs) -> str:
        return json.dumps(tool(*args, **kwargs), ensure_ascii=False, allow_nan=False)

    answer.__annotations__ = {**tool.__annotations__, "return": str}
    return answer


def serve_tools() -> list:
    """Every tool as an API endpoint (and MCP tool) of its own name, inside the Blocks being built; returns
    the functions served."""
    served = [as_json_text(tool) for tool in TOOLS]
    for tool in served:
        gr.api(tool, api_name=tool.__name__)
    return served

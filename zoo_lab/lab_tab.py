"""The Lab tab: why the LSTM remembers and the plain RNN forgets — the sweep, the gradients that
vanish, the forget gates that keep c, and what happens when you clamp or silence them."""
from __future__ import annotations

import gradio as gr

from zoo import ZooError, lab
from zoo.intervention import Intervention
from zoo.plugins import registry
from zoo.prepare import encode_text

from . import plots

WHAT_IF_SENTENCE = "He likes a girl and the old house near the river with blue windows but he likes a girl"
HOW_TO_READ = {
    "sweep": "How to read this: each point is a model trained from the same weights with the same budget at one lag; "
             "a curve that falls to the dotted line has forgotten (accuracy of a coin, or the MSE of always guessing 1).",
    "gradients": "How to read this: how much of the error signal reaches each step; dashed before training, solid after. "
                 "A line that drops by orders of magnitude towards t = 0 is a vanishing gradient: early words cannot be learnt from.",
    "memory": "How to read this: the product of the forget gates from the first step on — the share of what a unit wrote at "
              "step 0 still in its cell state at step t (1 keeps everything). Shown for the five units that keep the most.",
    "what_if": "How to read this: the same model on the same sentence, once as trained and once with the change; the readout "
               "shows the prediction word by word, the heatmap the change in h (after minus before).",
}


def lstm_backends() -> list[str]:
    return [e.name for e in registry().available_backends("lstm")]


def all_backends() -> list[str]:
    return [e.name for e in registry().available_backends() if e.info.family in ("lstm", "rnn", "gru")]


def shown_results(backends, tasks, lags) -> list[dict]:
    found = [lab.cached_result(b, t, int(lag)) for t in tasks for lag in lags for b in backends]
    return [f[0] for f in found if f is not None]


def parse_lags(text: str) -> list[int]:
    try:
        lags = sorted({int(v) for v in text.replace(",", " ").split()})
    except ValueError:
        raise gr.Error("lags are whole numbers separated by commas, e.g. 5, 10, 20, 50") from None
    if not lags or lags[0] < 1 or lags[-1] > 1000:
        raise gr.Error("give lags from 1 to 1000")
    return lags


def results_table(results) -> list[list]:
    return [[r["task"], r["lag"], r["backend"], round(r["score"], 4), r["metric"], r["steps"], r["seconds"]] for r in results]


def show_sweep(backends, tasks, lags_text):
    results = shown_results(backends or [], tasks or [], parse_lags(lags_text))
    return plots.sweep(results), results_table(results), f"{len(results)} cached results shown."


def run_sweep(backends, tasks, lags_text, progress=gr.Progress()):
    if not backends or not tasks:
        raise gr.Error("Pick at least one backend and one task.")
    lags = parse_lags(lags_text)
    total = len(backends) * len(tasks) * len(lags)

    def report(done, _, result):
        progress(done / total, desc=f"{result['task']} lag {result['lag']}: {result['backend']} done")

    try:
        results = lab.sweep(backends, tasks, lags, progress=report)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    return plots.sweep(results), results_table(results), f"{len(results)} results (cached cells are instant)."


def run_gradients(backends, task, lag):
    if not backends:
        raise gr.Error("Pick at least one backend.")
    profiles = lab.vanishing_gradients(backends, task, int(lag))
    ratios = [[b, stage, f"{p[stage]['first_to_last']:.3g}" if p[stage]["first_to_last"] is not None else "0"]
              for b, p in profiles.items() for stage in ("init", "trained")]
    return plots.gradient_norms(profiles), ratios


def run_memory(backend, lag, sentence):
    model = lab.trained_model(backend, "long-dependency", int(lag))
    state = _text_state(backend, int(lag))
    try:
        ids, tokens = encode_text(sentence, state)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    trace = model.trace(ids, tokens=tokens)
    probes = lab.probe_sequences(lab.task_data("long-dependency", int(lag), 0))
    stats = lab.saturation([model.trace(x) for x, _ in probes])
    table = [[s["layer"], s["gate"], f"{s['below_0.1']:.1%}", f"{s['above_0.9']:.1%}"] for s in stats]
    return plots.forget_memory(lab.forget_memory(trace), trace), table


def run_what_if(backend, lag, sentence, change, unit):
    model = lab.trained_model(backend, "long-dependency", int(lag))
    if "what-if" not in model.capabilities:
        raise gr.Error(f"{backend} does not offer what-if runs")
    try:
        ids, tokens = encode_text(sentence, _text_state(backend, int(lag)))
        intervention = {
            "forget gate clamped to 0": Intervention(layer=0, forget=0.0),
            "forget gate clamped to 1": Intervention(layer=0, forget=1.0),
            "one unit silenced": Intervention(layer=0, silence=(int(unit),)),
        }[change]
        before = model.trace(ids, tokens=tokens)
        after = model.trace(ids, tokens=tokens, intervention=intervention)
    except ZooError as err:
        raise gr.Error(str(err)) from None
    classes = ("changed", "same")
    summary = (f"As trained: **{classes[int(before.output[0] >= 0.5)]}** (P(same) = {before.output[0]:.3f}) · "
               f"with the {change}: **{classes[int(after.output[0] >= 0.5)]}** (P(same) = {after.output[0]:.3f})")
    named = [("as trained", before), (change, after)]
    diff = type(before)(backend=f"{backend}: after − before", layers=[
        type(layer)(h=a.h - layer.h) for layer, a in zip(before.layers, after.layers)], readout=after.readout, tokens=tokens)
    return summary, plots.readout(named, "binary", "P(same) after each word"), plots.hidden_heatmaps([("h after − h before", diff)])


def _text_state(backend: str, lag: int) -> dict:
    from zoo import checkpoint

    result, directory = lab.cached_result(backend, "long-dependency", lag)
    return checkpoint.read_metadata(directory / f"{result['key']}.safetensors")["preprocessing"]


def build_lab_tab() -> None:
    backends, lstms = all_backends(), lstm_backends()
    # Preselect the backends whose default results ship; plugin backends are one tick away (and train on demand).
    shipped = [b for b in backends if lab.cached_result(b, "long-dependency", lab.DEFAULT_LAGS[0]) is not None] or backends
    lag_choices = list(lab.DEFAULT_LAGS)
    gr.Markdown(
        "Short dependencies are easy; long ones defeat a plain RNN because its gradients vanish, and the LSTM's gates fix "
        f"that. Every model here starts from the same weights (forget-gate bias {lab.FORGET_BIAS:g}) and trains within the "
        "same budget: " + "; ".join(f"**{name}**: {b.n:,} examples, {b.epochs} epochs of batch {b.batch_size} "
                                    f"({b.steps:,} steps), Adam lr {b.lr:g}, clipping {lab.CLIP_NORM:g}"
                                    for name, b in lab.TASKS.items()) + ".")
    with gr.Accordion("1 · Lag sweep", open=True):
        with gr.Row():
            sweep_backends = gr.CheckboxGroup(backends, value=shipped, label="backends")
            sweep_tasks = gr.CheckboxGroup(list(lab.TASKS), value=list(lab.TASKS), label="tasks")
            sweep_lags = gr.Textbox(", ".join(map(str, lab.DEFAULT_LAGS)), label="lags")
        with gr.Row():
            show = gr.Button("Show cached results")
            run = gr.Button("Run the sweep (trains what is not cached)", variant="primary")
        sweep_status = gr.Markdown()
        sweep_plot = gr.Plot(label="Score against lag", elem_id="lab-sweep")
        gr.Markdown(HOW_TO_READ["sweep"])
        sweep_table = gr.Dataframe(headers=["task", "lag", "backend", "score", "metric", "steps", "seconds"], label="Results")
        inputs = [sweep_backends, sweep_tasks, sweep_lags]
        show.click(show_sweep, inputs, [sweep_plot, sweep_table, sweep_status], api_name="lab_results")
        run.click(run_sweep, inputs, [sweep_plot, sweep_table, sweep_status], api_name="lab_sweep")
    with gr.Accordion("2 · Vanishing gradients", open=True):
        with gr.Row():
            grad_backends = gr.CheckboxGroup(backends, value=shipped, label="backends")
            grad_task = gr.Dropdown(list(lab.TASKS), value="adding-problem", label="task")
            grad_lag = gr.Dropdown(lag_choices, value=100, label="lag")
            grad_button = gr.Button("Measure ‖∂L/∂h_t‖", variant="primary")
        grad_plot = gr.Plot(label="‖∂L/∂h_t‖ against t", elem_id="lab-gradients")
        gr.Markdown(HOW_TO_READ["gradients"])
        grad_table = gr.Dataframe(headers=["backend", "weights", "‖∂L/∂h_0‖ / ‖∂L/∂h_T‖"], label="First step against last")
        grad_button.click(run_gradients, [grad_backends, grad_task, grad_lag], [grad_plot, grad_table], api_name="lab_gradients")
    with gr.Accordion("3 · Memory: forget gates and saturation", open=True):
        with gr.Row():
            memory_backend = gr.Dropdown(lstms, value=lstms[0] if lstms else None, label="LSTM")
            memory_lag = gr.Dropdown(lag_choices, value=50, label="trained at lag")
            memory_text = gr.Textbox(WHAT_IF_SENTENCE, label="sentence", scale=3)
            memory_button = gr.Button("Trace", variant="primary")
        memory_plot = gr.Plot(label="Share of c₀ kept", elem_id="lab-memory")
        gr.Markdown(HOW_TO_READ["memory"])
        memory_table = gr.Dataframe(headers=["layer", "gate", "below 0.1", "above 0.9"],
                                    label="Gate saturation over the longest sentences (Karpathy, Johnson & Fei-Fei 2015)")
        memory_button.click(run_memory, [memory_backend, memory_lag, memory_text], [memory_plot, memory_table], api_name="lab_memory")
    with gr.Accordion("4 · What if?", open=True):
        with gr.Row():
            what_backend = gr.Dropdown(lstms, value=lstms[0] if lstms else None, label="LSTM")
            what_lag = gr.Dropdown(lag_choices, value=50, label="trained at lag")
            change = gr.Radio(["forget gate clamped to 0", "forget gate clamped to 1", "one unit silenced"],
                              value="forget gate clamped to 0", label="change")
            unit = gr.Number(0, precision=0, label="unit to silence")
        what_text = gr.Textbox(WHAT_IF_SENTENCE, label="sentence")
        what_button = gr.Button("Run both", variant="primary")
        what_summary = gr.Markdown()
        what_readout = gr.Plot(label="Prediction after each word", elem_id="lab-what-if")
        what_heatmap = gr.Plot(label="Change in h")
        gr.Markdown(HOW_TO_READ["what_if"])
        what_button.click(run_what_if, [what_backend, what_lag, what_text, change, unit],
                          [what_summary, what_readout, what_heatmap], api_name="lab_what_if")

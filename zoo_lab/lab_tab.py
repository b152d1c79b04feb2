"""The Lab tab: why the LSTM remembers and the plain RNN forgets — the sweep, the gradients that
vanish, the forget gates that keep c, and what happens when you clamp or silence them."""
from __future__ import annotations

import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import gradio as gr

from zoo import ZooError, fanout, long_range, workers
from zoo.family import family
from zoo.intervention import Intervention
from zoo.messages import say
from zoo.plugins import registry

from . import plots
from .i18n import I18N as i18n, labelled, language, table, translate, word

WHAT_IF_SENTENCE = "He likes a girl and the old house near the river with blue windows but he likes a girl"
CHANGES = {"forget gate clamped to 0": "lab_clamp_0", "forget gate clamped to 1": "lab_clamp_1", "one unit silenced": "lab_silence"}
SWEEP_COLUMNS = ("task", "lag", "backend", "seed", "score", "metric", "steps", "seconds")
GRADIENT_COLUMNS = ("backend", "weights", "‖∂L/∂h_0‖ / ‖∂L/∂h_T‖")
MEMORY_COLUMNS = ("layer", "gate", "below 0.1", "above 0.9")


def forget_gate_backends() -> list[str]:
    """The backends whose family has a forget gate (zoo.family): what the memory view follows."""
    return [e.name for e in registry().available_backends() if family(e.info.family).forget_gate]


def all_backends() -> list[str]:
    return [e.name for e in registry().available_backends()]


def shown_results(backends, tasks, lags, seeds) -> list[dict]:
    found = [long_range.cached_result(b, t, int(lag), seed) for t in tasks for lag in lags for seed in seeds for b in backends]
    return [f[0] for f in found if f is not None]


def parse_numbers(text: str, error_key: str, lang: str) -> list[int]:
    try:
        return sorted({int(v) for v in text.replace(",", " ").split()})
    except ValueError:
        raise gr.Error(translate(error_key, lang)) from None


def parse_lags(text: str, lang: str) -> list[int]:
    lags = parse_numbers(text, "lab_lags_whole", lang)
    if not lags or lags[0] < 1 or lags[-1] > 1000:
        raise gr.Error(translate("lab_lags_range", lang))
    return lags


def parse_seeds(text: str, lang: str) -> list[int]:
    seeds = parse_numbers(text, "lab_seeds_whole", lang)
    if not seeds or seeds[0] < 0:
        raise gr.Error(translate("lab_seeds_whole", lang))
    return seeds


def results_table(results, lang: str) -> dict:
    rows = [[r["task"], r["lag"], r["backend"], r["seed"], round(r["score"], 4), r["metric"], r["steps"], r["seconds"]]
            for r in results]
    return table(rows, SWEEP_COLUMNS, lang)


def show_sweep(backends, tasks, lags_text, seeds_text, request: gr.Request):
    lang = language(request)
    results = shown_results(backends or [], tasks or [], parse_lags(lags_text, lang), parse_seeds(seeds_text, lang))
    return plots.sweep(results, lang), results_table(results, lang), translate("lab_cached_shown", lang, count=len(results))


# A running sweep's cancel flag, per browser session: the Cancel button sets it, the sweep stops its running cells.
CANCELS: dict[str, threading.Event] = {}


def run_sweep(backends, tasks, lags_text, seeds_text, worker_count, where, address, request: gr.Request, progress=gr.Progress()):
    lang = language(request)
    if not backends or not tasks:
        raise gr.Error(translate("lab_pick_backend_task", lang))
    lags, seeds = parse_lags(lags_text, lang), parse_seeds(seeds_text, lang)
    cancel = CANCELS[request.session_hash] = threading.Event()

    def report(state):
        progress(state.finished / state.total, desc=translate("lab_sweep_progress", lang, done=state.done, running=state.running,
                                                              cached=state.cached, failed=state.failed))

    try:
        # isolated: even one worker is a process of its own, so no cell's plugin code trains in the server
        outcome = long_range.sweep(backends, tasks, lags, seeds, workers=int(worker_count), progress=report, cancel=cancel,
                                   ray=(address or "").strip() if where == "ray" else None, isolated=True)
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    finally:
        CANCELS.pop(request.session_hash, None)
    status = [translate("lab_results_done", lang, count=len(outcome.results))]
    if outcome.cancelled:
        status.append(translate("lab_cancelled", lang, count=len(outcome.results)))
    if outcome.failed:
        cells = "; ".join(translate("lab_failed_cell", lang, **{**f, "error": say(f["error"], lang)}) for f in outcome.failed)
        status.append(translate("lab_failed", lang, count=len(outcome.failed), cells=cells))
    return plots.sweep(outcome.results, lang), results_table(outcome.results, lang), " ".join(status)


def cancel_sweep(request: gr.Request) -> None:
    if request.session_hash in CANCELS:
        CANCELS[request.session_hash].set()


@functools.lru_cache(maxsize=16)
def gradient_profiles(backends: tuple[str, ...], task: str, lag: int) -> dict:
    """Seeded and deterministic for cached cells: computed once per process for each choice."""
    def profile(backend):
        return workers.run(backend, long_range.cell_checkpoint(backend, task, lag, isolated=True), long_range.gradient_view, task, lag)

    # each backend in its own worker process, all at once: a fresh server starts their workers side by side
    with ThreadPoolExecutor(max_workers=max(1, len(backends)), thread_name_prefix="zoo gradients") as waiting:
        return dict(zip(backends, waiting.map(profile, backends)))


def run_gradients(backends, task, lag, request: gr.Request):
    lang = language(request)
    if not backends:
        raise gr.Error(translate("lab_pick_backend", lang))
    try:
        profiles = gradient_profiles(tuple(backends), task, int(lag))
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    ratios = [[b, stage, f"{p[stage]['first_to_last']:.3g}" if p[stage]["first_to_last"] is not None else "0"]
              for b, p in profiles.items() for stage in ("init", "trained")]
    return plots.gradient_norms(profiles, lang), table(ratios, GRADIENT_COLUMNS, lang)


def run_memory(backend, lag, sentence, request: gr.Request):
    lang = language(request)
    try:  # the model runs in its backend's worker process (zoo.workers), as in every other tab
        path = long_range.cell_checkpoint(backend, "long-dependency", int(lag), isolated=True)
        trace, stats = workers.run(backend, path, long_range.memory_view, sentence, int(lag))
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    rows = [[s["layer"], s["gate"], f"{s['below_0.1']:.1%}", f"{s['above_0.9']:.1%}"] for s in stats]
    return plots.forget_memory(long_range.forget_memory(trace), trace, lang), table(rows, MEMORY_COLUMNS, lang)


def run_what_if(backend, lag, sentence, change, unit, request: gr.Request):
    lang = language(request)
    intervention = {
        "forget gate clamped to 0": Intervention(layer=0, forget=0.0),
        "forget gate clamped to 1": Intervention(layer=0, forget=1.0),
        "one unit silenced": Intervention(layer=0, silence=(int(unit),)),
    }[change]
    try:
        path = long_range.cell_checkpoint(backend, "long-dependency", int(lag), isolated=True)
        answered = workers.run(backend, path, long_range.what_if_view, sentence, intervention)
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    if answered is None:
        raise gr.Error(translate("lab_no_what_if", lang, backend=backend))
    before, after, change_in_h = answered
    classes = [word("class", name, lang) for name in ("changed", "same")]  # the long-dependency task's (zoo_datasets)
    summary = translate("lab_what_if_summary", lang, before=classes[int(before.output[0] >= 0.5)], p_before=before.output[0],
                        change=translate(CHANGES[change], lang), after=classes[int(after.output[0] >= 0.5)], p_after=after.output[0])
    named = [(translate("lab_as_trained", lang), before), (translate(CHANGES[change], lang), after)]
    return (summary, plots.readout(named, "binary", translate("readout_title", lang, positive=classes[1]), lang),
            plots.hidden_heatmaps([(translate("lab_h_difference", lang), change_in_h)], lang))


def build_lab_tab(app: gr.Blocks) -> None:
    backends, lstms = all_backends(), forget_gate_backends()
    # Preselect the backends whose default results ship; plugin backends are one tick away (and train on demand).
    shipped = [b for b in backends if long_range.cached_result(b, "long-dependency", long_range.DEFAULT_LAGS[0]) is not None] or backends
    lag_choices = list(long_range.DEFAULT_LAGS)
    gr.Markdown(i18n("lab_intro"))
    with gr.Accordion(i18n("lab_sweep"), open=True):
        with gr.Row():
            sweep_backends = gr.CheckboxGroup(backends, value=shipped, label=i18n("backends"), elem_id="lab-sweep-backends")
            sweep_tasks = gr.CheckboxGroup(labelled("dataset", long_range.TASKS), value=list(long_range.TASKS), label=i18n("lab_tasks"))
            sweep_lags = gr.Textbox(", ".join(map(str, long_range.DEFAULT_LAGS)), label=i18n("lab_lags"))
            sweep_seeds = gr.Textbox(", ".join(map(str, long_range.DEFAULT_SEEDS)), label=i18n("lab_seeds"))
        with gr.Row():
            cores = os.cpu_count() or 1
            sweep_workers = gr.Slider(1, max(cores, 2), value=cores, step=1, label=i18n("lab_workers"))
            sweep_where = gr.Radio([(i18n("lab_where_local"), "local"), (i18n("lab_where_ray"), "ray")],
                                   value="local" if fanout.ray_address(None) is None else "ray", label=i18n("lab_where"))
            sweep_address = gr.Textbox("", label=i18n("lab_ray_address"))
        with gr.Row():
            show = gr.Button(i18n("lab_show_cached"))
            run = gr.Button(i18n("lab_run_sweep"), variant="primary")
            stop = gr.Button(i18n("lab_cancel"), variant="stop")
        sweep_status = gr.Markdown()
        sweep_plot = gr.Plot(label=i18n("lab_sweep_plot"), elem_id="lab-sweep")
        gr.Markdown(i18n("lab_read_sweep"))
        sweep_table = gr.Dataframe(headers=list(SWEEP_COLUMNS), label=i18n("results"))
        shown = [sweep_backends, sweep_tasks, sweep_lags, sweep_seeds]
        show.click(show_sweep, shown, [sweep_plot, sweep_table, sweep_status], api_name="lab_results")
        run.click(run_sweep, [*shown, sweep_workers, sweep_where, sweep_address], [sweep_plot, sweep_table, sweep_status],
                  api_name="lab_sweep")
        stop.click(cancel_sweep, None, None, api_name="lab_cancel")
    with gr.Accordion(i18n("lab_gradients"), open=True):
        with gr.Row():
            grad_backends = gr.CheckboxGroup(backends, value=shipped, label=i18n("backends"), elem_id="lab-gradient-backends")
            grad_task = gr.Dropdown(labelled("dataset", long_range.TASKS), value="adding-problem", label=i18n("lab_task"))
            grad_lag = gr.Dropdown(lag_choices, value=100, label=i18n("lab_lag"))
            grad_button = gr.Button(i18n("lab_measure"), variant="primary")
        grad_plot = gr.Plot(label=i18n("lab_gradients_plot"), elem_id="lab-gradients")
        gr.Markdown(i18n("lab_read_gradients"))
        grad_table = gr.Dataframe(headers=list(GRADIENT_COLUMNS), label=i18n("lab_first_last"))
        grad_button.click(run_gradients, [grad_backends, grad_task, grad_lag], [grad_plot, grad_table], api_name="lab_gradients")
    with gr.Accordion(i18n("lab_memory"), open=True):
        with gr.Row():
            memory_backend = gr.Dropdown(lstms, value=lstms[0] if lstms else None, label=i18n("lab_lstm"))
            memory_lag = gr.Dropdown(lag_choices, value=50, label=i18n("lab_trained_at"))
            memory_text = gr.Textbox(WHAT_IF_SENTENCE, label=i18n("lab_sentence"), scale=3)
            memory_button = gr.Button(i18n("lab_trace"), variant="primary")
        memory_plot = gr.Plot(label=i18n("lab_memory_plot"), elem_id="lab-memory")
        gr.Markdown(i18n("lab_read_memory"))
        memory_table = gr.Dataframe(headers=list(MEMORY_COLUMNS), label=i18n("lab_saturation"))
        memory_button.click(run_memory, [memory_backend, memory_lag, memory_text], [memory_plot, memory_table], api_name="lab_memory")
    with gr.Accordion(i18n("lab_what_if"), open=True):
        with gr.Row():
            # Every backend: silencing a unit works on any; the run says so when a backend has no what-if
            # runs, or no forget gate to clamp.
            what_backend = gr.Dropdown(backends, value=lstms[0] if lstms else None, label=i18n("lab_backend"), elem_id="lab-what-if-backend")
            what_lag = gr.Dropdown(lag_choices, value=50, label=i18n("lab_trained_at"))
            change = gr.Radio([(i18n(key), name) for name, key in CHANGES.items()], value="forget gate clamped to 0",
                              label=i18n("lab_change"))
            unit = gr.Number(0, precision=0, label=i18n("lab_unit_to_silence"))
        what_text = gr.Textbox(WHAT_IF_SENTENCE, label=i18n("lab_sentence"))
        what_button = gr.Button(i18n("lab_run_both"), variant="primary")
        what_summary = gr.Markdown()
        what_readout = gr.Plot(label=i18n("readout_plot"), elem_id="lab-what-if")
        what_heatmap = gr.Plot(label=i18n("lab_change_in_h"))
        gr.Markdown(i18n("lab_read_what_if"))
        what_button.click(run_what_if, [what_backend, what_lag, what_text, change, unit],
                          [what_summary, what_readout, what_heatmap], api_name="lab_what_if")

    # Every view filled in on arrival, from the shipped results and models with the tab's own defaults: each
    # view its own load event, so the sweep (it reads files) shows at once while the others wait for their
    # backends' workers to start (Keras takes seconds), and the views that trace run side by side.
    def sweep_on_arrival(request: gr.Request):
        return show_sweep(sweep_backends.value, sweep_tasks.value, sweep_lags.value, sweep_seeds.value, request)

    def gradients_on_arrival(request: gr.Request):
        return run_gradients(grad_backends.value, grad_task.value, grad_lag.value, request)

    def memory_on_arrival(request: gr.Request):
        return run_memory(memory_backend.value, memory_lag.value, memory_text.value, request)

    def what_if_on_arrival(request: gr.Request):
        return run_what_if(what_backend.value, what_lag.value, what_text.value, change.value, unit.value, request)

    app.load(sweep_on_arrival, None, [sweep_plot, sweep_table, sweep_status], api_name=False)
    app.load(gradients_on_arrival, None, [grad_plot, grad_table], api_name=False)
    if lstms:
        app.load(memory_on_arrival, None, [memory_plot, memory_table], api_name=False)
        app.load(what_if_on_arrival, None, [what_summary, what_readout, what_heatmap], api_name=False)

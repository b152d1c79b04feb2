"""The Train tab: train any available backend on a dataset with live loss curves, cancel it, or add a
checkpoint trained elsewhere; new models join the Compare tabs' pickers. UI only: the training runs
in zoo.workbench.TrainingJob."""
from __future__ import annotations

import time

import gradio as gr

from zoo import ZooError
from zoo.limits import limit
from zoo.messages import say
from zoo.plugins import registry
from zoo.pretrained import default_run
from zoo.spec import HEAD_ACTIVATIONS, TASKS
from zoo.train import TrainConfig
from zoo.workbench import TrainingJob, add_checkpoint, import_upload

from . import plots
from .i18n import I18N as i18n, labelled, language, table, translate, word
from .views import PICKERS, picker_updates

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
        yield training_status(jobs, lang), training_plot(jobs, lang), training_table(jobs, lang), *(gr.skip() for _ in PICKERS)
        time.sleep(0.5)
    yield (training_status(jobs, lang), training_plot(jobs, lang), training_table(jobs, lang), *picker_updates())


def cancel_training(request: gr.Request):
    for job in JOBS.get(request.session_hash, []):
        job.cancel()
    return translate("cancelling", language(request))


def training_status(jobs, lang: str) -> str:
    parts = [f"**{job.backend}**: {word('status', job.status, lang)} {job.fraction:.0%}"
             + (f" — {say(job.error or job.note, lang)}" if job.error or job.note else "") for job in jobs]
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


TRAINING_COLUMNS = ("backend", "dataset", "status", "epochs", "test metrics")


def training_table(jobs, lang: str) -> dict:
    rows = []
    for job in jobs:
        metrics = ", ".join(f"{k} {v:.4f}" for k, v in (job.result or {}).get("metrics", {}).items() if v is not None)
        rows.append([job.backend, job.dataset, word("status", job.status, lang), len(job.curve),
                     metrics or say(job.error or job.note or "", lang)])
    return table(rows, TRAINING_COLUMNS, lang)


def page_table(request: gr.Request):
    """The results table as a page load shows it: empty, its headers in the browser's language."""
    return training_table([], language(request))


def run_add_checkpoint(upload, request: gr.Request):
    lang = language(request)
    if upload is None:
        raise gr.Error(translate("choose_checkpoint", lang))
    try:
        card = add_checkpoint(upload)
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    return (translate("checkpoint_added", lang, label=card.label, id=card.id, tab=translate(f"tab_compare_{card.kind}", lang)),
            *picker_updates())


def run_import_model(upload, vocabulary, head_activation, task, request: gr.Request):
    """A user's own Keras or PyTorch file, imported (zoo.interchange) and added to every model list."""
    lang = language(request)
    if upload is None:
        raise gr.Error(translate("choose_model_file", lang))
    try:
        card, result = import_upload(upload, vocabulary, head_activation=head_activation or None, task=task or None)
    except ZooError as err:
        raise gr.Error(say(err, lang)) from None
    parity = ", ".join(f"{backend} {diff:.1e}" for backend, diff in result.parity.items())
    notes = "".join(f"\n- {say(note, lang)}" for note in result.notes)  # what the reader assumed or left out
    return (translate("model_imported", lang, label=card.label, id=card.id, tab=translate(f"tab_compare_{card.kind}", lang),
                      framework=result.framework, parity=parity) + notes, *picker_updates())


def build_train_tab(app: gr.Blocks, pickers: list[gr.Dropdown]) -> None:
    """The tab's components; a finished training, an added checkpoint or an imported model updates
    ``pickers``, every model picker of the lab (views.PICKERS: Compare text, Compare series, Learn, Units)."""
    datasets = [e.name for e in registry().datasets if e.status == "available"]
    with gr.Row():
        dataset = gr.Dropdown(labelled("dataset", datasets), value="long-dependency", label=i18n("dataset"))
        # Every backend that can run here, a plugin's as much as a bundled one.
        backends = gr.CheckboxGroup([e.name for e in registry().available_backends()],
                                    value=["torch-lstm", "numpy-rnn"], label=i18n("backends"), elem_id="train-backends")
    with gr.Row():
        epochs = gr.Slider(1, 30, value=5, step=1, label=i18n("epochs"), elem_id="train-epochs")
        activation = gr.Radio(["tanh", "relu"], value="tanh", label=i18n("head_activation"))
        lr = gr.Number(value=1e-3, label=i18n("learning_rate"))
    with gr.Row():
        train_button = gr.Button(i18n("train"), variant="primary", elem_id="train-button")
        cancel_button = gr.Button(i18n("cancel"), variant="stop")
    status = gr.Markdown(elem_id="train-status")
    curves = gr.Plot(label=i18n("loss_plot"), elem_id="train-curves")
    gr.Markdown(i18n("read_training"))
    results = gr.Dataframe(training_table([], "en"), label=i18n("results"))
    app.load(page_table, None, results, api_name=False)
    train_button.click(run_training, [dataset, backends, epochs, activation, lr], [status, curves, results, *pickers],
                       api_name="train", concurrency_limit=int(limit("training_jobs")))
    cancel_button.click(cancel_training, None, status, api_name="cancel_training")
    with gr.Accordion(i18n("add_checkpoint_title"), open=False):
        gr.Markdown(i18n("add_checkpoint_intro"))
        checkpoint_file = gr.File(label=i18n("checkpoint"), file_types=[".safetensors"], type="filepath",
                                  elem_id="checkpoint-upload")
        add_button = gr.Button(i18n("add_checkpoint"))
        added = gr.Markdown(elem_id="added-checkpoint")
    add_button.click(run_add_checkpoint, checkpoint_file, [added, *pickers], api_name="add_checkpoint")
    with gr.Accordion(i18n("import_title"), open=False):
        gr.Markdown(i18n("import_intro"))
        with gr.Row():
            model_file = gr.File(label=i18n("model_file"), file_types=[".keras", ".h5", ".pt", ".pth", ".safetensors"],
                                 type="filepath", elem_id="model-upload")
            vocabulary = gr.File(label=i18n("vocabulary_file"), file_types=[".txt", ".json"], type="filepath",
                                 elem_id="vocabulary-upload")
        with gr.Row():
            # tanh and relu are the functions' own names in every language
            head_activation = gr.Dropdown([(i18n("from_the_file"), ""), *((name, name) for name in HEAD_ACTIVATIONS)], value="",
                                          label=i18n("import_head_activation"))
            task = gr.Dropdown([(i18n("from_the_file"), ""), *((i18n(f"task_{name}"), name) for name in TASKS)],
                               value="", label=i18n("import_task"))
        import_button = gr.Button(i18n("import_model"), elem_id="import-model")
        imported = gr.Markdown(elem_id="imported-model")
    import_button.click(run_import_model, [model_file, vocabulary, head_activation, task], [imported, *pickers],
                        api_name="import_model")

"""Every user-visible string of the lab in English and Korean, in one gr.I18n instance.

Static text (labels, captions, tab names, buttons) goes to the browser as ``I18N("key")`` and Gradio
translates it with the browser's locale. Text the server writes at request time (equations, tables,
status lines, the guided path) is translated here with ``translate(key, language(request))``, from the
same dictionaries; the request's Accept-Language comes from the same browser setting. Static strings
must not contain braces or apostrophes: the browser reads them as ICU message syntax. Request-time
strings are Python format strings.
"""
from __future__ import annotations

import gradio as gr

from zoo import long_range

_BUDGETS_EN = "; ".join(
    f"**{name}**: {b.n:,} examples, {b.epochs} epochs of batch {b.batch_size} ({b.steps:,} steps), Adam lr {b.lr:g}, "
    f"clipping {long_range.CLIP_NORM:g}" for name, b in long_range.TASKS.items())
_BUDGETS_KO = "; ".join(
    f"**{name}**: 예제 {b.n:,}개, 배치 {b.batch_size}로 {b.epochs} 에포크({b.steps:,} 스텝), Adam 학습률 {b.lr:g}, "
    f"기울기 클리핑 {long_range.CLIP_NORM:g}" for name, b in long_range.TASKS.items())

EN = {
    # ----- the app -----
    "app_intro": "# RNN Zoo\nThe same input through a Keras LSTM, a PyTorch LSTM and a plain RNN, side by side: "
                 "predictions, every hidden state and every gate, step by step.",
    "tab_learn": "Learn",
    "tab_compare_text": "Compare text",
    "tab_compare_series": "Compare series",
    "tab_train": "Train",
    "tab_lab": "Lab",
    "tab_backends": "Backends",
    "task": "Task",
    "task_long-dependency": "He likes a girl … but he likes a boy: still the same one?",
    "task_rotten-tomatoes": "Movie reviews: fresh or rotten?",
    "task_sunspots": "Sunspots: next year’s number",
    "task_temporal-order": "Temporal order: X or Y early, X or Y later — which order?",
    "question_temporal-order": "**Which order, XX, XY, YX or YY?** Each sequence is 100 symbols: one X or Y within its first "
                               "tenth, one more just after its middle, random distractors a–d everywhere else (Hochreiter & "
                               "Schmidhuber 1997, experiment 6a). Knowing only the later symbol is right half of the time; "
                               "only memory of the first scores more. Draw a sequence, compare, and watch the forget gates "
                               "hold the first symbol across the distractors.",
    "draw_example": "Draw an example",
    "examples": "Examples",
    "readout_answer_title": "P(its answer) after each step",
    "question_long-dependency": "**Does he still like the same one?** Every sentence says whom he likes near its start, then up to 30 "
                                "filler words, then *but he likes a …* again. The answer, *same* or *changed*, needs the first "
                                "object remembered across the fillers: see below how the LSTMs and the plain RNN score on it. "
                                "Pick one of the long examples below and watch the forget gates. The notes’ own long sentence puts "
                                "four words the task never uses (*seems to like that*) before *he likes a girl*: the models read "
                                "them as unknown, and what they answer there is outside what they learnt.",
    "question_rotten-tomatoes": "**Is the review fresh or rotten?** Sentiment in one sentence is mostly about which words appear "
                                "(a bag-of-words baseline, TF-IDF + logistic regression, scores as well as the LSTMs here: "
                                "`zoo evaluate`), so these models have little reason to remember and their gates hardly move — "
                                "compare the numbers below with the long-dependency task’s.",
    "question_sunspots": "**How many sunspots next year?** Each model forecasts every year from the 24 before it.",
    "memory_line": "The defaults on their test split (`zoo evaluate`): their score, and how much they use their memory "
                   "— per layer, the std over time of the most active unit’s forget gate f (of h for a plain RNN, which has "
                   "no gate): {models}.",
    "heatmap_scale": "colour scale",
    "scale_shared": "shared −1 … +1",
    "scale_layer": "each layer its own (largest |h|)",
    "unit_auto": "most active (each model)",
    "gates_view": "gates view",
    "view_unit": "one unit, as curves",
    "view_all": "every unit, as heatmaps",
    "text": "Text",
    "compare": "Compare",
    "models": "Models",
    "hidden_states": "Hidden states h_t",
    "follow_layer": "follow layer",
    "follow_unit": "follow unit",
    "gates_plot": "Gates and cell state of one unit",
    "raw_numbers": "Raw numbers",
    "traces_csv": "Download the traces as CSV",
    "traces_csv_files": "The last compare, a CSV file per model",
    "read_traces_csv": "Each file has a row per step and a column per layer, quantity and unit (layer0.h[3] is unit 3 of the first layer’s hidden state h; readout[0] is the output had the input ended at that step), the numbers the plots show. It opens in a spreadsheet, Korean included.",
    "compare_first": "Compare first: the CSV files hold the traces of the last compare.",
    "readout_plot": "Prediction after each word",
    "read_predictions": "Each row is one model’s answer for the whole input; *warm-up* marks a model whose framework loaded for this request.",
    "read_readout": "How to read this: the head applied after every word — the prediction as it would be if the input ended there (the seed’s `return_sequences=True`).",
    "read_heatmap": "How to read this: one column per model, one block per layer; each row is a hidden unit, each column a step; red is h near +1, blue near −1, white 0. Hover for token, unit and value.",
    "read_gates": "How to read this: for the chosen unit, the input gate i (how much is written), forget gate f (how much of c survives: 1 keeps it), output gate o and cell state c; a plain RNN has none of these.",
    "read_forecast": "How to read this: black is the series; each coloured line is a model’s prediction of every step from the window before it (the grey band is the first window, which has no prediction). For a symbol task, each line is a model’s probability of its final answer after every step.",
    "read_training": "How to read this: solid lines are training loss, dotted ones validation loss, per model; training stops early when validation loss stops improving.",
    "series_from": "Series from",
    "source_paste": "paste",
    "source_csv": "CSV file",
    "source_dataset": "bundled dataset",
    "bundled_dataset": "bundled dataset",
    "numbers_box": "Numbers, or a symbol task’s symbols (separated by commas, spaces or new lines)",
    "csv_file": "CSV file",
    "column": "column",
    "forecast_plot": "Forecasts over the truth",
    "dataset": "dataset",
    "backends": "backends",
    "epochs": "epochs",
    "head_activation": "head activation (the seed’s relu → tanh note)",
    "learning_rate": "learning rate",
    "train": "Train",
    "cancel": "Cancel",
    "loss_plot": "Loss per epoch",
    "results": "Results",
    "backends_intro": "Every registered backend plugin: what it runs on, and why it cannot run here if it cannot.",
    "refresh": "Refresh",
    "check_parity": "Check parity with the NumPy reference",
    "parity_label": "Parity (T=50, one set of random weights)",
    # request-time text of the compare and train tabs
    "loading": "⏳ Loading {frameworks} for the first time (TensorFlow takes a few seconds to start)…",
    "table_model": "model",
    "table_prediction": "prediction",
    "table_time": "time",
    "table_task": "task",
    "table_error": "error on this series",
    "warm_up": "warm-up",
    "readout_title": "P({positive}) after each word",
    "accuracy_updown": "accuracy **{accuracy:.3f}** on next-step up/down",
    "cancelling": "Cancelling: each model stops after its current batch, and nothing is saved.",
    "pick_model": "Pick at least one model.",
    "pick_backend": "Pick at least one backend to train.",
    "upload_first": "Upload a CSV file first.",
    "epoch_axis": "epoch",
    "loss_axis": "loss",
    "train_curve": "{backend} train",
    "validation_curve": "{backend} validation",
    "whole_numbers": "layer and unit must be whole numbers, got {layer} and {unit}",
    "no_such_layer": "layer {layer} does not exist: the chosen models have layers 0 to {last}",
    "add_checkpoint_title": "Add a checkpoint trained elsewhere",
    "add_checkpoint_intro": "A `.safetensors` file written by `zoo train` on any machine. It is read without pickle, "
                            "checked against its backend, and copied into this lab’s model cache.",
    "checkpoint": "checkpoint",
    "add_checkpoint": "Add the checkpoint",
    "choose_checkpoint": "Choose a .safetensors checkpoint file first.",
    "checkpoint_added": "Added **{label}** as `{id}`: pick it among the models of {tab}.",
    "whole_series_output": "reads the whole series as one sequence: output {output}",
    "every_column": "every column ({count}), one number each per step",
    "import_title": "Your own model: a Keras or PyTorch file",
    "import_intro": "A Keras model (`.keras`, or legacy `.h5`) or a PyTorch `state_dict` (`.pt`, `.pth` or `.safetensors`): "
                    "an optional Embedding, then LSTM, GRU or simple RNN layers, then Dense (Linear) layers. Nothing in the file "
                    "is run: its weights are read, checked against its own framework on random inputs, and the model joins "
                    "every model list of the lab, for every session. A text model reads words through a vocabulary file "
                    "(one token a line, JSON token to id, or a TextVectorization vocabulary); without one it reads token ids.",
    "model_file": "model file",
    "vocabulary_file": "vocabulary (text models, optional)",
    "import_head_activation": "hidden Dense activation",
    "import_task": "task",
    "task_binary": "binary (one probability)",
    "task_multiclass": "multiclass (softmax)",
    "task_regression": "regression (a number)",
    "from_the_file": "as the file says",
    "import_model": "Import the model",
    "choose_model_file": "Choose a Keras or PyTorch model file first.",
    "model_imported": "Imported **{label}** as `{id}`: pick it among the models of {tab}. Largest difference from {framework} "
                      "on random inputs: {parity}.",
    "limits_intro": "What this lab accepts; each limit is set by its environment variable when the lab starts.",
    "limits": "Limits",
    # ----- the lab tab -----
    "lab_intro": "Short dependencies are easy; long ones defeat a plain RNN because its gradients vanish, and the LSTM’s gates "
                 f"fix that. Every model here starts from the same weights (forget-gate bias {long_range.FORGET_BIAS:g}) and trains "
                 f"within the same budget: {_BUDGETS_EN}.",
    "lab_sweep": "1 · Lag sweep",
    "lab_tasks": "tasks",
    "lab_lags": "lags",
    "lab_show_cached": "Show cached results",
    "lab_run_sweep": "Run the sweep (trains what is not cached)",
    "lab_sweep_plot": "Score against lag",
    "lab_read_sweep": "How to read this: each small open point is one seed’s model, trained from that seed’s weights with the same "
                      "budget at one lag; the line joins the means over the seeds and its bars show ± their spread (the standard "
                      "deviation). A curve that falls to the dotted line has forgotten (the accuracy of guessing — a coin, or one in four for temporal-order — "
                      "or the MSE of always guessing 1).",
    "lab_gradients": "2 · Vanishing gradients",
    "lab_task": "task",
    "lab_lag": "lag",
    "lab_measure": "Measure ‖∂L/∂h_t‖",
    "lab_gradients_plot": "‖∂L/∂h_t‖ against t",
    "lab_read_gradients": "How to read this: how much of the error signal reaches each step; dashed before training, solid after. "
                          "A line that drops by orders of magnitude towards t = 0 is a vanishing gradient: early words cannot be learnt from.",
    "lab_first_last": "First step against last",
    "lab_memory": "3 · Memory: forget gates and saturation",
    "lab_trained_at": "trained at lag",
    "lab_sentence": "sentence",
    "lab_trace": "Trace",
    "lab_memory_plot": "Share of c₀ kept",
    "lab_read_memory": "How to read this: the product of the forget gates from the first step on — the share of what a unit wrote at "
                       "step 0 still in its cell state at step t (1 keeps everything). Shown for the five units that keep the most.",
    "lab_saturation": "Gate saturation over the longest sentences (Karpathy, Johnson and Fei-Fei 2015)",
    "lab_what_if": "4 · What if?",
    "lab_change": "change",
    "lab_clamp_0": "forget gate clamped to 0",
    "lab_clamp_1": "forget gate clamped to 1",
    "lab_silence": "one unit silenced",
    "lab_unit_to_silence": "unit to silence",
    "lab_run_both": "Run both",
    "lab_change_in_h": "Change in h",
    "lab_read_what_if": "How to read this: the same model on the same sentence, once as trained and once with the change; the readout "
                        "shows the prediction word by word, the heatmap the change in h (after minus before).",
    "lab_h_difference": "h after − h before",
    "lab_cached_shown": "{count} cached results shown.",
    "lab_results_done": "{count} results (cached cells are instant).",
    "lab_what_if_summary": "As trained: **{before}** (P(same) = {p_before:.3f}) · with the {change}: **{after}** (P(same) = {p_after:.3f})",
    "lab_as_trained": "as trained",
    "lab_lstm": "LSTM",
    "lab_backend": "backend",
    "lab_no_what_if": "{backend} does not offer what-if runs",
    "lab_lags_whole": "lags are whole numbers separated by commas, e.g. 5, 10, 20, 50",
    "lab_lags_range": "give lags from 1 to 1000",
    "lab_pick_backend": "Pick at least one backend.",
    "lab_pick_backend_task": "Pick at least one backend and one task.",
    "lab_seeds": "seeds",
    "lab_seeds_whole": "seeds are whole numbers separated by commas, e.g. 0, 1, 2",
    "lab_workers": "worker processes",
    "lab_where": "run on",
    "lab_where_local": "this machine’s worker processes",
    "lab_where_ray": "a Ray cluster",
    "lab_ray_address": "Ray address (empty: RAY_ADDRESS, else a Ray instance started on this machine)",
    "lab_cancel": "Cancel (keeps the finished cells)",
    "lab_sweep_progress": "{done} trained · {running} running · {cached} cached · {failed} failed",
    "lab_failed": "{count} cells failed: {cells}",
    "lab_failed_cell": "{backend} on {task} at lag {lag}, seed {seed} ({error})",
    "lab_cancelled": "Cancelled: the {count} finished cells are kept.",
    "no_such_model": "no model named {unknown}; the lab has {known}",
    "class_one": "class 1",
    # the bundled data sets' names where they are words (i18n.labelled); the value stays the registered name
    "dataset_rotten-tomatoes": "rotten-tomatoes",
    "dataset_long-dependency": "long-dependency",
    "dataset_adding-problem": "adding-problem",
    "dataset_temporal-order": "temporal-order",
    "dataset_sunspots": "sunspots",
    "dataset_co2": "co2",
    "dataset_stocks-aapl": "stocks-aapl",
    "dataset_stocks-amzn": "stocks-amzn",
    "dataset_stocks-goog": "stocks-goog",
    "dataset_stocks-ibm": "stocks-ibm",
    "dataset_stocks-msft": "stocks-msft",
    "dataset_sf-temps": "sf-temps",
    "dataset_seattle-weather": "seattle-weather",
    # the shipped data sets' class names that are words (zoo_datasets); any other class is shown as its data names it
    "class_changed": "changed",
    "class_same": "same",
    "class_fresh": "fresh",
    "class_rotten": "rotten",
    "metric_accuracy": "accuracy",
    # a plugin's and a registration's status (zoo.plugins)
    "status_available": "available",
    "status_unavailable": "unavailable",
    "status_error": "error",
    "status_blocked": "blocked",
    "status_loaded": "loaded",
    # a training's status (zoo.workbench.TrainingJob)
    "status_queued": "queued",
    "status_running": "running",
    "status_done": "done",
    "status_cancelled": "cancelled",
    "status_failed": "failed",
    "ok_yes": "yes",
    "ok_NO": "NO",
    "series_errors": "RMSE **{rmse:.3g}**, MAE {mae:.3g} (persistence: RMSE {persistence:.3g})",
    "plugins_label": "Plugins: what each one registered",
    # ----- the learn tab -----
    "learn_intro": "## The equations, with a real model’s numbers in them\n"
                   "Pick a model, type a sentence (or numbers for a series model) and step through it word by word with ◀ and ▶. "
                   "Each equation of the LSTM (or of the plain RNN) is filled in with this model’s numbers at the chosen step, "
                   "layer and unit: what goes into the gate, the gate’s value, and what comes out. The values are the ones the "
                   "comparison tabs plot.",
    "learn_model": "Model",
    "learn_input": "Input",
    "learn_input_info": "A sentence for a text model, numbers separated by commas for a series model; press Enter to show it.",
    "learn_layer": "layer",
    "learn_unit": "unit",
    "learn_step": "step t",
    "learn_numbers": "The numbers as data",
    "learn_step_of": "Step t = {step} of 0–{last}: “{token}”",
    "learn_where_lstm": "Layer {layer}, unit {unit}, step t = {step}. Every term is unit {unit}’s share: xₜ is what the layer reads "
                        "at step t (the word’s embedding in layer 0, the h of the layer below above it); hₜ₋₁ and cₜ₋₁ are the "
                        "previous step’s, zero before the first word.",
    "learn_where_rnn": "Layer {layer}, unit {unit}, step t = {step}. The plain RNN has no gates: one equation, sₜ = tanh(W xₜ + U sₜ₋₁ + b), "
                       "where xₜ is what the layer reads at step t and sₜ₋₁ the previous state (zero before the first word).",
    "learn_where_gru": "Layer {layer}, unit {unit}, step t = {step}. A GRU: an update gate z, a reset gate r and a candidate n, "
                       "with the reset gate applied to the recurrent term and its own bias (Keras and PyTorch alike).",
    "eq_forget": "Forget gate fₜ",
    "eq_forget_means": "How much of the old cell state cₜ₋₁ is kept: 1 keeps it, 0 erases it.",
    "eq_input": "Input gate iₜ",
    "eq_input_means": "How much of the new candidate gₜ is written into the cell.",
    "eq_candidate": "Candidate gₜ",
    "eq_candidate_means": "The new information, between −1 and 1.",
    "eq_output": "Output gate oₜ",
    "eq_output_means": "How much of the cell is let out as the hidden state hₜ.",
    "eq_cell": "Cell state cₜ",
    "eq_cell_means": "The old state as far as fₜ keeps it, plus the new as far as iₜ lets it in: the LSTM’s long memory.",
    "eq_hidden": "Hidden state hₜ",
    "eq_hidden_means": "What the next step and the layer above see.",
    "eq_rnn_state": "State sₜ",
    "eq_rnn_state_means": "The plain RNN’s whole memory: the previous state goes through U and tanh again at every step, "
                          "so what it read long ago fades (and so does its gradient).",
    "eq_update": "Update gate zₜ",
    "eq_update_means": "How much of the old state hₜ₋₁ is kept (1 keeps it).",
    "eq_reset": "Reset gate rₜ",
    "eq_reset_means": "How much of the old state goes into the candidate.",
    "eq_gru_candidate": "Candidate nₜ",
    "eq_gru_candidate_means": "The new information, between −1 and 1.",
    "guide_title": "Guided path: short and long dependencies, relu and tanh",
    "guide_intro": "Four stops through the examples of the notes. Each one sets the model, the sentence, the unit and the step "
                   "above, and measures what it shows. Stops 1–3 use the models the Lab tab trained on “he likes a … but he "
                   "likes a …” sentences (lag 10): the plain RNN and the LSTMs all solved that task.",
    "guide_button_1": "1 · Short dependency",
    "guide_button_2": "2 · Long dependency: plain RNN",
    "guide_button_3": "3 · Long dependency: LSTM",
    "guide_button_4": "4 · relu → tanh",
    "guide_plot": "The measurement",
    "guide_1": "**1 · Short dependency.** “He likes a pretty girl”: the word that matters, *girl*, is the last one, so nothing "
               "has to be carried far. Swap girl → boy and the last state of both models moves at once: ‖Δh‖ = {rnn_diff:.2f} "
               "(plain RNN) and {lstm_diff:.2f} (LSTM). The equations show the LSTM at *{word}*, unit {unit}, the unit the swap "
               "moves most.",
    "guide_2": "**2 · Long dependency, plain RNN.** “He seems to like that he likes a girl but he likes a boy.” Does he still like "
               "the same one? The answer needs *girl*, read five words before the end. Swapping it for *boy* flips the right "
               "answer, yet the plain RNN says P(same) = {rnn_before:.2f}, then {rnn_after:.2f}: its state still differs at the "
               "end (‖Δh‖ = {rnn_diff:.2f}) but no longer in a way that decides its answer. The LSTM: {lstm_before:.2f} → "
               "{lstm_after:.2f}. The equation view shows the RNN at the last step, unit {unit}: its only memory is U sₜ₋₁, "
               "squeezed through tanh at every step.",
    "guide_3": "**3 · Long dependency, LSTM.** The same sentence through the LSTM. Its forget gates stay close to 1 from *girl* "
               "on: the unit that keeps the most still holds {kept:.0%} of what it wrote at *girl* (dotted line, ∏ f). Step "
               "back with ◀ and watch fₜ in the first equation stay near 1 while cₜ carries the word; the view shows unit {unit}, "
               "the one the swap moves most at the end.",
    "guide_4": "**4 · relu → tanh.** The note changed the Dense(16) head from relu to tanh. The bars are the shipped model’s real "
               "head pre-activations z at the last word of “He likes a pretty girl”, and what each activation makes of them: "
               "relu sets the {negative} of {units} units with z < 0 to zero and lets the others grow without bound "
               "(here up to {largest:.2f}); tanh keeps every unit’s sign and squeezes it into (−1, 1), the range of the LSTM’s "
               "own hₜ. This model was trained with {activation}. A relu model needs its own training (minutes, not shown "
               "live): the Train tab’s head-activation switch trains one to compare.",
    # ----- plots -----
    "plot_no_answer": "no model answered",
    "plot_probability": "probability",
    "plot_model_layer": "{name} · layer {layer}",
    "plot_unit_axis": "unit",
    "plot_step_column": "{token} (step {step})",
    "plot_hover_token": "token",
    "plot_hover_unit": "unit",
    "plot_hover_step": "step",
    "plot_no_lstm": "no LSTM answered: a plain RNN has no gates or cell state",
    "plot_gate_i": "input gate i",
    "plot_gate_f": "forget gate f",
    "plot_gate_o": "output gate o",
    "plot_gate_c": "cell state c",
    "plot_layer_unit": "layer {layer}, unit {unit}",
    "plot_gate_g": "candidate g",
    "plot_gate_z": "update gate z",
    "plot_gate_r": "reset gate r",
    "plot_gate_n": "candidate n",
    "plot_layer_peak": "largest |h| {peak:.3f}",
    "plot_h_shared": "h",
    "plot_h_per_layer": "h ÷ its layer’s largest |h|",
    "plot_model_unit": "{name}, unit {unit}",
    "plot_layer_auto": "layer {layer}, each model’s most active unit on this input",
    "plot_layer_every_unit": "layer {layer}: every unit’s gates",
    "plot_gate_bar": "gate",
    "plot_candidate_bar": "candidate",
    "plot_truth": "truth",
    "plot_forecast": "forecast",
    "plot_no_results": "no results yet: run the sweep",
    "plot_mean_spread": "lag %{x}: mean %{y:.4f} ± %{customdata[0]:.4f} over %{customdata[1]} seeds",
    "plot_seed_point": "lag %{x}, seed %{text}: %{y:.4f}",
    "plot_chance": "chance",
    "plot_guess_one": "MSE of guessing 1 (1/6)",
    "plot_lag_axis": "lag (steps to remember)",
    "plot_accuracy_axis": "test accuracy",
    "plot_mse_axis": "test MSE (lower is better)",
    "plot_init": "init",
    "plot_trained": "trained",
    "plot_step_axis": "step t",
    "plot_unit_name": "unit {unit}",
    "plot_mean_units": "mean of all units",
    "plot_kept_axis": "∏ f (share of c₀ kept)",
    "plot_remembered_title": "How much the first layer still knows whether it read girl or boy",
    "plot_remembered_y": "‖h − h′‖ after the swap",
    "plot_kept": "∏ f since the word",
    "plot_head_title": "Head pre-activations z and what relu and tanh make of them",
    "plot_unit": "unit of the Dense(16) head",
    # ----- the Units tab (zoo.units) -----
    "tab_units": "Units",
    "open_in_units": "Open this unit in the Units tab",
    "units_intro": "## What each unit does across a whole dataset\nEvery other view shows one input at a time. Here a model "
                   "runs over a whole dataset split, or your own texts or series: every sequence is traced once and cached, "
                   "the units of a layer are ranked by how much they change over time and by how strongly they go with the "
                   "output, and for one unit you see where it is highest and lowest, for h, c and every gate (Karpathy, "
                   "Johnson and Fei-Fei 2015). Below, select a span to find the units that are on over it and off around it, "
                   "and where else in the data they do the same (LSTMVis).",
    "units_model": "Model",
    "units_against": "Compare unit by unit with (optional): a model of the same input",
    "units_source": "Run it over",
    "units_source_dataset": "a dataset split",
    "units_source_texts": "your texts",
    "units_source_csv": "your series (CSV)",
    "units_dataset": "Dataset",
    "units_own_dataset": "the one it was trained on",
    "units_split": "Split",
    "units_split_train": "train",
    "units_split_validation": "validation",
    "units_split_test": "test",
    "units_texts": "Your texts, one a line",
    "units_csv": "CSV file of numbers",
    "units_column": "Column (empty: the first of numbers)",
    "units_layer": "Layer",
    "units_unit": "Unit (−1: the one that changes most)",
    "units_top": "How many",
    "units_window": "Steps shown either side",
    "units_explore": "Explore",
    "units_ranking": "Units ranked: by change over time, and by correlation with the output",
    "units_read_ranking": "How to read this: *std over time* is how far a unit’s h moves within a sequence, averaged over the "
                          "sequences (a unit that only holds a constant scores 0); *r with output* is the Pearson correlation "
                          "of its h with the model’s output at every step. Below, the unit’s contexts: the step is marked, "
                          "the numbers say where it is (sequence, steps start:stop, the stop excluded) for select and match.",
    "units_tokens": "Mean h of the unit per token (read at least twice)",
    "units_saturation": "Gate saturation over the whole input: share of steps below 0.1 and above 0.9",
    "units_select_intro": "### Select and match\nChoose a span of one sequence (its number and steps, as the contexts show "
                          "them) and a threshold: the units whose h is at or above it over the whole span and below it "
                          "just around it are selected, then the other spans of the data where all of them are on are "
                          "listed, those as long as the selection first.",
    "units_sequence": "Sequence",
    "units_start": "First step",
    "units_stop": "Stop (one past the last step)",
    "units_threshold": "Threshold (h at or above is on)",
    "units_margin": "Steps around that must be off",
    "units_select": "Select and match",
    "units_highest": "highest",
    "units_lowest": "lowest",
    "units_where": "sequence {sequence}, steps {step}:{stop}",
    "units_summary": "**{states}**: {steps:,} steps in {sequences:,} sequences. Layer {layer}, unit {unit}.",
    "units_correlation": "**Against {states}**, unit by unit over the same steps: Pearson r of h with the same unit, mean "
                         "{mean:.3f}, lowest {min:.3f}; unit {unit}: {r:+.3f}, while its closest other unit reaches "
                         "|r| = {other:.3f}.",
    "units_selected": "Units on over <mark>{span}</mark> and off around it: <b>{units}</b>. Where else they are all on:",
    "units_selected_none": "No unit is on over the whole span and off around it at this threshold: lower the threshold, "
                           "shorten the span, or ask for fewer steps off around it.",
    "units_no_matches": "nowhere else in the data",
    "units_explore_first": "Explore first: select and match work on the states explored last.",
    "units_whole_number": "{name} must be a whole number (at least its smallest allowed value), got {value}",
    # ----- table headers: the English ones are the CLI's and the API's column names -----
    "column_name": "name",
    "column_family": "family",
    "column_framework": "framework",
    "column_version": "version",
    "column_plugin": "plugin",
    "column_distribution": "distribution",
    "column_plugin_version": "plugin_version",
    "column_status": "status",
    "column_reason": "reason",
    "column_backends": "backends",
    "column_datasets": "datasets",
    "column_formats": "formats",
    "column_backend": "backend",
    "column_max |diff|": "max |diff|",
    "column_ok": "ok",
    "column_limit on": "limit on",
    "column_value": "value",
    "column_environment variable": "environment variable",
    # the Units tab's and the Lab tab's tables
    "column_rank": "rank",
    "column_unit (change)": "unit (change)",
    "column_std over time": "std over time",
    "column_unit (output)": "unit (output)",
    "column_r with output": "r with output",
    "column_token": "token",
    "column_mean h": "mean h",
    "column_count": "count",
    "column_gate": "gate",
    "column_layer below 0.1": "layer below 0.1",
    "column_layer above 0.9": "layer above 0.9",
    "column_unit below 0.1": "unit below 0.1",
    "column_unit above 0.9": "unit above 0.9",
    "column_task": "task",
    "column_lag": "lag",
    "column_seed": "seed",
    "column_score": "score",
    "column_metric": "metric",
    "column_steps": "steps",
    "column_seconds": "seconds",
    "column_weights": "weights",
    "column_‖∂L/∂h_0‖ / ‖∂L/∂h_T‖": "‖∂L/∂h_0‖ / ‖∂L/∂h_T‖",
    "column_layer": "layer",
    "column_below 0.1": "below 0.1",
    "column_above 0.9": "above 0.9",
    "column_dataset": "dataset",
    "column_epochs": "epochs",
    "column_test metrics": "test metrics",
    # ----- the tools (zoo_lab.tools) -----
    "tool_range": "{name} must be {low} to {high}, not {value}",
    "tool_no_lab_task": "no lab task {task}; the lab has {tasks}",
}

KO = {
    # ----- the app -----
    "app_intro": "# RNN Zoo\n같은 입력을 Keras LSTM, PyTorch LSTM, 기본 RNN에 나란히 넣어 봅니다: "
                 "예측, 모든 은닉 상태와 모든 게이트를 한 단계씩.",
    "tab_learn": "배우기",
    "tab_compare_text": "텍스트 비교",
    "tab_compare_series": "시계열 비교",
    "tab_train": "학습",
    "tab_lab": "실험실",
    "tab_backends": "백엔드",
    "task": "과제",
    "task_long-dependency": "그는 소녀를 좋아한다 … 그러나 소년을 좋아한다: 여전히 같은 사람인가?",
    "task_rotten-tomatoes": "영화 리뷰: 호평인가 혹평인가?",
    "task_sunspots": "태양 흑점: 내년의 수",
    "task_temporal-order": "시간 순서: 앞쪽의 X 또는 Y, 뒤쪽의 X 또는 Y — 어떤 순서인가?",
    "question_temporal-order": "**XX, XY, YX, YY 중 어떤 순서일까?** 각 수열은 기호 100개입니다: 처음 10분의 1 안에 X나 Y가 "
                               "하나, 가운데 바로 뒤에 하나 더 있고, 나머지는 모두 무작위 방해 기호 a–d입니다(Hochreiter & "
                               "Schmidhuber 1997, 실험 6a). 뒤의 기호만 알면 절반을 맞히고, 그보다 잘하려면 첫 기호를 기억해야 "
                               "합니다. 수열을 뽑아 비교하고, 망각 게이트가 방해 기호 너머로 첫 기호를 붙드는 모습을 보세요.",
    "draw_example": "예제 뽑기",
    "examples": "예문",
    "readout_answer_title": "단계마다 그 답의 확률",
    "question_long-dependency": "**그는 여전히 같은 사람을 좋아할까?** 문장마다 앞부분에서 그가 누구를 좋아하는지 말하고, 최대 30개의 "
                                "채움 단어가 온 뒤 다시 *but he likes a …* 가 나옵니다. 답(*같음* 또는 *바뀜*)을 내려면 첫 대상을 "
                                "채움 단어 너머까지 기억해야 합니다: LSTM과 기본 RNN의 점수는 아래에 있습니다. 아래의 긴 예문을 골라 망각 게이트를 보세요. 노트의 긴 문장은 과제에 없는 네 단어(*seems to like that*)를 "
                                "*he likes a girl* 앞에 둡니다: 모델은 이를 모르는 단어로 읽으며, 거기서의 답은 배운 범위 밖입니다.",
    "question_rotten-tomatoes": "**이 리뷰는 호평인가 혹평인가?** 한 문장의 감성은 대부분 어떤 단어가 나오느냐로 정해집니다"
                                "(단어 주머니 기준선인 TF-IDF + 로지스틱 회귀가 여기서 LSTM만큼 맞힙니다: `zoo evaluate`). 그래서 "
                                "이 모델들은 기억할 이유가 적고 게이트도 거의 움직이지 않습니다 — 아래 숫자를 장기 의존성 과제의 "
                                "숫자와 비교해 보세요.",
    "question_sunspots": "**내년에는 흑점이 몇 개일까?** 각 모델은 매년의 값을 그 앞 24년으로 예측합니다.",
    "memory_line": "테스트 데이터에서의 기본 모델(`zoo evaluate`): 점수와 기억을 얼마나 쓰는지 — 층마다 가장 활발한 유닛의 "
                   "망각 게이트 f(게이트가 없는 기본 RNN은 h)의 시간에 따른 표준편차: {models}.",
    "heatmap_scale": "색 범위",
    "scale_shared": "공통 −1 … +1",
    "scale_layer": "층마다 따로(가장 큰 |h|)",
    "unit_auto": "가장 활발한 유닛(모델마다)",
    "gates_view": "게이트 보기",
    "view_unit": "유닛 하나, 곡선으로",
    "view_all": "모든 유닛, 히트맵으로",
    "text": "텍스트",
    "compare": "비교",
    "models": "모델",
    "hidden_states": "은닉 상태 h_t",
    "follow_layer": "살펴볼 층",
    "follow_unit": "살펴볼 유닛",
    "gates_plot": "유닛 하나의 게이트와 셀 상태",
    "raw_numbers": "원본 숫자",
    "traces_csv": "트레이스를 CSV로 내려받기",
    "traces_csv_files": "마지막 비교, 모델마다 CSV 파일 하나",
    "read_traces_csv": "각 파일은 스텝마다 한 행, 층·양·유닛마다 한 열입니다(layer0.h[3]은 첫 층 은닉 상태 h의 유닛 3, readout[0]은 입력이 그 스텝에서 끝났다면 나왔을 출력). 그래프가 보여 주는 바로 그 숫자이며, 한국어까지 스프레드시트에서 그대로 열립니다.",
    "compare_first": "먼저 비교하세요: CSV 파일에는 마지막 비교의 트레이스가 담깁니다.",
    "readout_plot": "단어마다의 예측",
    "read_predictions": "한 행이 입력 전체에 대한 모델 하나의 답입니다. *준비 중*은 이번 요청에서 프레임워크를 처음 불러온 모델입니다.",
    "read_readout": "읽는 법: 단어마다 출력층을 적용한 값, 즉 입력이 그 단어에서 끝났다면 나왔을 예측입니다(노트의 `return_sequences=True`).",
    "read_heatmap": "읽는 법: 모델마다 한 열, 층마다 한 블록이고, 각 행은 은닉 유닛, 각 열은 단계입니다. 빨강은 h가 +1에 가깝고 파랑은 −1, 흰색은 0입니다. 마우스를 올리면 토큰, 유닛, 값이 보입니다.",
    "read_gates": "읽는 법: 고른 유닛의 입력 게이트 i(얼마나 쓰는지), 망각 게이트 f(c가 얼마나 남는지: 1이면 그대로 유지), 출력 게이트 o, 셀 상태 c입니다. 기본 RNN에는 이것들이 없습니다.",
    "read_forecast": "읽는 법: 검은 선이 시계열이고, 색깔 선은 각 모델이 바로 앞 구간(window)으로 매 단계를 예측한 값입니다(회색 띠는 예측이 없는 첫 구간). 기호 과제에서는 각 선이 단계마다 모델의 최종 답의 확률입니다.",
    "read_training": "읽는 법: 실선은 학습 손실, 점선은 검증 손실입니다. 검증 손실이 더 나아지지 않으면 학습이 일찍 멈춥니다.",
    "series_from": "시계열 가져오기",
    "source_paste": "붙여넣기",
    "source_csv": "CSV 파일",
    "source_dataset": "내장 데이터셋",
    "bundled_dataset": "내장 데이터셋",
    "numbers_box": "숫자, 또는 기호 과제의 기호(쉼표, 공백, 줄바꿈으로 구분)",
    "csv_file": "CSV 파일",
    "column": "열",
    "forecast_plot": "실제 값 위의 예측",
    "dataset": "데이터셋",
    "backends": "백엔드",
    "epochs": "에포크",
    "head_activation": "출력층 활성화 함수(노트의 relu → tanh)",
    "learning_rate": "학습률",
    "train": "학습",
    "cancel": "취소",
    "loss_plot": "에포크별 손실",
    "results": "결과",
    "backends_intro": "등록된 모든 백엔드 플러그인: 무엇으로 실행되는지, 여기서 실행될 수 없다면 그 이유.",
    "refresh": "새로 고침",
    "check_parity": "NumPy 기준 구현과 일치하는지 확인",
    "parity_label": "일치도(T=50, 무작위 가중치 한 벌)",
    "loading": "⏳ {frameworks}을(를) 처음 불러오는 중입니다(TensorFlow는 시작하는 데 몇 초 걸립니다)…",
    "table_model": "모델",
    "table_prediction": "예측",
    "table_time": "시간",
    "table_task": "과제",
    "table_error": "이 시계열에서의 오차",
    "warm_up": "준비 중",
    "readout_title": "단어마다의 P({positive})",
    "accuracy_updown": "다음 단계 상승/하락 정확도 **{accuracy:.3f}**",
    "cancelling": "취소하는 중: 각 모델은 지금 배치를 마치고 멈추며, 아무것도 저장하지 않습니다.",
    "pick_model": "모델을 하나 이상 고르세요.",
    "pick_backend": "학습할 백엔드를 하나 이상 고르세요.",
    "upload_first": "먼저 CSV 파일을 올리세요.",
    "epoch_axis": "에포크",
    "loss_axis": "손실",
    "train_curve": "{backend} 학습",
    "validation_curve": "{backend} 검증",
    "whole_numbers": "층과 유닛은 정수여야 합니다. 받은 값: {layer}, {unit}",
    "no_such_layer": "{layer}층은 없습니다: 고른 모델의 층은 0부터 {last}까지입니다",
    "add_checkpoint_title": "다른 곳에서 학습한 체크포인트 추가",
    "add_checkpoint_intro": "어느 컴퓨터에서든 `zoo train`이 저장한 `.safetensors` 파일. pickle 없이 읽고, 해당 백엔드로 "
                            "맞는지 확인한 뒤 이 실험실의 모델 캐시에 복사합니다.",
    "checkpoint": "체크포인트",
    "add_checkpoint": "체크포인트 추가",
    "choose_checkpoint": "먼저 .safetensors 체크포인트 파일을 고르세요.",
    "checkpoint_added": "**{label}**을(를) `{id}`(으)로 추가했습니다: {tab} 탭의 모델 목록에서 고르세요.",
    "whole_series_output": "시계열 전체를 하나의 시퀀스로 읽음: 출력 {output}",
    "every_column": "모든 열({count}개), 한 스텝에 열마다 수 하나",
    "import_title": "내 모델: Keras 또는 PyTorch 파일",
    "import_intro": "Keras 모델(`.keras` 또는 예전 형식 `.h5`)이나 PyTorch `state_dict`(`.pt`, `.pth`, `.safetensors`): "
                    "Embedding(있어도 없어도 됨), LSTM·GRU·단순 RNN 층, 그다음 Dense(Linear) 층. 파일 안의 어떤 코드도 실행하지 "
                    "않습니다: 가중치만 읽고, 무작위 입력에서 원래 프레임워크와 결과가 같은지 확인한 뒤, 모든 세션의 모든 모델 목록에 "
                    "넣습니다. 텍스트 모델은 어휘 파일(한 줄에 토큰 하나, 토큰→번호 JSON, TextVectorization 어휘)로 단어를 읽고, "
                    "어휘 파일이 없으면 토큰 번호를 읽습니다.",
    "model_file": "모델 파일",
    "vocabulary_file": "어휘 파일(텍스트 모델, 선택)",
    "import_head_activation": "은닉 Dense 층의 활성화 함수",
    "import_task": "과제",
    "task_binary": "이진 분류(확률 하나)",
    "task_multiclass": "다중 분류(softmax)",
    "task_regression": "회귀(수 하나)",
    "from_the_file": "파일에 적힌 대로",
    "import_model": "모델 가져오기",
    "choose_model_file": "먼저 Keras 또는 PyTorch 모델 파일을 고르세요.",
    "model_imported": "**{label}**을(를) `{id}`(으)로 가져왔습니다: {tab} 탭의 모델 목록에서 고르세요. 무작위 입력에서 "
                      "{framework}와의 가장 큰 차이: {parity}.",
    "limits_intro": "이 실험실이 받아들이는 범위입니다. 각 한도는 실험실을 시작할 때 해당 환경 변수로 정합니다.",
    "limits": "한도",
    # ----- the lab tab -----
    "lab_intro": "짧은 의존성은 쉽지만, 긴 의존성 앞에서 기본 RNN은 기울기 소실 때문에 무너지고 LSTM의 게이트가 이를 해결합니다. "
                 f"여기 모든 모델은 같은 가중치(망각 게이트 편향 {long_range.FORGET_BIAS:g})에서 출발해 같은 예산으로 학습합니다: {_BUDGETS_KO}.",
    "lab_sweep": "1 · 지연(lag) 훑기",
    "lab_tasks": "과제",
    "lab_lags": "지연",
    "lab_show_cached": "저장된 결과 보기",
    "lab_run_sweep": "훑기 실행(저장되지 않은 것만 학습)",
    "lab_sweep_plot": "지연에 따른 점수",
    "lab_read_sweep": "읽는 법: 작은 빈 점 하나하나는 시드 하나의 모델로, 그 시드의 가중치에서 같은 예산으로 한 지연에 대해 학습했습니다. "
                      "선은 시드들의 평균을 잇고, 막대는 ± 퍼짐(표준편차)을 보여 줍니다. 곡선이 점선까지 떨어지면 "
                      "잊어버린 것입니다(찍었을 때의 정확도 — 동전 던지기, temporal-order는 넷 중 하나 — 또는 늘 1이라고 답할 때의 MSE).",
    "lab_gradients": "2 · 기울기 소실",
    "lab_task": "과제",
    "lab_lag": "지연",
    "lab_measure": "‖∂L/∂h_t‖ 측정",
    "lab_gradients_plot": "t에 따른 ‖∂L/∂h_t‖",
    "lab_read_gradients": "읽는 법: 오차 신호가 각 단계에 얼마나 도달하는지입니다. 점선은 학습 전, 실선은 학습 후입니다. "
                          "t = 0 쪽으로 갈수록 몇 자릿수씩 떨어지는 선이 기울기 소실입니다: 앞쪽 단어에서는 배울 수 없습니다.",
    "lab_first_last": "첫 단계 대 마지막 단계",
    "lab_memory": "3 · 기억: 망각 게이트와 포화",
    "lab_trained_at": "학습한 지연",
    "lab_sentence": "문장",
    "lab_trace": "추적",
    "lab_memory_plot": "남아 있는 c₀의 비율",
    "lab_read_memory": "읽는 법: 첫 단계부터의 망각 게이트 곱, 즉 유닛이 0단계에 쓴 것 가운데 t단계의 셀 상태에 아직 남은 비율입니다"
                       "(1이면 전부 유지). 가장 많이 유지하는 유닛 다섯 개를 보여 줍니다.",
    "lab_saturation": "가장 긴 문장들에서의 게이트 포화(Karpathy, Johnson, Fei-Fei 2015)",
    "lab_what_if": "4 · 만약에?",
    "lab_change": "바꿀 것",
    "lab_clamp_0": "망각 게이트를 0으로 고정",
    "lab_clamp_1": "망각 게이트를 1로 고정",
    "lab_silence": "유닛 하나 끄기",
    "lab_unit_to_silence": "끌 유닛",
    "lab_run_both": "둘 다 실행",
    "lab_change_in_h": "h의 변화",
    "lab_read_what_if": "읽는 법: 같은 모델, 같은 문장을 학습된 그대로 한 번, 바꾼 채로 한 번 실행합니다. 위 그래프는 단어마다의 예측, "
                        "히트맵은 h의 변화(바꾼 뒤 빼기 바꾸기 전)입니다.",
    "lab_h_difference": "바꾼 뒤의 h − 바꾸기 전의 h",
    "lab_cached_shown": "저장된 결과 {count}개를 보여 줍니다.",
    "lab_results_done": "결과 {count}개(저장된 칸은 바로 나옵니다).",
    "lab_what_if_summary": "학습된 그대로: **{before}** (P(같음) = {p_before:.3f}) · {change}: **{after}** (P(같음) = {p_after:.3f})",
    "lab_as_trained": "학습된 그대로",
    "lab_lstm": "LSTM",
    "lab_backend": "백엔드",
    "lab_no_what_if": "{backend}은(는) 만약에 실행(what-if)을 지원하지 않습니다",
    "lab_lags_whole": "지연은 쉼표로 구분한 정수로 적으세요. 예: 5, 10, 20, 50",
    "lab_lags_range": "지연은 1부터 1000까지로 주세요",
    "lab_pick_backend": "백엔드를 하나 이상 고르세요.",
    "lab_pick_backend_task": "백엔드와 과제를 하나 이상씩 고르세요.",
    "lab_seeds": "시드",
    "lab_seeds_whole": "시드는 쉼표로 구분한 정수로 적으세요. 예: 0, 1, 2",
    "lab_workers": "작업 프로세스 수",
    "lab_where": "실행할 곳",
    "lab_where_local": "이 컴퓨터의 작업 프로세스",
    "lab_where_ray": "Ray 클러스터",
    "lab_ray_address": "Ray 주소(비우면 RAY_ADDRESS, 그것도 없으면 이 컴퓨터에서 시작한 Ray)",
    "lab_cancel": "취소(끝난 칸은 남깁니다)",
    "lab_sweep_progress": "학습 {done} · 실행 중 {running} · 저장됨 {cached} · 실패 {failed}",
    "lab_failed": "{count}개 칸이 실패했습니다: {cells}",
    "lab_failed_cell": "{backend}, {task}, 지연 {lag}, 시드 {seed} ({error})",
    "lab_cancelled": "취소했습니다: 끝난 칸 {count}개는 남겨 둡니다.",
    "no_such_model": "{unknown}(이)라는 모델은 없습니다. 랩에 있는 모델: {known}",
    "class_one": "클래스 1",
    "dataset_rotten-tomatoes": "영화 리뷰 (rotten-tomatoes)",
    "dataset_long-dependency": "장기 의존성 (long-dependency)",
    "dataset_adding-problem": "덧셈 문제 (adding-problem)",
    "dataset_temporal-order": "시간 순서 (temporal-order)",
    "dataset_sunspots": "태양 흑점 (sunspots)",
    "dataset_co2": "CO₂ 농도 (co2)",
    "dataset_stocks-aapl": "주가: Apple (stocks-aapl)",
    "dataset_stocks-amzn": "주가: Amazon (stocks-amzn)",
    "dataset_stocks-goog": "주가: Google (stocks-goog)",
    "dataset_stocks-ibm": "주가: IBM (stocks-ibm)",
    "dataset_stocks-msft": "주가: Microsoft (stocks-msft)",
    "dataset_sf-temps": "샌프란시스코 기온 (sf-temps)",
    "dataset_seattle-weather": "시애틀 날씨 (seattle-weather)",
    "class_changed": "바뀜",
    "class_same": "같음",
    "class_fresh": "호평",
    "class_rotten": "혹평",
    "metric_accuracy": "정확도",
    "status_available": "사용 가능",
    "status_unavailable": "사용 불가",
    "status_error": "오류",
    "status_blocked": "차단됨",
    "status_loaded": "불러옴",
    "status_queued": "대기 중",
    "status_running": "학습 중",
    "status_done": "완료",
    "status_cancelled": "취소됨",
    "status_failed": "실패",
    "ok_yes": "예",
    "ok_NO": "아니요",
    "series_errors": "RMSE **{rmse:.3g}**, MAE {mae:.3g} (직전 값을 그대로 쓰면: RMSE {persistence:.3g})",
    "plugins_label": "플러그인: 각각이 등록한 것",
    # ----- the learn tab -----
    "learn_intro": "## 식에 실제 모델의 숫자를 넣어 보기\n"
                   "모델을 고르고 문장(시계열 모델이면 숫자)을 입력한 뒤 ◀ ▶로 한 단어씩 넘겨 보세요. "
                   "LSTM(또는 기본 RNN)의 식 하나하나에 고른 단계, 층, 유닛에서 이 모델이 실제로 계산한 숫자가 들어갑니다: "
                   "게이트에 들어가는 값, 게이트의 값, 그리고 나오는 값. 비교 탭의 그래프와 같은 숫자입니다.",
    "learn_model": "모델",
    "learn_input": "입력",
    "learn_input_info": "텍스트 모델에는 문장을, 시계열 모델에는 쉼표로 구분한 숫자를 넣고 Enter를 누르세요.",
    "learn_layer": "층",
    "learn_unit": "유닛",
    "learn_step": "단계 t",
    "learn_numbers": "숫자 데이터",
    "learn_step_of": "단계 t = {step} (0–{last}): “{token}”",
    "learn_where_lstm": "{layer}층, {unit}번 유닛, 단계 t = {step}. 모든 항은 {unit}번 유닛의 몫입니다. xₜ는 이 층이 t단계에서 읽는 값"
                        "(0층에서는 단어의 임베딩, 그 위의 층에서는 아래층의 h)이고, hₜ₋₁과 cₜ₋₁은 이전 단계의 값이며 첫 단어 "
                        "앞에서는 0입니다.",
    "learn_where_rnn": "{layer}층, {unit}번 유닛, 단계 t = {step}. 기본 RNN에는 게이트가 없고 식은 하나뿐입니다: "
                       "sₜ = tanh(W xₜ + U sₜ₋₁ + b). xₜ는 이 층이 t단계에서 읽는 값, sₜ₋₁은 이전 상태(첫 단어 앞에서는 0)입니다.",
    "learn_where_gru": "{layer}층, {unit}번 유닛, 단계 t = {step}. GRU: 업데이트 게이트 z, 리셋 게이트 r, 후보 n이 있고, "
                       "리셋 게이트는 순환 항과 그 편향에 곱해집니다(Keras와 PyTorch 모두 같음).",
    "eq_forget": "망각 게이트 fₜ",
    "eq_forget_means": "이전 셀 상태 cₜ₋₁을 얼마나 기억할지: 1이면 그대로 기억하고, 0이면 지웁니다.",
    "eq_input": "입력 게이트 iₜ",
    "eq_input_means": "새 후보 값 gₜ를 셀에 얼마나 반영할지.",
    "eq_candidate": "후보 값 gₜ",
    "eq_candidate_means": "새 정보, −1과 1 사이의 값.",
    "eq_output": "출력 게이트 oₜ",
    "eq_output_means": "셀의 내용을 은닉 상태 hₜ로 얼마나 내보낼지.",
    "eq_cell": "셀 상태 cₜ",
    "eq_cell_means": "fₜ가 남긴 만큼의 이전 상태에 iₜ가 들여보낸 만큼의 새 정보를 더한 값: LSTM의 장기 기억입니다.",
    "eq_hidden": "은닉 상태 hₜ",
    "eq_hidden_means": "다음 단계와 위층이 보는 값.",
    "eq_rnn_state": "상태 sₜ",
    "eq_rnn_state_means": "기본 RNN의 기억 전부: 이전 상태가 매 단계 U와 tanh를 다시 거치므로 오래전에 읽은 것은 흐려집니다"
                          "(기울기도 마찬가지로 소실됩니다).",
    "eq_update": "업데이트 게이트 zₜ",
    "eq_update_means": "이전 상태 hₜ₋₁을 얼마나 유지할지(1이면 유지).",
    "eq_reset": "리셋 게이트 rₜ",
    "eq_reset_means": "이전 상태를 후보 값에 얼마나 넣을지.",
    "eq_gru_candidate": "후보 값 nₜ",
    "eq_gru_candidate_means": "새 정보, −1과 1 사이의 값.",
    "guide_title": "따라가기: 짧은 의존성과 긴 의존성, relu와 tanh",
    "guide_intro": "노트의 예문을 따라가는 네 단계입니다. 각 단계는 위의 모델, 문장, 유닛, 단계를 정하고 보여 주는 것을 측정합니다. "
                   "1–3단계는 실험실 탭이 “he likes a … but he likes a …” 문장(지연 10)으로 학습한 모델을 씁니다: "
                   "기본 RNN과 LSTM 모두 이 과제를 풀었습니다.",
    "guide_button_1": "1 · 단기 의존성",
    "guide_button_2": "2 · 장기 의존성: 기본 RNN",
    "guide_button_3": "3 · 장기 의존성: LSTM",
    "guide_button_4": "4 · relu → tanh",
    "guide_plot": "측정 결과",
    "guide_1": "**1 · 단기 의존성.** “He likes a pretty girl”: 중요한 단어 *girl*이 마지막 단어라서 멀리 전달할 것이 없습니다. "
               "girl을 boy로 바꾸면 두 모델의 마지막 상태가 바로 달라집니다: ‖Δh‖ = {rnn_diff:.2f}(기본 RNN), "
               "{lstm_diff:.2f}(LSTM). 식은 *{word}*에서 LSTM의 {unit}번 유닛, 즉 이 바꿈으로 가장 크게 움직이는 유닛을 보여 줍니다.",
    "guide_2": "**2 · 장기 의존성, 기본 RNN.** “He seems to like that he likes a girl but he likes a boy.” 그는 여전히 같은 사람을 "
               "좋아할까요? 답하려면 끝에서 다섯 단어 앞의 *girl*이 필요합니다. 이를 *boy*로 바꾸면 정답이 뒤집히는데, 기본 RNN의 "
               "답은 P(same) = {rnn_before:.2f} → {rnn_after:.2f}입니다: 마지막 상태는 여전히 다르지만"
               "(‖Δh‖ = {rnn_diff:.2f}) 그 차이가 더 이상 답을 정하지 못합니다. LSTM은 {lstm_before:.2f} → {lstm_after:.2f}. "
               "식은 마지막 단계에서 RNN의 {unit}번 유닛을 보여 줍니다: 기억이라고는 매 단계 tanh로 눌리는 U sₜ₋₁뿐입니다.",
    "guide_3": "**3 · 장기 의존성, LSTM.** 같은 문장을 LSTM에 넣었습니다. *girl* 이후 망각 게이트가 1에 가깝게 유지됩니다: "
               "가장 많이 기억하는 유닛은 *girl*에서 쓴 것의 {kept:.0%}를 아직 갖고 있습니다(점선, ∏ f). ◀로 한 단계씩 "
               "되돌아가며 첫 번째 식의 fₜ가 1 가까이 머무는 동안 cₜ가 단어를 나르는 것을 보세요. 식은 마지막에 바꿈으로 가장 크게 "
               "움직이는 {unit}번 유닛을 보여 줍니다.",
    "guide_4": "**4 · relu → tanh.** 노트에서 Dense(16) 출력층의 relu를 tanh로 바꿨습니다. 막대는 “He likes a pretty girl”의 "
               "마지막 단어에서 기본 제공 모델의 실제 출력층 활성화 전 값 z와, 각 활성화 함수가 그것을 어떻게 바꾸는지입니다: "
               "relu는 {units}개 유닛 가운데 z < 0인 {negative}개를 0으로 만들고 나머지는 한없이 커지게 둡니다"
               "(여기서는 최대 {largest:.2f}). tanh는 모든 유닛의 부호를 지키며 (−1, 1) 안으로 눌러 넣습니다. LSTM의 hₜ와 같은 "
               "범위입니다. 이 모델은 {activation}(으)로 학습했습니다. relu 모델은 따로 학습해야 해서(몇 분 걸림) 여기서 바로 "
               "보여 주지 않습니다: 학습 탭의 출력층 활성화 함수 선택으로 학습해 비교할 수 있습니다.",
    # ----- plots -----
    "plot_no_answer": "답한 모델이 없습니다",
    "plot_probability": "확률",
    "plot_model_layer": "{name} · {layer}층",
    "plot_unit_axis": "유닛",
    "plot_step_column": "{token} (스텝 {step})",
    "plot_hover_token": "토큰",
    "plot_hover_unit": "유닛",
    "plot_hover_step": "스텝",
    "plot_no_lstm": "답한 LSTM이 없습니다: 기본 RNN에는 게이트도 셀 상태도 없습니다",
    "plot_gate_i": "입력 게이트 i",
    "plot_gate_f": "망각 게이트 f",
    "plot_gate_o": "출력 게이트 o",
    "plot_gate_c": "셀 상태 c",
    "plot_layer_unit": "{layer}층, {unit}번 유닛",
    "plot_gate_g": "후보 g",
    "plot_gate_z": "업데이트 게이트 z",
    "plot_gate_r": "리셋 게이트 r",
    "plot_gate_n": "후보 n",
    "plot_layer_peak": "가장 큰 |h| {peak:.3f}",
    "plot_h_shared": "h",
    "plot_h_per_layer": "h ÷ 그 층의 가장 큰 |h|",
    "plot_model_unit": "{name}, {unit}번 유닛",
    "plot_layer_auto": "{layer}층, 이 입력에서 모델마다 가장 활발한 유닛",
    "plot_layer_every_unit": "{layer}층: 모든 유닛의 게이트",
    "plot_gate_bar": "게이트",
    "plot_candidate_bar": "후보",
    "plot_truth": "실제 값",
    "plot_forecast": "예측",
    "plot_no_results": "아직 결과가 없습니다: 훑기를 실행하세요",
    "plot_mean_spread": "지연 %{x}: 시드 %{customdata[1]}개의 평균 %{y:.4f} ± %{customdata[0]:.4f}",
    "plot_seed_point": "지연 %{x}, 시드 %{text}: %{y:.4f}",
    "plot_chance": "우연 수준",
    "plot_guess_one": "늘 1로 추측할 때의 MSE (1/6)",
    "plot_lag_axis": "지연(기억해야 할 단계 수)",
    "plot_accuracy_axis": "테스트 정확도",
    "plot_mse_axis": "테스트 MSE(낮을수록 좋음)",
    "plot_init": "학습 전",
    "plot_trained": "학습 후",
    "plot_step_axis": "단계 t",
    "plot_unit_name": "{unit}번 유닛",
    "plot_mean_units": "모든 유닛의 평균",
    "plot_kept_axis": "∏ f (남아 있는 c₀의 비율)",
    "plot_remembered_title": "첫 층이 girl과 boy 중 무엇을 읽었는지 아직 얼마나 아는가",
    "plot_remembered_y": "바꾼 뒤의 ‖h − h′‖",
    "plot_kept": "그 단어 이후의 ∏ f",
    "plot_head_title": "출력층 활성화 전 값 z와 relu, tanh를 거친 값",
    "plot_unit": "Dense(16) 출력층의 유닛",
    # ----- 유닛 탭 (zoo.units) -----
    "tab_units": "유닛",
    "open_in_units": "이 유닛을 유닛 탭에서 열기",
    "units_intro": "## 데이터셋 전체에서 각 유닛이 하는 일\n다른 화면은 입력을 하나씩 보여 줍니다. 여기서는 모델이 데이터셋 "
                   "분할 전체(또는 직접 넣은 텍스트나 시계열)를 읽습니다. 시퀀스마다 한 번 추적해 캐시에 두고, 한 층의 유닛을 "
                   "시간에 따라 얼마나 변하는지와 출력과 얼마나 강하게 함께 움직이는지로 순위를 매깁니다. 한 유닛에 대해서는 "
                   "h, c와 모든 게이트가 가장 높고 낮은 문맥을 보여 줍니다(Karpathy, Johnson, Fei-Fei 2015). 아래에서 구간을 "
                   "고르면 그 구간에서 켜지고 주변에서 꺼지는 유닛과, 데이터의 다른 곳에서 같은 모양을 보이는 구간을 찾습니다(LSTMVis).",
    "units_model": "모델",
    "units_against": "유닛별로 비교할 모델(선택): 같은 입력을 읽는 모델",
    "units_source": "읽힐 데이터",
    "units_source_dataset": "데이터셋 분할",
    "units_source_texts": "직접 넣은 텍스트",
    "units_source_csv": "직접 넣은 시계열(CSV)",
    "units_dataset": "데이터셋",
    "units_own_dataset": "모델이 학습한 데이터셋",
    "units_split": "분할",
    "units_split_train": "훈련",
    "units_split_validation": "검증",
    "units_split_test": "테스트",
    "units_texts": "텍스트, 한 줄에 하나씩",
    "units_csv": "숫자가 담긴 CSV 파일",
    "units_column": "열(비우면 숫자가 있는 첫 열)",
    "units_layer": "층",
    "units_unit": "유닛(−1: 가장 많이 변하는 유닛)",
    "units_top": "개수",
    "units_window": "양쪽에 보여 줄 스텝 수",
    "units_explore": "살펴보기",
    "units_ranking": "유닛 순위: 시간에 따른 변화, 출력과의 상관",
    "units_read_ranking": "읽는 법: *시간에 따른 표준편차*는 한 시퀀스 안에서 유닛의 h가 움직이는 정도를 시퀀스에 걸쳐 평균한 값입니다"
                          "(상수만 유지하는 유닛은 0). *출력과의 r*은 매 스텝 h와 모델 출력의 피어슨 상관입니다. 아래는 그 "
                          "유닛의 문맥입니다. 표시된 단어가 그 스텝이고, 괄호 안의 숫자(시퀀스, 스텝 시작:끝, 끝은 제외)는 선택과 매칭에 씁니다.",
    "units_tokens": "토큰별 유닛의 평균 h(두 번 이상 나온 토큰)",
    "units_saturation": "입력 전체에서 게이트 포화: 0.1 미만과 0.9 초과인 스텝의 비율",
    "units_select_intro": "### 선택과 매칭\n한 시퀀스의 구간(문맥에 나온 시퀀스 번호와 스텝)과 문턱값을 고르세요. 구간 전체에서 "
                          "h가 문턱값 이상이고 바로 주변에서는 그보다 낮은 유닛이 선택되고, 그 유닛이 모두 켜지는 데이터의 다른 "
                          "구간이 선택과 길이가 같은 것부터 나열됩니다.",
    "units_sequence": "시퀀스",
    "units_start": "첫 스텝",
    "units_stop": "끝(마지막 스텝 다음)",
    "units_threshold": "문턱값(h가 이 값 이상이면 켜짐)",
    "units_margin": "주변에서 꺼져 있어야 할 스텝 수",
    "units_select": "선택과 매칭",
    "units_highest": "가장 높은 곳",
    "units_lowest": "가장 낮은 곳",
    "units_where": "시퀀스 {sequence}, 스텝 {step}:{stop}",
    "units_summary": "**{states}**: 시퀀스 {sequences:,}개, 스텝 {steps:,}개. {layer}층, 유닛 {unit}.",
    "units_correlation": "**{states}와 비교**, 같은 스텝에서 유닛별로: 같은 유닛끼리 h의 피어슨 r 평균 {mean:.3f}, 최저 "
                         "{min:.3f}. 유닛 {unit}: {r:+.3f}, 그와 가장 가까운 다른 유닛은 |r| = {other:.3f}.",
    "units_selected": "<mark>{span}</mark>에서 켜지고 주변에서 꺼지는 유닛: <b>{units}</b>. 이 유닛이 모두 켜지는 다른 곳:",
    "units_selected_none": "이 문턱값에서는 구간 전체에서 켜지고 주변에서 꺼지는 유닛이 없습니다: 문턱값을 낮추거나, 구간을 "
                           "줄이거나, 주변에서 꺼져 있어야 할 스텝 수를 줄이세요.",
    "units_no_matches": "데이터의 다른 곳에는 없습니다",
    "units_explore_first": "먼저 살펴보기를 누르세요: 선택과 매칭은 마지막으로 살펴본 상태에서 동작합니다.",
    "units_whole_number": "{name}은(는) 정수여야 합니다(허용되는 최솟값 이상). 받은 값: {value}",
    # ----- table headers -----
    "column_name": "이름",
    "column_family": "계열",
    "column_framework": "프레임워크",
    "column_version": "버전",
    "column_plugin": "플러그인",
    "column_distribution": "배포 패키지",
    "column_plugin_version": "플러그인 버전",
    "column_status": "상태",
    "column_reason": "이유",
    "column_backends": "백엔드",
    "column_datasets": "데이터셋",
    "column_formats": "파일 형식",
    "column_backend": "백엔드",
    "column_max |diff|": "최대 |차이|",
    "column_ok": "결과",
    "column_limit on": "제한 대상",
    "column_value": "값",
    "column_environment variable": "환경 변수",
    # 유닛 탭과 실험실 탭의 표
    "column_rank": "순위",
    "column_unit (change)": "유닛(변화)",
    "column_std over time": "시간에 따른 표준편차",
    "column_unit (output)": "유닛(출력)",
    "column_r with output": "출력과의 r",
    "column_token": "토큰",
    "column_mean h": "평균 h",
    "column_count": "횟수",
    "column_gate": "게이트",
    "column_layer below 0.1": "층 전체 0.1 미만",
    "column_layer above 0.9": "층 전체 0.9 초과",
    "column_unit below 0.1": "유닛 0.1 미만",
    "column_unit above 0.9": "유닛 0.9 초과",
    "column_task": "과제",
    "column_lag": "지연",
    "column_seed": "시드",
    "column_score": "점수",
    "column_metric": "지표",
    "column_steps": "학습 스텝",
    "column_seconds": "시간(초)",
    "column_weights": "가중치",
    "column_‖∂L/∂h_0‖ / ‖∂L/∂h_T‖": "‖∂L/∂h_0‖ / ‖∂L/∂h_T‖",
    "column_layer": "층",
    "column_below 0.1": "0.1 미만",
    "column_above 0.9": "0.9 초과",
    "column_dataset": "데이터셋",
    "column_epochs": "에포크",
    "column_test metrics": "테스트 지표",
    # ----- the tools (zoo_lab.tools) -----
    "tool_range": "{name}은(는) {low}에서 {high} 사이여야 합니다. 받은 값: {value}",
    "tool_no_lab_task": "랩에 {task} 과제가 없습니다. 랩의 과제: {tasks}",
}

I18N = gr.I18n(en=EN, ko=KO)
LANGUAGES = {"en": EN, "ko": KO}


def language(request: gr.Request | None) -> str:
    """The first language of the request's Accept-Language that the lab speaks; English otherwise."""
    header = (request.headers.get("accept-language", "") if request is not None else "") or ""
    for part in header.split(","):
        code = part.split(";")[0].strip().lower().split("-")[0]
        if code in LANGUAGES:
            return code
    return "en"


def translate(key: str, lang: str = "en", **values) -> str:
    text = LANGUAGES.get(lang, EN)[key]
    return text.format(**values) if values else text


def word(kind: str, value, lang: str) -> str:
    """A value of the data that is a word, as the page says it: a shipped data set's class (``class_same``), a
    registration's status (``status_available``) in ``lang``; any other (XX, a user's own labels) as the data
    names it. The CLI, the API and the tools keep the data's own values."""
    key = f"{kind}_{value}"
    return translate(key, lang) if key in EN else value


def labelled(kind: str, values) -> list[tuple]:
    """A picker's choices as the page builds them: each value with its ``<kind>_<value>`` label where the lab
    has one (a task's question, a bundled data set's name; the browser says it in its language), else the
    value itself. The handler gets the value. :func:`word` is the same for text written at request time."""
    return [(I18N(f"{kind}_{value}") if f"{kind}_{value}" in EN else value, value) for value in values]


def table(rows: list[list], columns, lang: str) -> dict:
    """A table as a gr.Dataframe shows it, its headers (``column_<name>`` keys) in the page's language; in
    English they are the CLI's and the API's column names."""
    return {"headers": [translate(f"column_{c}", lang) for c in columns], "data": rows}

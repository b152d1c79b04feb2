"""What the core says to a user, in English and Korean: one catalog of message keys and their texts.

``message(key, **values)`` is a :class:`Message`: a ``str`` whose value is the English text, so everything
that prints or matches it (the CLI, logs, a ZooError's ``str``) reads English, and which keeps its key and
values, so the lab can say it in the request's language with :func:`say`. A message pickles like any
str, so it crosses the backends' worker processes inside a ZooError. A plain string (a third-party
plugin's own message) stays as written.
"""
from __future__ import annotations

EN = {
    # ----- text, series and symbols typed into the lab (workbench, series, prepare) -----
    "type_a_sentence": "type a sentence first",
    "text_too_long": "the text is {length:,} characters long; the lab takes at most {most:,} ({env})",
    "text_broken_unicode": "the text is not valid Unicode (a broken character at position {position})",
    "no_text_model": "none of the chosen models reads text: pick a text model",
    "no_words": "the text has no words or symbols in it",
    "unknown_words": "{unknown} of {tokens} tokens are not in this model's vocabulary (read as <unk>): {examples}",
    "only_unknown_words": "none of the {tokens} token(s) is in this model's vocabulary: it sees only <unk>, "
                          "so its answer says nothing about the text",
    "series_nan_or_inf": "the series contains NaN or infinite values",
    "no_series_model": "none of the chosen models forecasts a series: pick a series model",
    "series_too_long": "the series has {steps:,} steps; the lab takes at most {most:,} ({env})",
    "series_not_text": "a series must be given as text, not {kind}",
    "series_empty": "the series is empty: give numbers separated by commas or spaces, e.g. 1, 2, 3",
    "series_not_a_number": "value {position} of the series, {part!r}, is not a number",
    "series_not_finite": "value {position} of the series is {part!r}: only finite numbers can be used",
    "series_too_short": "only {count} number(s) given; a series needs at least 3",
    "type_symbols": "type a sequence of symbols first",
    "no_symbol_model": "none of the chosen models reads a sequence of symbols: pick one of that task's models",
    "unknown_symbols": "this model reads the symbols {symbols}; not {unknown}",
    "needs_window": "this model needs more than {window} steps (its window)",
    # ----- the backends' worker processes (workers) -----
    "backend_killed": "{backend} was killed after {seconds:g} s without an answer ({env}){then}",
    "backend_killed_trying": "{backend} was killed after {seconds:g} s trying to {what}{then}",
    "backend_crashed": "{backend} {how} while it tried to {what}{then}",
    "crashed_with": "crashed with {signal}",
    "exited_with": "exited with status {status}",
    "backend_over_memory": "{backend} went over its memory limit of {most:g} MiB ({env}) and was stopped{then}",
    "fresh_worker_next": "; a fresh worker takes the next request",

    # ----- plugins, backends and the lab's sweeps (plugins, workers, long_range, fanout) -----
    "module_not_installed": "{module} is not installed: {install}",
    "module_not_installed_plain": "{module} is not installed: install it",
    "plugin_not_allowed": "not in {env}",
    "plugin_blocked": "named in {env}",
    "plugin_failed_to_load": "failed to load: {error}",
    "hook_raised": "{hook} raised {error}",
    "name_taken": "name {name!r} is already registered by plugin {owner!r}",
    "registered_wrong_kind": "registered a {got}, expected {kind}",
    "invalid_registered_name": "invalid name {name!r}: use 1-64 lowercase letters, digits, '.', '_' or '-'",
    "unknown_family": "family {family!r} is not one of zoo.family's ({families}): add it there first",
    "no_backend_named": "no backend named {name!r}; registered: {names}",
    "no_dataset_named": "no dataset named {name!r}; registered: {names}",
    "no_format_named": "no model format named {name!r}; registered: {names}",
    "format_not_available": "the {name} format is {status}: {reason}",
    "no_format_reads": "{file}: no installed plugin reads {suffix} files (readable: {readable})",
    "no_format_reads_bare": "{file}: no installed plugin reads files without a suffix (readable: {readable})",
    "framework_file_unavailable": "{file} is a {framework} file: {reason}",
    "backend_not_available": "backend {name!r} is {status}: {reason}",
    "backend_failed_import": "failed to import {factory}: {error}",
    "backend_broken": "backend {name!r} is broken: {reason}",
    "worker_could_not_start": "{backend}'s worker process could not start ({error}); a script that uses the lab's models "
                              "must guard its top level with if __name__ == '__main__', as multiprocessing asks",
    "worker_stopped": "{backend}'s worker was stopped before it could {what}",
    "backend_failed": "{backend} failed: {error}",
    "cell_failed": "{backend} on {task} at lag {lag}, seed {seed}: {error}",
    "needs_ray": "running on Ray needs Ray: {install}",
    "not_fitted": "{backend} has not been trained: call fit, set_weights or load a checkpoint before predict",
    "backend_failed_in": "{backend} failed in {what}: {error}",
    "backend_wrong_shape": "{backend} returned {what} of shape {shape}, expected {expected}",
    "backend_wrong_layers": "{backend} traced {traced} layer(s), the model has {layers}",
    "backend_wrong_gates": "{backend} traced gates {gates} in layer {layer}, {family} has {expected}",
    "backend_no_cell_state": "{backend} traced layer {layer} without a cell state; {family} has one",
    "backend_stray_cell_state": "{backend} traced layer {layer} with a cell state; {family} has none",
    "text_not_a_string": "text must be a string, not {kind}",
    "dataset_too_big": "n × length is {steps:,}; at most {most:,} fit in memory: lower n or length",
    "dataset_parameter_range": "{name} must be a whole number from {low:,} to {high:,}, not {value!r}",
    "job_raised": "{kind}: {error}",  # an exception that is not the zoo's own, in a sweep's job or a training
    "job_worker_died": "its worker process died ({how})",
    "job_ray_worker_died": "its Ray worker process died",
    "job_ray_driver_died": "the process driving Ray died ({how}); the cluster may have gone down",
    "ray_unreachable": "could not join the Ray cluster at {address}: {error}",
    "ray_could_not_start": "could not start a local Ray instance: {error}",
    "ray_no_answer": "no answer within {seconds} s",

    # ----- files: CSV uploads, checkpoints, imported models (userdata, checkpoint, interchange, plugins' files.py) -----
    # what an import assumed or left out (its notes; plugins' files.py)
    "note_head_from_metadata": "head activation {activation}: from the file's metadata (zoo export)",
    "note_head_assumed": "head activation {activation}: assumed, a state_dict cannot tell (--head-activation sets it)",
    "note_task_from_metadata": "task {task}: from the file's metadata (zoo export)",
    "note_task_assumed_one": "task {task}: assumed from {count} output (--task sets it)",
    "note_task_assumed_many": "task {task}: assumed from {count} outputs (--task sets it)",
    "note_rnn_as_tanh": "nn.RNN read as tanh (nonlinearity='relu' does not show in a state_dict; the zoo's RNN is tanh)",
    "note_weights_as_float32": "{dtypes} weights read as float32",
    "note_every_step": "{layer} returns every step and the Dense layers after it run on each; the zoo reads the last step, "
                       "which is the last row of Keras's output",
    "note_no_hidden_dense": "no hidden Dense layer: the head activation ({activation}) is not used",
    "note_dropout_left_out": "Dropout off at inference: {layers} left out of the spec, which keeps only the rate before the "
                             "output layer",
    "note_mask_zero": "{layer} masks id 0 (mask_zero): with right padding Keras reads what the zoo reads, the state at a "
                      "sequence's last real token",
    "csv_binary": "this is a binary file (an image, a spreadsheet, an archive?), not CSV text: "
                  "export the data as CSV and try again",
    "csv_empty": "the CSV is empty: give a header line and at least one row of values",
    "csv_unreadable": "could not read this as CSV ({reason}): check that every row has as many "
                      "comma-separated values as the header and that every quote is closed",
    "csv_no_rows": "the CSV has a header ({columns}) but no rows of data",
    "csv_no_number_column": "no column of numbers in this CSV; its columns are {columns}",
    "csv_no_such_column": "no column named {column!r}; the CSV has {columns}",
    "csv_series_too_short": "column {column!r} has {count} value(s); a series needs at least 3",
    "csv_value_empty": "row {row} of column {column!r} is empty (rows are counted after the header): "
                       "every value of a series must be a number",
    "csv_value_not_a_number": "row {row} of column {column!r} is {value!r}, not a finite number (rows are counted "
                              "after the header): every value of a series must be a number",
    "csv_same_columns": "the text column and the label column must be two different columns",
    "csv_texts_empty": "every text in column {column!r} is empty",
    "csv_too_few_texts": "only {count} row(s) have a text; at least 4 are needed to train and test",
    "csv_no_label": "row {row} has a text but no label in column {column!r}: "
                    "give every text a label or delete the row (rows are counted after the header)",
    "csv_one_label": "every row has the label {label!r}: a classifier needs at least 2 different labels",
    "csv_too_many_labels": "column {column!r} has {count} different labels; at most {most} "
                           "are supported. Is it really the label column?",
    "csv_paste_too_big": "the pasted text is over {most}: paste fewer rows or upload the file",
    "csv_no_file": "there is no file {path!r}",
    "csv_wrong_source": "a CSV must be given as a file path, bytes or text, not {kind}",
    "csv_too_big": "the file is {size}; the limit is {most} ({env}): use fewer rows or columns",
    "csv_not_utf8": "the file is not UTF-8 text (looks like {encoding}?): "
                    "open it in a spreadsheet or text editor and save it as 'CSV UTF-8'",
    "encoding_euc_kr": "EUC-KR, Korean",
    "encoding_windows": "Windows-1252 or Latin-1",
    "encoding_legacy": "a legacy 8-bit encoding",
    "names_and_more": "{names} and {more} more",
    "size_bytes": "{count} bytes",
    "checkpoint_unreadable": "{file} is not a readable safetensors checkpoint ({error})",
    "checkpoint_not_zoo": "{file} is a safetensors file but not an RNN Zoo checkpoint (no '{metadata}' metadata)",
    "checkpoint_corrupt_metadata": "{file} has corrupt metadata",
    "checkpoint_unknown_format": "{file} has an unknown checkpoint format {format!r}",
    "checkpoint_corrupt_tensors": "{file} has corrupt tensors ({error})",
    "checkpoint_missing_fields": "{file} does not say its {fields}: not a model checkpoint",
    "checkpoint_wrong_family": "{file} holds {family} weights from {backend}, which do not fit a {wanted} backend",
    "checkpoint_no_dataset": "{file} does not say which dataset it was trained on",
    "upload_too_big": "the file is {size:.3g} MiB; uploads are limited to {most:g} MiB ({env})",
    "upload_no_preprocessing": "{file} has weights but no record of its {kind} preprocessing ({keys}): "
                               "the lab reads checkpoints written by `zoo train`",
    "weights_mismatch": "weights do not match the model: missing {missing}, unexpected {extra}",
    "nothing": "nothing",
    "weight_wrong_shape": "weight {name!r} has shape {shape}, the model needs {needed}",
    "weight_not_numeric": "weight {name!r} is not numeric ({dtype})",
    "weight_not_finite": "weight {name!r} contains NaN or infinity",
    "import_unreadable": "{file} could not be read as a {framework} model: {error}",
    "import_parity_failed": "{file}: {backend} differs from {framework} by {diff:.2e}, over {tolerance:g}; "
                            "nothing was written (please report the file's architecture)",
    "vocabulary_not_utf8": "{file} is not UTF-8 text: a vocabulary is one token a line or JSON",
    "vocabulary_bad_json": "{file} is not valid JSON ({error} at line {line})",
    "vocabulary_gaps": "{file} maps tokens to ids that are not 0..n-1 (or 1..n) without gaps",
    "vocabulary_bad_json_shape": "{file}: a JSON vocabulary is a list of tokens or an object token → id",
    "vocabulary_too_big": "{file} has {tokens:,} tokens, the model's embedding only {size:,}",
    "vocabulary_duplicate": "{file} lists a token twice",
    "vocabulary_not_tokens": "{file} reads numbers, not tokens: a vocabulary does not apply",
    "head_activation_choice": "the head activation must be one of {choices}, not {value!r}",
    "task_choice": "the task must be one of {choices}, not {value!r}",
    "keras_layer": "layer {name!r} ({cls})",
    "keras_where": "{file}: {layer}",
    "keras_why_activation": "its equations have tanh there",
    "keras_why_recurrent_activation": "its gates are sigmoids",
    "keras_why_reset_after": "its GRU applies the reset gate after the recurrent product, with two biases",
    "keras_why_go_backwards": "it reads forwards",
    "keras_why_stateful": "every sequence starts from a zero state",
    "keras_why_use_bias": "every layer has biases",
    "keras_why_return_state": "a layer passes on its output only",
    "keras_refused_lambda": "it holds Python code (never run here) that the canonical model has no place for",
    "keras_refused_bidirectional": "it reads the sequence both ways; the canonical model reads it forwards only",
    "keras_refused_masking": "it masks steps by value inside the stack; the zoo reads a sequence up to its length",
    "keras_refused_text_vectorization": "it turns strings into ids inside the model; save the model from the layer after "
                                        "it, and its vocabulary (json.dump(layer.get_vocabulary(), f)) to pass as "
                                        "--vocabulary",
    "keras_refused_attention": "attention is not part of the canonical model",
    "keras_refused_time_distributed": "the canonical head reads one step, not every step",
    "keras_not_zip": "{file} is not a .keras file, a zip archive ({error}): truncated or corrupt?",
    "keras_config_json": "{file}'s config.json",
    "keras_model_config": "{file}'s model_config",
    "keras_weights_not_hdf5": "{file}: model.weights.h5 is not an HDF5 file ({error})",
    "keras_zip_no_weights": "{file}: model.weights.h5 has no weights for {layer}",
    "keras_no_member": "{file} has no {name}: not a Keras 3 model file",
    "keras_no_member_sharded": "{file} has no {name}: not a Keras 3 model file "
                               "(sharded weights are not read: save the model in one file)",
    "keras_member_too_big": "{file}: {name} unpacks to {size:.3g} MiB, over the checkpoint limit",
    "keras_member_corrupt": "{file}: {name} cannot be unpacked ({error}): truncated or corrupt?",
    "keras_not_hdf5": "{file} is not an HDF5 file ({error}): truncated or corrupt?",
    "keras_weights_only": "{file} holds no model_config: a weights-only file (save_weights) has no "
                          "architecture to read; save the whole model with model.save",
    "keras_h5_no_weights": "{file}: model_weights has no weights for {layer}",
    "keras_not_json": "{what} is not JSON ({error})",
    "keras_not_a_configuration": "{what} is not a Keras model configuration",
    "keras_weight_shapes": "{file}: {layer} has weights of shapes {found}; its configuration needs {needed}",
    "keras_weights_not_floats": "{file}: {layer} has {dtype} weights, not floating point",
    "keras_no_recurrent_or_dense": "{file}: the model needs one or more LSTM, GRU or SimpleRNN layers and an output "
                                   "Dense; it has {layers}",
    "keras_no_layers": "no layers",
    "keras_out_of_place": "{file}: {layer} is out of place: the canonical model is an optional Embedding, then the "
                          "recurrent layers, then Dense layers",
    "keras_mixed_families": "{file}: the recurrent layers mix {families}; a zoo model is one family",
    "keras_last_step_only": "{file}: {layer} returns only its last step, but a recurrent layer follows it",
    "keras_head_activations": "{file}: the hidden Dense layers use {activations}; the canonical head has one "
                              "activation, {choices}",
    "keras_head_activation_differs": "{file}'s Dense layers use {activation}, not the head activation {wanted} asked for",
    "keras_output": "{file}: the output {layer} has {units} unit(s) with {activation}; the canonical output is 1 "
                    "sigmoid unit (binary), 2 or more softmax units (multiclass) or 1 linear unit (regression)",
    "keras_output_task": "{file}'s output {layer} ({activation}) makes the task {file_task}, not {task}",
    "keras_input_shape": "{file}: the input has shape {shape}; the canonical model reads (batch, steps) ids "
                         "into an Embedding or (batch, steps, features) numbers",
    "keras_weights_too_big": "{file}: the configuration makes {size:.3g} MiB of weights, over the checkpoint limit",
    "keras_model_class": "{file}: the model is a {kind!r} ({module}); only Sequential and functional models are "
                         "read, since a subclassed model's file holds no layers",
    "keras_no_module": "no module",
    "keras_lists_no_layers": "{file}: the model configuration lists no layers",
    "keras_custom_layer": "{where} is a custom layer ({name}); custom code is never run here",
    "keras_refused": "{where} is refused: {reason}",
    "keras_unknown_layer": "{where} is not a layer the canonical model has (Embedding, LSTM, GRU, SimpleRNN, Dense, "
                           "Dropout)",
    "keras_dtype": "{where} computes in {dtype}; the zoo reads float32 models",
    "keras_unknown_options": "{where} has option(s) {options} that this reader does not know",
    "keras_fixed_option": "{where} has {option}={value!r}, the canonical model {wanted!r}",
    "keras_fixed_option_why": "{where} has {option}={value!r}, the canonical model {wanted!r}: {why}",
    "keras_custom_object": "{where} uses the custom object {name!r}; custom code is never run here",
    "keras_inputs_outputs": "{file}: the model has {inputs} input(s) and {outputs} output(s); "
                            "the canonical model has one of each",
    "keras_broken_graph": "{file}: the layer graph does not lead from the output back to the input",
    "keras_layer_inputs": "{file}: layer {name!r} takes {count} inputs; the canonical model is one chain",
    "keras_layer_keywords": "{file}: layer {name!r} is called with {keywords}; the canonical model "
                            "passes each layer nothing but the previous layer's output",
    "keras_off_the_chain": "{file}: layer {name!r} ({cls}) is not on the path from the input to the output; "
                           "the canonical model is one chain",
    "keras_layer_reused": "{file}: layer {name!r} is called {count} times; the canonical model uses every layer once",
    "keras_inbound_node": "{file}: layer {name!r} has an inbound node this reader cannot follow",
    "keras_never_built": "{file}: the model was never built (no input shape), so it has no weights to read",
    "keras_export_suffix": "{file}: a Keras export is a .keras file; name it {stem}.keras",
    "torch_embedding": "{name} (Embedding {inputs} × {outputs})",
    "torch_module": "{name} ({kind} {inputs} → {outputs})",
    "torch_module_layers": "{name} ({kind} {inputs} → {outputs}, {layers} layers)",
    "torch_top_level": "the top level",
    "torch_in_file": "{file}: {error}",
    "torch_not_floats": "{file}: {tensor} is a {dtype} tensor, not dense floats: weights are floats",
    "torch_one_output": "{file}: the output layer {layer} has {count} output; task {task} needs at least 2 (one per class)",
    "torch_many_outputs": "{file}: the output layer {layer} has {count} outputs; task {task} needs 1 "
                          "(more is --task multiclass)",
    "torch_pickled_named": "{file} holds Python objects besides tensors ({name}), which weights_only loading refuses, "
                           "so nothing in it was run. A whole model saved with torch.save(model) is one: save "
                           "model.state_dict() instead",
    "torch_pickled": "{file} holds Python objects besides tensors, which weights_only loading refuses, so nothing in "
                     "it was run. A whole model saved with torch.save(model) is one: save model.state_dict() instead",
    "torch_unreadable": "{file} is not a readable torch.save file, truncated or corrupt? ({error})",
    "torch_held_mapping": "a mapping of {keys}",
    "torch_held_object": "a {kind}",
    "torch_not_a_state_dict": "{file} holds {held}, not a state_dict: a mapping of names to tensors "
                              "(model.state_dict()), or one under {keys}",
    "torch_safetensors_unreadable": "{file} is not a readable safetensors file, truncated or corrupt? ({error})",
    "torch_already_a_checkpoint": "{file} is already an RNN Zoo checkpoint: use it directly",
    "torch_no_tensors": "{file} holds no tensors",
    "torch_corrupt_metadata": "{file} has corrupt '{metadata}' metadata",
    "torch_no_recurrent": "no nn.LSTM, nn.GRU or nn.RNN weights (weight_ih_l0 …) among {modules}: "
                          "nothing recurrent to import",
    "torch_mixed_families": "the recurrent modules mix {kinds} ({modules}): the canonical model has one recurrent family",
    "torch_weight_without_bias": "{label} has a weight {shape} and no bias: an nn.Linear with bias=False, which the "
                                 "canonical model does not have, or an nn.Embedding no recurrent module reads",
    "torch_no_linear": "no nn.Linear layer after {module}: the canonical model's output is a Linear layer "
                       "reading the last step",
    "torch_linear_bias": "{label}: a Linear weight {shape} needs a bias ({rows},), not {bias}",
    "torch_not_in_layout": "{label} has {shapes}: not part of the layout an import reads (an optional nn.Embedding, "
                           "nn.LSTM / nn.GRU / nn.RNN modules, then nn.Linear layers); attention, normalisation, "
                           "convolution and other layers cannot be imported",
    "torch_bidirectional": "{label} is bidirectional (its *_reverse weights read the sequence backwards): "
                           "the canonical model reads forwards only",
    "torch_projection": "{label} has proj_size (weight_hr_l* weights): the canonical LSTM has no projection",
    "torch_no_bias": "{label} has no {missing}: bias=False, which the canonical model does not have",
    "torch_lacks": "{label} lacks {missing}",
    "torch_blocks": "{label}: weight_hh_l0 has shape {shape}, not 4 (LSTM), 3 (GRU) or 1 (RNN) blocks of "
                    "hidden_size rows by hidden_size columns",
    "torch_parameter_shape": "{label}: {parameter} has shape {shape}; an nn.{cell} of hidden size {hidden} needs {needed}",
    "torch_no_chain_one": "the layers do not chain: {module} does not read the {width} values {after} gives",
    "torch_no_chain": "the layers do not chain: {modules} do not read the {width} values {after} gives",
    "torch_export_suffix": "{file}: a PyTorch export is a .safetensors file (torch.save would pickle)",

    # ----- units, the Learn step, what-if and limits (units, learn, intervention, limits) -----
    # the limits in force and their units (limits)
    "limit_text_chars": "text compared at once",
    "limit_series_steps": "series compared at once",
    "limit_upload_mb": "one uploaded file (CSV or checkpoint)",
    "limit_checkpoint_mb": "a checkpoint file read from disk",
    "limit_backend_seconds": "one model answering one input (loading its framework not counted)",
    "limit_backend_mb": "the memory of one backend's worker process (its framework, models and answers)",
    "limit_training_minutes": "one training started from the lab; it then stops and keeps its best epoch",
    "limit_training_jobs": "trainings running at once; more wait in line",
    "unit_characters": "characters",
    "unit_steps": "steps",
    "unit_seconds": "seconds",
    "unit_minutes": "minutes",
    "unit_trainings": "trainings",
    "no_checkpoint_or_lab_model": "no checkpoint file or lab model {name!r}: give a .safetensors file or an id such as "
                                  "default/long-dependency-torch-lstm-seed0",
    "no_preprocessing_record": "{file} has no record of its preprocessing: the explorer reads checkpoints written by "
                               "`zoo train` or `zoo import`",
    "split_one_of": "the split is one of {splits}, not {split!r}",
    "no_dataset_recorded": "{file} does not say which dataset it was trained on: give a dataset, or your own texts or series",
    "dataset_not_text": "{name} is a {kind} dataset, and this model reads text",
    "dataset_is_text": "{name} is a text dataset, and this model reads numbers",
    "preprocessing_cannot_read": "this model's preprocessing ({kind}) cannot read {name}, a {type}: explore it on its own "
                                 "dataset, or on your own texts or series",
    "reads_numbers_not_text": "this model reads numbers, not text: give it a series (a CSV of numbers)",
    "no_text_has_words": "none of the texts has a word or symbol in it: give at least one line of text",
    "reads_text_not_numbers": "this model reads text, not numbers: give it texts",
    "reads_symbols_use_dataset": "this model reads sequences of symbols: explore it on its dataset",
    "series_must_be_numbers": "a series must be numbers",
    "series_wrong_shape": "this model reads {features} number(s) per step; the series has shape {shape}",
    "series_shorter_than_window": "this model reads windows of {window} steps; the series has {steps}",
    "input_over_upload_limit": "the input is {size:.3g} MiB, over the upload limit ({env})",
    "no_quantity": "no {quantity!r} in layer {layer}: it has {quantities}",
    "no_unit": "no unit {unit} in layer {layer}: it has units 0 to {last}",
    "token_means_need_tokens": "per-token means need words or symbols; this model reads numbers",
    "no_sequence": "no sequence {sequence}: the split has 0 to {last}",
    "span_outside_sequence": "the span must lie within the sequence's {steps} steps and hold at least one, not {start} to {stop}",
    "no_unit_follows": "no unit follows the selected pattern: widen the span or lower the threshold",
    "models_read_different_inputs": "the two models were run on different inputs (their vocabularies or preprocessing differ)",
    "layer_units_differ": "layer {layer} has {one} units in one model and {other} in the other",
    "learn_no_model": "no model named {name}; the Learn tab has {known}",
    "layer_does_not_exist": "layer {layer} does not exist: the model has layers 0 to {last}",
    "layer_has_units": "layer {layer} has units 0 to {last}, not {given}",
    "input_has_steps": "the input has steps 0 to {last}, not {step}",
    "learn_unknown_family": "the Learn tab knows the LSTM, GRU and plain RNN equations, not a {family}'s",
    "word_not_in_text": "{word!r} is not in {text!r}",
    "no_forget_gate": "{family} has no forget gate to clamp",
    "forget_gate_range": "a forget gate lies between 0 and 1",
    "unusable_limit": "{env}={raw!r} is not a usable limit: give a positive number of {unit}",
    "no_file_at": "no {what} at {path}",
    "what_file": "file",
    "what_checkpoint": "checkpoint",
    "file_over_limit": "{file} is {size:.3g} MiB, over the {most:g} MiB limit ({env} raises it)",
    "sequences_at_least_one": "the number of sequences must be at least 1, not {sequences}",
    "lstmvis_needs_text": "LSTMVis shows states against words, and this model reads numbers: "
                          "`zoo trace --checkpoint … --series … --csv FILE` writes its trace for one series",
    "no_registered_dataset_named": "no registered dataset is named {name!r}",
    "own_dataset_not_registered": "the checkpoint's own dataset, {name!r}, is not registered",
    "choose_text_dataset": "{unknown}: choose a text dataset with --dataset ({datasets})",

    # ----- the rest of what the lab says (backends, training, datasets) -----
    # training and datasets
    "training_out_of_time": "the {minutes:g}-minute limit ({env}) came before the first epoch ended; nothing was saved",
    "training_stopped_at_limit": "stopped at the {minutes:g}-minute limit ({env}); kept the best epoch so far",
    "training_settings": "epochs and batch_size must be at least 1 and lr positive",
    "sequence_dimensions": "one sequence must have {want} dimension(s) for {kind} input, got shape {shape}",
    "sequence_no_steps": "sequences must have at least one step",
    "tokens_shape": "token input must be (N, T) ids, got shape {shape}",
    "tokens_not_integers": "token ids must be integers, got {dtype}",
    "tokens_out_of_range": "token ids must lie in [0, {size}), got [{low}, {high}]",
    "features_shape": "feature input must be (N, T, {features}), got shape {shape}",
    "features_not_numbers": "features must be numbers, got {dtype}",
    "features_not_finite": "features contain NaN or infinity",
    "bad_lengths": "lengths must give 1..{steps} real steps for each of the {count} sequences",
    "targets_not_finite": "targets must be finite numbers",
    "binary_targets": "binary targets must be 0 or 1",
    "class_ids": "class ids must be integers in [0, {classes})",
    "cannot_prepare": "cannot prepare a {kind}",
    "too_few_texts_with_words": "fewer than 4 texts have any words in them",
    "series_target": "series target must be one of {targets}, not {target!r}",
    "series_too_short_for_window": "{dataset} has {steps} steps: a window of {window} needs at least {needed}",
    "values_overflow": "values as large as {largest:.3g} overflow the model's 32-bit numbers: "
                       "divide the series by a power of ten",
    "values_overflow_scaled": "values as large as {largest:.3g} overflow the model's 32-bit numbers once scaled "
                              "to its training data: divide the series by a power of ten",
    "type_symbols_example": "type a sequence of symbols first, e.g. {examples}",
    "dataset_parameters": "dataset {name!r} takes the parameters {accepted}; got {given}",
    "none": "none",
}

KO = {
    # ----- text, series and symbols typed into the lab (workbench, series, prepare) -----
    "type_a_sentence": "먼저 문장을 입력하세요",
    "text_too_long": "텍스트가 {length:,}자입니다. 랩은 최대 {most:,}자까지 받습니다({env})",
    "text_broken_unicode": "텍스트가 올바른 유니코드가 아닙니다({position}번째 위치에 깨진 문자)",
    "no_text_model": "고른 모델 중 텍스트를 읽는 모델이 없습니다. 텍스트 모델을 고르세요",
    "no_words": "텍스트에 단어나 기호가 없습니다",
    "unknown_words": "토큰 {tokens}개 중 {unknown}개가 이 모델의 어휘에 없습니다(<unk>로 읽음): {examples}",
    "only_unknown_words": "토큰 {tokens}개 중 이 모델의 어휘에 있는 것이 하나도 없습니다. 모델은 <unk>만 보므로 "
                          "그 답은 텍스트에 대해 아무것도 말해 주지 않습니다",
    "series_nan_or_inf": "시계열에 NaN이나 무한대 값이 있습니다",
    "no_series_model": "고른 모델 중 시계열을 예측하는 모델이 없습니다. 시계열 모델을 고르세요",
    "series_too_long": "시계열이 {steps:,} 스텝입니다. 랩은 최대 {most:,} 스텝까지 받습니다({env})",
    "series_not_text": "시계열은 텍스트로 주어야 합니다({kind}가 아니라)",
    "series_empty": "시계열이 비어 있습니다. 쉼표나 공백으로 구분한 숫자를 주세요(예: 1, 2, 3)",
    "series_not_a_number": "시계열의 {position}번째 값 {part!r}은(는) 숫자가 아닙니다",
    "series_not_finite": "시계열의 {position}번째 값이 {part!r}입니다. 유한한 숫자만 쓸 수 있습니다",
    "series_too_short": "숫자가 {count}개뿐입니다. 시계열에는 적어도 3개가 필요합니다",
    "type_symbols": "먼저 기호의 나열을 입력하세요",
    "no_symbol_model": "고른 모델 중 기호의 나열을 읽는 모델이 없습니다. 그 과제의 모델 중 하나를 고르세요",
    "unknown_symbols": "이 모델은 기호 {symbols}을(를) 읽습니다. {unknown}은(는) 읽지 않습니다",
    "needs_window": "이 모델에는 {window} 스텝(윈도)보다 긴 입력이 필요합니다",
    # ----- the backends' worker processes (workers) -----
    "backend_killed": "{backend}이(가) {seconds:g}초 동안 답하지 않아 종료되었습니다({env}){then}",
    "backend_killed_trying": "{backend}이(가) '{what}' 작업을 {seconds:g}초 안에 끝내지 못해 종료되었습니다{then}",
    "backend_crashed": "{backend}이(가) '{what}' 작업 중에 {how}{then}",
    "crashed_with": "{signal} 신호로 비정상 종료되었습니다",
    "exited_with": "종료 코드 {status}로 끝났습니다",
    "backend_over_memory": "{backend}이(가) 메모리 한도 {most:g} MiB({env})를 넘어 중지되었습니다{then}",
    "fresh_worker_next": ". 다음 요청은 새 작업자 프로세스가 받습니다",

    # ----- plugins, backends and the lab's sweeps (plugins, workers, long_range, fanout) -----
    "module_not_installed": "{module}이(가) 설치되어 있지 않습니다: {install}",
    "module_not_installed_plain": "{module}이(가) 설치되어 있지 않습니다. 설치하세요",
    "plugin_not_allowed": "{env}에 없습니다",
    "plugin_blocked": "{env}에 올라 있습니다",
    "plugin_failed_to_load": "불러오지 못했습니다: {error}",
    "hook_raised": "{hook}에서 오류가 났습니다: {error}",
    "name_taken": "이름 {name!r}은(는) 플러그인 {owner!r}이(가) 이미 등록했습니다",
    "registered_wrong_kind": "{kind}이(가) 아니라 {got}을(를) 등록했습니다",
    "invalid_registered_name": "잘못된 이름 {name!r}: 영문 소문자, 숫자, '.', '_', '-'로 1~64자를 쓰세요",
    "unknown_family": "계열 {family!r}은(는) zoo.family의 계열({families})이 아닙니다. 먼저 거기에 추가하세요",
    "no_backend_named": "{name!r}(이)라는 백엔드가 없습니다. 등록된 것: {names}",
    "no_dataset_named": "{name!r}(이)라는 데이터셋이 없습니다. 등록된 것: {names}",
    "no_format_named": "{name!r}(이)라는 모델 파일 형식이 없습니다. 등록된 것: {names}",
    "format_not_available": "{name} 형식을 쓸 수 없습니다({status}): {reason}",
    "no_format_reads": "{file}: 설치된 플러그인 중 {suffix} 파일을 읽는 것이 없습니다(읽을 수 있는 것: {readable})",
    "no_format_reads_bare": "{file}: 설치된 플러그인 중 확장자 없는 파일을 읽는 것이 없습니다(읽을 수 있는 것: {readable})",
    "framework_file_unavailable": "{file}은(는) {framework} 파일입니다: {reason}",
    "backend_not_available": "백엔드 {name!r}을(를) 쓸 수 없습니다({status}): {reason}",
    "backend_failed_import": "{factory}을(를) 가져오지 못했습니다: {error}",
    "backend_broken": "백엔드 {name!r}이(가) 고장 났습니다: {reason}",
    "worker_could_not_start": "{backend}의 작업자 프로세스를 시작하지 못했습니다({error}). 랩의 모델을 쓰는 스크립트는 "
                              "multiprocessing이 요구하는 대로 최상위 코드를 if __name__ == '__main__'으로 감싸야 합니다",
    "worker_stopped": "{backend}의 작업자 프로세스가 '{what}' 작업을 하기 전에 중지되었습니다",
    "backend_failed": "{backend}이(가) 실패했습니다: {error}",
    "cell_failed": "{backend}, {task}, 지연 {lag}, 시드 {seed}: {error}",
    "needs_ray": "Ray에서 실행하려면 Ray가 필요합니다: {install}",
    "not_fitted": "{backend}은(는) 아직 학습되지 않았습니다. predict 전에 fit이나 set_weights를 부르거나 체크포인트를 불러오세요",
    "backend_failed_in": "{backend}이(가) {what} 중에 실패했습니다: {error}",
    "backend_wrong_shape": "{backend}이(가) 돌려준 {what}의 모양이 {shape}입니다. {expected}이어야 합니다",
    "backend_wrong_layers": "{backend}이(가) 층 {traced}개를 추적했지만 모델의 층은 {layers}개입니다",
    "backend_wrong_gates": "{backend}이(가) {layer}층에서 게이트 {gates}를 추적했지만 {family}의 게이트는 {expected}입니다",
    "backend_no_cell_state": "{backend}이(가) {layer}층을 셀 상태 없이 추적했지만 {family}에는 셀 상태가 있습니다",
    "backend_stray_cell_state": "{backend}이(가) {layer}층을 셀 상태와 함께 추적했지만 {family}에는 셀 상태가 없습니다",
    "text_not_a_string": "텍스트는 문자열이어야 합니다({kind}가 아니라)",
    "dataset_too_big": "n × length가 {steps:,}입니다. 메모리에는 최대 {most:,}까지 들어갑니다: n이나 length를 줄이세요",
    "dataset_parameter_range": "{name}은(는) {low:,}부터 {high:,}까지의 정수여야 합니다({value!r}가 아니라)",
    "job_raised": "{kind} 오류: {error}",
    "job_worker_died": "작업자 프로세스가 죽었습니다({how})",
    "job_ray_worker_died": "Ray 작업자 프로세스가 죽었습니다",
    "job_ray_driver_died": "Ray를 구동하던 프로세스가 죽었습니다({how}). 클러스터가 내려갔을 수 있습니다",
    "ray_unreachable": "{address}의 Ray 클러스터에 접속하지 못했습니다: {error}",
    "ray_could_not_start": "로컬 Ray 인스턴스를 시작하지 못했습니다: {error}",
    "ray_no_answer": "{seconds}초 안에 응답이 없습니다",

    # ----- files: CSV uploads, checkpoints, imported models (userdata, checkpoint, interchange, plugins' files.py) -----
    # what an import assumed or left out (its notes; plugins' files.py)
    "note_head_from_metadata": "헤드 활성화 함수 {activation}: 파일의 메타데이터(zoo export)에서 읽음",
    "note_head_assumed": "헤드 활성화 함수 {activation}: 가정한 값입니다. state_dict로는 알 수 없습니다(--head-activation으로 정함)",
    "note_task_from_metadata": "과제 {task}: 파일의 메타데이터(zoo export)에서 읽음",
    "note_task_assumed_one": "과제 {task}: 출력 {count}개에서 가정했습니다(--task로 정함)",
    "note_task_assumed_many": "과제 {task}: 출력 {count}개에서 가정했습니다(--task로 정함)",
    "note_rnn_as_tanh": "nn.RNN을 tanh로 읽었습니다(nonlinearity='relu'는 state_dict에 드러나지 않으며, RNN Zoo의 RNN은 tanh입니다)",
    "note_weights_as_float32": "{dtypes} 가중치를 float32로 읽었습니다",
    "note_every_step": "{layer}은(는) 모든 스텝을 반환하고 그 뒤의 Dense 층이 스텝마다 돕니다. RNN Zoo는 마지막 스텝, 곧 Keras "
                       "출력의 마지막 행을 읽습니다",
    "note_no_hidden_dense": "은닉 Dense 층이 없습니다: 헤드 활성화 함수({activation})는 쓰이지 않습니다",
    "note_dropout_left_out": "추론 때는 Dropout이 꺼집니다: {layers}은(는) 명세에서 빠지고, 출력층 바로 앞의 비율만 남습니다",
    "note_mask_zero": "{layer}은(는) id 0을 가립니다(mask_zero): 오른쪽 패딩이면 Keras도 RNN Zoo와 같은 것, 곧 시퀀스의 마지막 "
                      "실제 토큰에서의 상태를 읽습니다",
    "csv_binary": "바이너리 파일(이미지, 스프레드시트, 압축 파일?)이지 CSV 텍스트가 아닙니다. "
                  "데이터를 CSV로 내보낸 뒤 다시 시도하세요",
    "csv_empty": "CSV가 비어 있습니다. 머리글 줄과 값이 있는 행을 적어도 하나 주세요",
    "csv_unreadable": "CSV로 읽을 수 없습니다({reason}). 모든 행에 머리글과 같은 수의 쉼표로 구분된 값이 있는지, "
                      "따옴표가 모두 닫혔는지 확인하세요",
    "csv_no_rows": "CSV에 머리글({columns})은 있지만 데이터 행이 없습니다",
    "csv_no_number_column": "이 CSV에는 숫자로 된 열이 없습니다. 열은 {columns}입니다",
    "csv_no_such_column": "{column!r}(이)라는 열이 없습니다. CSV의 열은 {columns}입니다",
    "csv_series_too_short": "{column!r} 열에 값이 {count}개뿐입니다. 시계열에는 적어도 3개가 필요합니다",
    "csv_value_empty": "{column!r} 열의 {row}번째 행이 비어 있습니다(행은 머리글 다음부터 셉니다). "
                       "시계열의 값은 모두 숫자여야 합니다",
    "csv_value_not_a_number": "{column!r} 열의 {row}번째 행은 {value!r}(으)로, 유한한 숫자가 아닙니다(행은 머리글 "
                              "다음부터 셉니다). 시계열의 값은 모두 숫자여야 합니다",
    "csv_same_columns": "텍스트 열과 레이블 열은 서로 다른 두 열이어야 합니다",
    "csv_texts_empty": "{column!r} 열의 텍스트가 모두 비어 있습니다",
    "csv_too_few_texts": "텍스트가 있는 행이 {count}개뿐입니다. 학습과 테스트에는 적어도 4개가 필요합니다",
    "csv_no_label": "{row}번째 행에 텍스트는 있지만 {column!r} 열에 레이블이 없습니다. "
                    "모든 텍스트에 레이블을 주거나 그 행을 지우세요(행은 머리글 다음부터 셉니다)",
    "csv_one_label": "모든 행의 레이블이 {label!r}입니다. 분류기에는 서로 다른 레이블이 적어도 2개 필요합니다",
    "csv_too_many_labels": "{column!r} 열에 서로 다른 레이블이 {count}개 있습니다. 최대 {most}개까지 "
                           "지원합니다. 정말 레이블 열이 맞나요?",
    "csv_paste_too_big": "붙여 넣은 텍스트가 {most}를 넘습니다. 행을 줄여 붙여 넣거나 파일을 업로드하세요",
    "csv_no_file": "{path!r} 파일이 없습니다",
    "csv_wrong_source": "CSV는 파일 경로, 바이트 또는 텍스트로 주어야 합니다({kind}가 아니라)",
    "csv_too_big": "파일 크기가 {size}입니다. 한도는 {most}입니다({env}). 행이나 열을 줄이세요",
    "csv_not_utf8": "파일이 UTF-8 텍스트가 아닙니다({encoding}인 것 같습니다). "
                    "스프레드시트나 텍스트 편집기에서 열어 'CSV UTF-8'로 저장하세요",
    "encoding_euc_kr": "EUC-KR, 한국어",
    "encoding_windows": "Windows-1252 또는 Latin-1",
    "encoding_legacy": "예전 8비트 인코딩",
    "names_and_more": "{names} 외 {more}개",
    "size_bytes": "{count}바이트",
    "checkpoint_unreadable": "{file}은(는) 읽을 수 있는 safetensors 체크포인트가 아닙니다({error})",
    "checkpoint_not_zoo": "{file}은(는) safetensors 파일이지만 RNN Zoo 체크포인트가 아닙니다('{metadata}' 메타데이터 없음)",
    "checkpoint_corrupt_metadata": "{file}의 메타데이터가 손상되었습니다",
    "checkpoint_unknown_format": "{file}의 체크포인트 형식 {format!r}은(는) 알 수 없는 형식입니다",
    "checkpoint_corrupt_tensors": "{file}의 텐서가 손상되었습니다({error})",
    "checkpoint_missing_fields": "{file}에 {fields} 정보가 없습니다. 모델 체크포인트가 아닙니다",
    "checkpoint_wrong_family": "{file}에는 {backend}의 {family} 가중치가 들어 있어 {wanted} 백엔드에 맞지 않습니다",
    "checkpoint_no_dataset": "{file}에는 어떤 데이터셋으로 학습했는지 적혀 있지 않습니다",
    "upload_too_big": "파일 크기가 {size:.3g} MiB입니다. 업로드는 {most:g} MiB까지입니다({env})",
    "upload_no_preprocessing": "{file}에 가중치는 있지만 {kind} 전처리 기록({keys})이 없습니다. "
                               "랩은 `zoo train`으로 쓴 체크포인트를 읽습니다",
    "weights_mismatch": "가중치가 모델과 맞지 않습니다. 빠진 것: {missing}, 예상 밖의 것: {extra}",
    "nothing": "없음",
    "weight_wrong_shape": "가중치 {name!r}의 모양은 {shape}인데, 모델에는 {needed}이(가) 필요합니다",
    "weight_not_numeric": "가중치 {name!r}이(가) 숫자가 아닙니다({dtype})",
    "weight_not_finite": "가중치 {name!r}에 NaN이나 무한대가 있습니다",
    "import_unreadable": "{file}을(를) {framework} 모델로 읽을 수 없습니다: {error}",
    "import_parity_failed": "{file}: {backend}의 결과가 {framework}와 {diff:.2e}만큼 달라 허용치 {tolerance:g}를 "
                            "넘습니다. 아무것도 쓰지 않았습니다(파일의 구조를 알려 주세요)",
    "vocabulary_not_utf8": "{file}은(는) UTF-8 텍스트가 아닙니다. 어휘 파일은 한 줄에 토큰 하나씩 쓰거나 JSON으로 씁니다",
    "vocabulary_bad_json": "{file}은(는) 올바른 JSON이 아닙니다({line}번째 줄: {error})",
    "vocabulary_gaps": "{file}이(가) 토큰에 매긴 id가 빈틈없는 0..n-1(또는 1..n)이 아닙니다",
    "vocabulary_bad_json_shape": "{file}: JSON 어휘는 토큰의 리스트이거나 토큰 → id 객체여야 합니다",
    "vocabulary_too_big": "{file}에는 토큰이 {tokens:,}개 있지만 모델의 임베딩은 {size:,}개뿐입니다",
    "vocabulary_duplicate": "{file}에 같은 토큰이 두 번 있습니다",
    "vocabulary_not_tokens": "{file}은(는) 토큰이 아니라 숫자를 읽는 모델입니다. 어휘 파일은 쓰이지 않습니다",
    "head_activation_choice": "헤드 활성화 함수는 {choices} 중 하나여야 합니다({value!r}가 아니라)",
    "task_choice": "과제는 {choices} 중 하나여야 합니다({value!r}가 아니라)",
    "keras_layer": "레이어 {name!r}({cls})",
    "keras_where": "{file}의 {layer}",
    "keras_why_activation": "그 자리의 식은 tanh를 씁니다",
    "keras_why_recurrent_activation": "게이트는 시그모이드입니다",
    "keras_why_reset_after": "GRU가 리셋 게이트를 순환 곱 다음에 두 개의 편향과 함께 적용합니다",
    "keras_why_go_backwards": "순방향으로 읽습니다",
    "keras_why_stateful": "모든 시퀀스는 영 상태에서 시작합니다",
    "keras_why_use_bias": "모든 레이어에 편향이 있습니다",
    "keras_why_return_state": "레이어는 출력만 넘깁니다",
    "keras_refused_lambda": "표준 모델에 둘 자리가 없는 Python 코드(여기서는 절대 실행하지 않음)가 들어 있습니다",
    "keras_refused_bidirectional": "시퀀스를 양방향으로 읽습니다. 표준 모델은 순방향으로만 읽습니다",
    "keras_refused_masking": "스택 안에서 값으로 스텝을 가립니다. RNN Zoo는 시퀀스를 그 길이까지 읽습니다",
    "keras_refused_text_vectorization": "모델 안에서 문자열을 id로 바꿉니다. 그다음 레이어부터의 모델을 저장하고, 그 "
                                        "어휘(json.dump(layer.get_vocabulary(), f))를 --vocabulary로 "
                                        "넘기세요",
    "keras_refused_attention": "어텐션은 표준 모델에 없습니다",
    "keras_refused_time_distributed": "표준 헤드는 모든 스텝이 아니라 한 스텝을 읽습니다",
    "keras_not_zip": "{file}은(는) .keras 파일(zip 압축 파일)이 아닙니다({error}). 잘렸거나 손상되었나요?",
    "keras_config_json": "{file}의 config.json",
    "keras_model_config": "{file}의 model_config",
    "keras_weights_not_hdf5": "{file}: model.weights.h5가 HDF5 파일이 아닙니다({error})",
    "keras_zip_no_weights": "{file}: model.weights.h5에 {layer}의 가중치가 없습니다",
    "keras_no_member": "{file}에 {name}이(가) 없습니다. Keras 3 모델 파일이 아닙니다",
    "keras_no_member_sharded": "{file}에 {name}이(가) 없습니다. Keras 3 모델 파일이 아닙니다"
                               "(나뉜 가중치는 읽지 않습니다. 모델을 한 파일로 저장하세요)",
    "keras_member_too_big": "{file}: {name}의 압축을 풀면 {size:.3g} MiB로, 체크포인트 한도를 넘습니다",
    "keras_member_corrupt": "{file}: {name}의 압축을 풀 수 없습니다({error}). 잘렸거나 손상되었나요?",
    "keras_not_hdf5": "{file}은(는) HDF5 파일이 아닙니다({error}). 잘렸거나 손상되었나요?",
    "keras_weights_only": "{file}에 model_config가 없습니다. 가중치만 든 파일(save_weights)에는 읽을 구조가 "
                          "없습니다. model.save로 모델 전체를 저장하세요",
    "keras_h5_no_weights": "{file}: model_weights에 {layer}의 가중치가 없습니다",
    "keras_not_json": "{what}이(가) JSON이 아닙니다({error})",
    "keras_not_a_configuration": "{what}이(가) Keras 모델 구성이 아닙니다",
    "keras_weight_shapes": "{file}: {layer}의 가중치 모양은 {found}인데, 구성에 따르면 {needed}이어야 합니다",
    "keras_weights_not_floats": "{file}: {layer}의 가중치가 부동소수점이 아닌 {dtype}입니다",
    "keras_no_recurrent_or_dense": "{file}: 모델에는 LSTM, GRU 또는 SimpleRNN 레이어가 하나 이상, 그리고 출력 Dense가 "
                                   "있어야 합니다. 이 모델의 레이어: {layers}",
    "keras_no_layers": "없음",
    "keras_out_of_place": "{file}: {layer}의 위치가 맞지 않습니다. 표준 모델은 선택적인 Embedding, 그다음 "
                          "순환 레이어, 그다음 Dense 레이어 순서입니다",
    "keras_mixed_families": "{file}: 순환 레이어에 {families}이(가) 섞여 있습니다. RNN Zoo 모델은 한 계열입니다",
    "keras_last_step_only": "{file}: {layer}은(는) 마지막 스텝만 돌려주는데, 그 뒤에 순환 레이어가 옵니다",
    "keras_head_activations": "{file}: 은닉 Dense 레이어가 {activations}을(를) 씁니다. 표준 헤드의 활성화 함수는 "
                              "하나({choices})입니다",
    "keras_head_activation_differs": "{file}의 Dense 레이어는 {activation}을(를) 씁니다. 요청한 헤드 활성화 함수 "
                                     "{wanted}이(가) 아닙니다",
    "keras_output": "{file}: 출력 {layer}은(는) {activation} 유닛이 {units}개입니다. 표준 출력은 시그모이드 유닛 "
                    "1개(이진), 소프트맥스 유닛 2개 이상(다중 클래스) 또는 선형 유닛 1개(회귀)입니다",
    "keras_output_task": "{file}의 출력 {layer}({activation})에 따르면 과제는 {task}이(가) 아니라 {file_task}입니다",
    "keras_input_shape": "{file}: 입력 모양이 {shape}입니다. 표준 모델은 Embedding으로 들어가는 (batch, steps) id나 "
                         "(batch, steps, features) 숫자를 읽습니다",
    "keras_weights_too_big": "{file}: 구성대로라면 가중치가 {size:.3g} MiB로, 체크포인트 한도를 넘습니다",
    "keras_model_class": "{file}: 모델이 {kind!r}({module})입니다. 서브클래싱한 모델의 파일에는 레이어가 없으므로 "
                         "Sequential과 함수형 모델만 읽습니다",
    "keras_no_module": "모듈 없음",
    "keras_lists_no_layers": "{file}: 모델 구성에 레이어 목록이 없습니다",
    "keras_custom_layer": "{where}은(는) 사용자 정의 레이어({name})입니다. 사용자 정의 코드는 여기서 절대 실행하지 않습니다",
    "keras_refused": "{where}은(는) 받지 않습니다: {reason}",
    "keras_unknown_layer": "{where}은(는) 표준 모델에 있는 레이어(Embedding, LSTM, GRU, SimpleRNN, Dense, "
                           "Dropout)가 아닙니다",
    "keras_dtype": "{where}은(는) {dtype}로 계산합니다. RNN Zoo는 float32 모델을 읽습니다",
    "keras_unknown_options": "{where}에 이 리더가 모르는 옵션 {options}이(가) 있습니다",
    "keras_fixed_option": "{where}의 {option}={value!r}이지만, 표준 모델은 {wanted!r}입니다",
    "keras_fixed_option_why": "{where}의 {option}={value!r}이지만, 표준 모델은 {wanted!r}입니다: {why}",
    "keras_custom_object": "{where}은(는) 사용자 정의 객체 {name!r}을(를) 씁니다. 사용자 정의 코드는 여기서 절대 "
                           "실행하지 않습니다",
    "keras_inputs_outputs": "{file}: 모델의 입력이 {inputs}개, 출력이 {outputs}개입니다. "
                            "표준 모델은 각각 하나입니다",
    "keras_broken_graph": "{file}: 레이어 그래프가 출력에서 입력으로 거슬러 이어지지 않습니다",
    "keras_layer_inputs": "{file}: 레이어 {name!r}이(가) 입력을 {count}개 받습니다. 표준 모델은 한 줄로 이어진 사슬입니다",
    "keras_layer_keywords": "{file}: 레이어 {name!r}을(를) {keywords}와 함께 호출합니다. 표준 모델은 각 레이어에 "
                            "앞 레이어의 출력만 넘깁니다",
    "keras_off_the_chain": "{file}: 레이어 {name!r}({cls})이(가) 입력에서 출력으로 가는 경로에 있지 않습니다. "
                           "표준 모델은 한 줄로 이어진 사슬입니다",
    "keras_layer_reused": "{file}: 레이어 {name!r}을(를) {count}번 호출합니다. 표준 모델은 모든 레이어를 한 번씩 씁니다",
    "keras_inbound_node": "{file}: 레이어 {name!r}의 입력 노드를 이 리더가 따라갈 수 없습니다",
    "keras_never_built": "{file}: 모델이 한 번도 빌드되지 않아(입력 모양 없음) 읽을 가중치가 없습니다",
    "keras_export_suffix": "{file}: Keras로 내보내는 파일은 .keras 파일입니다. 이름을 {stem}.keras로 지으세요",
    "torch_embedding": "{name} 모듈(Embedding {inputs} × {outputs})",
    "torch_module": "{name} 모듈({kind} {inputs} → {outputs})",
    "torch_module_layers": "{name} 모듈({kind} {inputs} → {outputs}, {layers}개 층)",
    "torch_top_level": "최상위",
    "torch_in_file": "{file} 파일: {error}",
    "torch_not_floats": "{file}: {tensor}은(는) 조밀한 부동소수점이 아닌 {dtype} 텐서입니다. 가중치는 부동소수점이어야 합니다",
    "torch_one_output": "{file}: 출력 레이어인 {layer}의 출력이 {count}개입니다. {task} 과제에는 적어도 2개(클래스마다 "
                        "하나)가 필요합니다",
    "torch_many_outputs": "{file}: 출력 레이어인 {layer}의 출력이 {count}개입니다. {task} 과제에는 1개가 필요합니다"
                          "(더 많으면 --task multiclass)",
    "torch_pickled_named": "{file}에 텐서 말고도 Python 객체({name})가 들어 있어 weights_only 불러오기가 거부했으므로, "
                           "그 안의 어떤 것도 실행되지 않았습니다. torch.save(model)로 저장한 모델 전체가 그런 경우입니다. "
                           "대신 model.state_dict()를 저장하세요",
    "torch_pickled": "{file}에 텐서 말고도 Python 객체가 들어 있어 weights_only 불러오기가 거부했으므로, 그 안의 어떤 것도 "
                     "실행되지 않았습니다. torch.save(model)로 저장한 모델 전체가 그런 경우입니다. 대신 "
                     "model.state_dict()를 저장하세요",
    "torch_unreadable": "{file}은(는) 읽을 수 있는 torch.save 파일이 아닙니다. 잘렸거나 손상되었나요? ({error})",
    "torch_held_mapping": "{keys} 키의 매핑",
    "torch_held_object": "{kind} 객체",
    "torch_not_a_state_dict": "{file}에 든 것은 state_dict가 아니라 {held}입니다. 이름을 텐서에 대응시킨 매핑"
                              "(model.state_dict())이나, {keys} 아래에 든 그런 매핑이어야 합니다",
    "torch_safetensors_unreadable": "{file}은(는) 읽을 수 있는 safetensors 파일이 아닙니다. 잘렸거나 손상되었나요? ({error})",
    "torch_already_a_checkpoint": "{file}은(는) 이미 RNN Zoo 체크포인트입니다. 그대로 쓰세요",
    "torch_no_tensors": "{file}에 텐서가 없습니다",
    "torch_corrupt_metadata": "{file}의 '{metadata}' 메타데이터가 손상되었습니다",
    "torch_no_recurrent": "{modules} 중에 nn.LSTM, nn.GRU, nn.RNN 가중치(weight_ih_l0 …)가 없습니다. "
                          "가져올 순환 레이어가 없습니다",
    "torch_mixed_families": "순환 모듈에 {kinds}이(가) 섞여 있습니다({modules}). 표준 모델의 순환 계열은 하나입니다",
    "torch_weight_without_bias": "{label} 모듈에는 가중치 {shape}만 있고 편향이 없습니다. 표준 모델에 없는 bias=False인 "
                                 "nn.Linear이거나, 어떤 순환 모듈도 읽지 않는 nn.Embedding입니다",
    "torch_no_linear": "{module} 뒤에 nn.Linear 레이어가 없습니다. 표준 모델의 출력은 마지막 스텝을 읽는 "
                       "Linear 레이어입니다",
    "torch_linear_bias": "{label} 모듈: Linear 가중치 {shape}에는 {bias}가 아니라 ({rows},) 모양의 편향이 필요합니다",
    "torch_not_in_layout": "{label} 모듈에 있는 {shapes}은(는) 가져오기가 읽는 구성(선택적인 nn.Embedding, "
                           "nn.LSTM / nn.GRU / nn.RNN 모듈, 그다음 nn.Linear 레이어)에 속하지 않습니다. 어텐션, 정규화, "
                           "합성곱 등의 레이어는 가져올 수 없습니다",
    "torch_bidirectional": "{label} 모듈은 양방향입니다(*_reverse 가중치가 시퀀스를 거꾸로 읽습니다). "
                           "표준 모델은 순방향으로만 읽습니다",
    "torch_projection": "{label} 모듈에 proj_size(weight_hr_l* 가중치)가 있습니다. 표준 LSTM에는 투영이 없습니다",
    "torch_no_bias": "{label} 모듈에 {missing}이(가) 없습니다. bias=False는 표준 모델에 없습니다",
    "torch_lacks": "{label} 모듈에 {missing}이(가) 빠져 있습니다",
    "torch_blocks": "{label} 모듈: weight_hh_l0의 모양이 {shape}입니다. hidden_size 행 × hidden_size 열 블록이 "
                    "4개(LSTM), 3개(GRU) 또는 1개(RNN)여야 합니다",
    "torch_parameter_shape": "{label} 모듈: {parameter}의 모양이 {shape}입니다. 은닉 크기가 {hidden}인 nn.{cell}에는 "
                             "{needed}이(가) 필요합니다",
    "torch_no_chain_one": "레이어가 이어지지 않습니다. {module}은(는) {after}이(가) 내는 값 {width}개를 읽지 않습니다",
    "torch_no_chain": "레이어가 이어지지 않습니다. {modules}은(는) {after}이(가) 내는 값 {width}개를 읽지 않습니다",
    "torch_export_suffix": "{file}: PyTorch로 내보내는 파일은 .safetensors 파일입니다(torch.save는 pickle을 씁니다)",

    # ----- units, the Learn step, what-if and limits (units, learn, intervention, limits) -----
    # the limits in force and their units (limits)
    "limit_text_chars": "한 번에 비교하는 텍스트",
    "limit_series_steps": "한 번에 비교하는 시계열",
    "limit_upload_mb": "업로드한 파일 하나(CSV 또는 체크포인트)",
    "limit_checkpoint_mb": "디스크에서 읽는 체크포인트 파일",
    "limit_backend_seconds": "모델 하나가 입력 하나에 답하는 시간(프레임워크를 불러오는 시간은 빼고)",
    "limit_backend_mb": "백엔드 작업자 프로세스 하나의 메모리(프레임워크, 모델, 답 포함)",
    "limit_training_minutes": "랩에서 시작한 학습 하나. 그 뒤에는 멈추고 가장 좋은 에포크를 남깁니다",
    "limit_training_jobs": "동시에 도는 학습 수. 더 들어오면 줄을 섭니다",
    "unit_characters": "자",
    "unit_steps": "스텝",
    "unit_seconds": "초",
    "unit_minutes": "분",
    "unit_trainings": "개",
    "no_checkpoint_or_lab_model": "체크포인트 파일이나 랩 모델 {name!r}이(가) 없습니다. .safetensors 파일이나 "
                                  "default/long-dependency-torch-lstm-seed0 같은 id를 주세요",
    "no_preprocessing_record": "{file}에는 전처리 기록이 없습니다. 탐색기는 `zoo train`이나 `zoo import`로 쓴 "
                               "체크포인트를 읽습니다",
    "split_one_of": "분할은 {splits} 중 하나여야 합니다. 받은 값: {split!r}",
    "no_dataset_recorded": "{file}에는 어떤 데이터셋으로 학습했는지 적혀 있지 않습니다. 데이터셋을 고르거나, 직접 "
                           "텍스트나 시계열을 주세요",
    "dataset_not_text": "{name}은(는) {kind} 데이터셋인데, 이 모델은 텍스트를 읽습니다",
    "dataset_is_text": "{name}은(는) 텍스트 데이터셋인데, 이 모델은 숫자를 읽습니다",
    "preprocessing_cannot_read": "이 모델의 전처리({kind})로는 {type}인 {name}을(를) 읽을 수 없습니다. 모델이 학습한 "
                                 "데이터셋이나 직접 넣은 텍스트나 시계열로 살펴보세요",
    "reads_numbers_not_text": "이 모델은 텍스트가 아니라 숫자를 읽습니다. 시계열(숫자가 담긴 CSV)을 주세요",
    "no_text_has_words": "어느 텍스트에도 단어나 기호가 없습니다. 적어도 한 줄은 텍스트를 주세요",
    "reads_text_not_numbers": "이 모델은 숫자가 아니라 텍스트를 읽습니다. 텍스트를 주세요",
    "reads_symbols_use_dataset": "이 모델은 기호의 나열을 읽습니다. 모델의 데이터셋으로 살펴보세요",
    "series_must_be_numbers": "시계열은 숫자여야 합니다",
    "series_wrong_shape": "이 모델은 스텝마다 숫자 {features}개를 읽는데, 시계열의 모양은 {shape}입니다",
    "series_shorter_than_window": "이 모델은 {window} 스텝짜리 윈도를 읽는데, 시계열은 {steps} 스텝입니다",
    "input_over_upload_limit": "입력이 {size:.3g} MiB로, 업로드 한도를 넘습니다({env})",
    "no_quantity": "{layer}층에는 {quantity!r}이(가) 없습니다. 있는 것: {quantities}",
    "no_unit": "{layer}층에는 유닛 {unit}이(가) 없습니다. 유닛은 0부터 {last}까지입니다",
    "token_means_need_tokens": "토큰별 평균에는 단어나 기호가 필요합니다. 이 모델은 숫자를 읽습니다",
    "no_sequence": "시퀀스 {sequence}은(는) 없습니다. 이 분할의 시퀀스는 0부터 {last}까지입니다",
    "span_outside_sequence": "구간은 시퀀스의 {steps} 스텝 안에 있어야 하고 적어도 한 스텝을 담아야 합니다. 받은 구간: "
                             "{start}부터 {stop}까지",
    "no_unit_follows": "선택한 모양을 따르는 유닛이 없습니다. 구간을 넓히거나 문턱값을 낮추세요",
    "models_read_different_inputs": "두 모델이 서로 다른 입력으로 실행되었습니다(어휘나 전처리가 다릅니다)",
    "layer_units_differ": "{layer}층의 유닛 수가 한 모델은 {one}개, 다른 모델은 {other}개입니다",
    "learn_no_model": "{name}(이)라는 모델은 없습니다. 배우기 탭에 있는 모델: {known}",
    "layer_does_not_exist": "{layer}층은 없습니다. 모델의 층은 0부터 {last}까지입니다",
    "layer_has_units": "{layer}층의 유닛은 0부터 {last}까지입니다. 받은 값: {given}",
    "input_has_steps": "입력의 스텝은 0부터 {last}까지입니다. 받은 값: {step}",
    "learn_unknown_family": "배우기 탭은 LSTM, GRU, 기본 RNN의 식을 압니다. {family}의 식은 모릅니다",
    "word_not_in_text": "{text!r}에 {word!r}이(가) 없습니다",
    "no_forget_gate": "이 모델({family})에는 고정할 망각 게이트가 없습니다",
    "forget_gate_range": "망각 게이트 값은 0과 1 사이여야 합니다",
    "unusable_limit": "{env}={raw!r}은(는) 쓸 수 있는 한도가 아닙니다. 양수({unit})를 주세요",
    "no_file_at": "{path}에 {what}이(가) 없습니다",
    "what_file": "파일",
    "what_checkpoint": "체크포인트",
    "file_over_limit": "{file}은(는) {size:.3g} MiB로, 한도 {most:g} MiB를 넘습니다({env}로 늘릴 수 있습니다)",
    "sequences_at_least_one": "시퀀스 수는 적어도 1이어야 합니다. 받은 값: {sequences}",
    "lstmvis_needs_text": "LSTMVis는 상태를 단어에 맞춰 보여 주는데, 이 모델은 숫자를 읽습니다. 시계열 하나의 추적은 "
                          "`zoo trace --checkpoint … --series … --csv FILE`로 쓰세요",
    "no_registered_dataset_named": "{name!r}(이)라는 등록된 데이터셋은 없습니다",
    "own_dataset_not_registered": "체크포인트가 학습한 데이터셋 {name!r}이(가) 등록되어 있지 않습니다",
    "choose_text_dataset": "{unknown}. --dataset으로 텍스트 데이터셋을 고르세요({datasets})",

    # ----- the rest of what the lab says (backends, training, datasets) -----
    # training and datasets
    "training_out_of_time": "첫 에포크가 끝나기 전에 {minutes:g}분 한도({env})에 닿았습니다. 저장된 것은 없습니다",
    "training_stopped_at_limit": "{minutes:g}분 한도({env})에서 멈추고 지금까지 가장 좋은 에포크를 남겼습니다",
    "training_settings": "epochs와 batch_size는 1 이상이어야 하고 lr은 양수여야 합니다",
    "sequence_dimensions": "{kind} 입력의 시퀀스 하나는 {want}차원이어야 하는데, 모양이 {shape}입니다",
    "sequence_no_steps": "시퀀스에는 적어도 한 스텝이 있어야 합니다",
    "tokens_shape": "토큰 입력은 (N, T) 모양의 id여야 하는데, 모양이 {shape}입니다",
    "tokens_not_integers": "토큰 id는 정수여야 하는데, {dtype}입니다",
    "tokens_out_of_range": "토큰 id는 [0, {size}) 안에 있어야 하는데, [{low}, {high}]입니다",
    "features_shape": "특징 입력은 (N, T, {features}) 모양이어야 하는데, 모양이 {shape}입니다",
    "features_not_numbers": "특징은 숫자여야 하는데, {dtype}입니다",
    "features_not_finite": "특징에 NaN이나 무한대가 있습니다",
    "bad_lengths": "lengths는 시퀀스 {count}개 각각에 실제 스텝 수를 1..{steps} 사이로 주어야 합니다",
    "targets_not_finite": "목표값은 유한한 숫자여야 합니다",
    "binary_targets": "이진 분류의 목표값은 0 또는 1이어야 합니다",
    "class_ids": "클래스 id는 [0, {classes}) 안의 정수여야 합니다",
    "cannot_prepare": "{kind}은(는) 준비할 수 없습니다",
    "too_few_texts_with_words": "단어가 들어 있는 텍스트가 4개보다 적습니다",
    "series_target": "시계열의 목표는 {targets} 중 하나여야 합니다({target!r}가 아니라)",
    "series_too_short_for_window": "{dataset}은(는) {steps} 스텝입니다. 윈도 {window}에는 적어도 {needed} 스텝이 필요합니다",
    "values_overflow": "{largest:.3g}만큼 큰 값은 모델의 32비트 숫자 범위를 넘습니다. "
                       "시계열을 10의 거듭제곱으로 나누세요",
    "values_overflow_scaled": "{largest:.3g}만큼 큰 값은 모델의 학습 데이터에 맞춰 스케일하면 32비트 숫자 범위를 "
                              "넘습니다. 시계열을 10의 거듭제곱으로 나누세요",
    "type_symbols_example": "먼저 기호의 나열을 입력하세요(예: {examples})",
    "dataset_parameters": "데이터셋 {name!r}이(가) 받는 매개변수는 {accepted}입니다. 받은 것: {given}",
    "none": "없음",
}

CATALOGS = {"en": EN, "ko": KO}


class Message(str):
    """A message's English text, with its key and values to say it in another language."""

    key: str
    values: dict

    def __new__(cls, key: str, values: dict):
        self = super().__new__(cls, EN[key].format(**values))
        self.key, self.values = key, values
        return self

    def __reduce__(self):
        return Message, (self.key, self.values)

    def said(self, lang: str) -> str:
        """The message in ``lang`` (English for a language the catalog lacks); values that are Messages
        themselves are said in it too."""
        values = {k: v.said(lang) if isinstance(v, Message) else v for k, v in self.values.items()}
        return CATALOGS.get(lang, EN)[self.key].format(**values)


def message(key: str, **values) -> Message:
    return Message(key, values)


def text_of(err: BaseException) -> str:
    """What an error says: the Message it carries (str() of an exception would drop its key), else its text."""
    return err.args[0] if len(err.args) == 1 and isinstance(err.args[0], Message) else str(err)


def say(text, lang: str) -> str:
    """A Message, or a ZooError carrying one, in ``lang``; anything else as its plain text."""
    if isinstance(text, BaseException):
        text = text_of(text)
    return text.said(lang) if isinstance(text, Message) else str(text)

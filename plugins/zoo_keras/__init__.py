"""Keras (TensorFlow) LSTM backend. This module registers only: TensorFlow loads when a model is built."""
import zoo


@zoo.hookimpl
def register_backends(register):
    register(zoo.BackendInfo(
        name="keras-lstm",
        family="lstm",
        framework="TensorFlow/Keras",
        factory="zoo_keras.model:KerasLSTM",
        module="tensorflow",
        install="pip install tensorflow-cpu==2.21.0",
        description="keras.layers.LSTM stack with a Dense head; traces run as a compiled tf.function",
    ))


@zoo.hookimpl
def register_formats(register):
    register(zoo.FormatInfo(
        name="keras",
        framework="TensorFlow/Keras",
        suffixes=(".keras", ".h5"),
        reader="zoo_keras.files:read",
        writer="zoo_keras.files:write",
        module="tensorflow",
        install="pip install tensorflow-cpu==2.21.0",
        description="Keras 3 .keras and legacy .h5 models: Embedding or numbers, LSTM/GRU/SimpleRNN, Dense",
    ))

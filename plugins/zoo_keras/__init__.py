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

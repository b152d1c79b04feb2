"""Plain RNN baseline in NumPy, s_t = tanh(W x_t + U s_{t-1} + b): a backend needs no deep-learning framework."""
import zoo


@zoo.hookimpl
def register_backends(register):
    register(zoo.BackendInfo(
        name="numpy-rnn",
        family="rnn",
        framework="NumPy",
        factory="zoo_rnn.model:NumpyRNN",
        module="numpy",
        install="pip install numpy",
        description="plain tanh RNN with hand-written backpropagation through time",
    ))

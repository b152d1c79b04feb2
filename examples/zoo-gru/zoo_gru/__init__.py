"""A GRU backend for RNN Zoo on PyTorch. This module only registers: torch is imported when a model is built."""
import zoo


@zoo.hookimpl
def register_backends(register):
    register(zoo.BackendInfo(
        name="torch-gru",
        family="gru",
        framework="PyTorch",
        factory="zoo_gru.model:TorchGru",  # imported only when a model is built
        module="torch",  # looked up, not imported, to tell whether the backend can run here
        install="pip install torch",
        description="A GRU backend for RNN Zoo on PyTorch",
    ))

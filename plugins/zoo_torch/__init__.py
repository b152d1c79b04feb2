"""PyTorch LSTM backend. This module registers only: torch loads when a model is built."""
import zoo


@zoo.hookimpl
def register_backends(register):
    register(zoo.BackendInfo(
        name="torch-lstm",
        family="lstm",
        framework="PyTorch",
        factory="zoo_torch.model:TorchLSTM",
        module="torch",
        install="pip install torch==2.13.0",
        description="torch.nn.LSTM stack with a Dense head",
    ))

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


@zoo.hookimpl
def register_formats(register):
    register(zoo.FormatInfo(
        name="torch",
        framework="PyTorch",
        suffixes=(".pt", ".pth", ".safetensors"),
        reader="zoo_torch.files:read",
        writer="zoo_torch.files:write",
        module="torch",
        install="pip install torch==2.13.0",
        description="PyTorch state_dicts (torch.save with weights_only loading, or safetensors): "
                    "Embedding, LSTM/GRU/RNN, Linear",
    ))

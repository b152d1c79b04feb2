"""A recurrent model from RNN Zoo in plain PyTorch: needs torch and safetensors, not the zoo.

    import model                             # this file, written beside model.safetensors
    net = model.load("model.safetensors")
    probabilities = net(torch.tensor([[12, 5, 7]]))  # (N, T) token ids, or (N, T, F) float32 numbers

The network is an optional nn.Embedding, nn.LSTM / nn.GRU / nn.RNN modules stacked (batch_first), then
nn.Linear layers with the head activation, reading the last step; ``forward`` gives what the zoo's
``predict`` gives: probabilities for classification (sigmoid, softmax), the value for regression.
Dropout is left out: this is the model at inference. The sizes are in the safetensors file's metadata.

(RNN Zoo copies this file verbatim to export a model, and builds the same network to check an imported
PyTorch file against.)
"""
import json

import torch
from safetensors import safe_open
from safetensors.torch import load_file
from torch import nn

ARCHITECTURE_KEY = "rnn_zoo_torch_architecture"  # the metadata entry holding RecurrentModel's arguments
CELLS = {"LSTM": nn.LSTM, "GRU": nn.GRU, "RNN": nn.RNN}
ACTIVATIONS = {"tanh": torch.tanh, "relu": torch.relu}


class RecurrentModel(nn.Module):
    def __init__(self, cell, recurrent, head, output_dim, activation, task,
                 vocab_size=None, embedding_dim=None, n_features=None):
        """``recurrent`` lists (hidden_size, num_layers) per module, ``head`` the hidden Linear layers'
        sizes; token input has ``vocab_size`` and ``embedding_dim``, numeric input ``n_features``."""
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim) if vocab_size else None
        width = embedding_dim if vocab_size else n_features
        layers = []
        for hidden_size, num_layers in recurrent:
            layers.append(CELLS[cell](width, hidden_size, num_layers=num_layers, batch_first=True))
            width = hidden_size
        self.recurrent = nn.ModuleList(layers)
        sizes = (width, *head)
        self.head = nn.ModuleList(nn.Linear(n_in, n_out) for n_in, n_out in zip(sizes, sizes[1:]))
        self.output = nn.Linear(sizes[-1], output_dim)
        self.activation = ACTIVATIONS[activation]
        self.task = task

    def forward(self, x):
        a = self.embedding(x) if self.embedding is not None else x
        for layer in self.recurrent:
            a, _ = layer(a)
        a = a[:, -1]
        for linear in self.head:
            a = self.activation(linear(a))
        logits = self.output(a)
        if self.task == "binary":
            return torch.sigmoid(logits)
        if self.task == "multiclass":
            return torch.softmax(logits, dim=-1)
        return logits


def load(path):
    """The model in a safetensors file written by ``zoo export --to torch``, in eval mode."""
    with safe_open(str(path), framework="pt") as f:
        architecture = json.loads(f.metadata()[ARCHITECTURE_KEY])
    model = RecurrentModel(**architecture)
    model.load_state_dict(load_file(str(path)), strict=True)
    return model.eval()

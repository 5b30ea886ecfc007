"""Writes a real PyTorch state dict as .safetensors plus the model's forward outputs, for
@recurrent/core's torch mapping test and for backends to check a loaded model numerically.

Model: nn.LSTM(input_size=5, hidden_size=4, num_layers=2, bidirectional=True) -> nn.Linear(8, 3), seeded.
The Recurrent equivalent (PyTorch concatenates directions between layers and at the output):
  input("x", 5) -> rnn("l0", lstm, 4, bidirectional, merge "concat")
               -> rnn("l1", lstm, 4, bidirectional, merge "concat") -> dense("out", 3)
with mapping { "lstm": ["l0", "l1"], "out": "out" }.

Run from the repository root:  /usr/bin/python3 tooling/torch-export/make_lstm_state_dict.py
Outputs: packages/core/test-fixtures/torch-lstm.safetensors and torch-lstm.json
"""

import json
import os
import sys

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_writer import write_safetensors  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "packages", "core", "test-fixtures")
COMMAND = "/usr/bin/python3 tooling/torch-export/make_lstm_state_dict.py"

T, B, D, H, C = 6, 3, 5, 4, 3
LENGTHS = [4, 6, 1]  # unsorted and unequal on purpose


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=D, hidden_size=H, num_layers=2, bidirectional=True)
        self.out = nn.Linear(2 * H, C)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
        y, (h, c) = self.lstm(packed)
        y, _ = pad_packed_sequence(y, total_length=x.shape[0])
        return self.out(y), y, h, c


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def main():
    torch.manual_seed(20240611)
    model = Model()  # float32 parameters: these exact values go into the file
    state = {k: v.detach().clone().float().contiguous() for k, v in model.state_dict().items()}
    x32 = torch.randn(T, B, D, dtype=torch.float32)

    tensors = [(k, "F32", list(v.shape), v.numpy().astype("<f4").tobytes()) for k, v in state.items()]
    write_safetensors(os.path.join(OUT_DIR, "torch-lstm.safetensors"), tensors, {"format": "pt"})

    # Reference forward in float64 on the float32 weights and input (exactly representable in float64).
    model64 = Model().double()
    model64.load_state_dict({k: v.double() for k, v in state.items()})
    with torch.no_grad():
        out, y, h, c = model64(x32.double(), LENGTHS)

    fixture = {
        "generator": "tooling/torch-export/make_lstm_state_dict.py",
        "command": COMMAND,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "module": "nn.LSTM(input_size=5, hidden_size=4, num_layers=2, bidirectional=True) -> nn.Linear(8, 3), "
        "run on pack_padded_sequence(x, lengths, enforce_sorted=False) in float64",
        "stateDictFile": "torch-lstm.safetensors",
        "mapping": {"lstm": ["l0", "l1"], "out": "out"},
        "stateDict": {k: flat(v) for k, v in state.items()},
        "input": flat(x32),
        "lengths": LENGTHS,
        "note": "outputs at steps t >= lengths[b] are torch's padding (LSTM zeros, so 'out' holds the bias there); "
        "compare valid steps only. l{k}/h and l{k}/c are h_n/c_n of layer k as [directions, B, H], "
        "taken at each sample's last valid step.",
        "outputs": {
            "out": flat(out),
            "l1": flat(y),
            "l0/h": flat(h[0:2]),
            "l0/c": flat(c[0:2]),
            "l1/h": flat(h[2:4]),
            "l1/c": flat(c[2:4]),
        },
    }
    with open(os.path.join(OUT_DIR, "torch-lstm.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

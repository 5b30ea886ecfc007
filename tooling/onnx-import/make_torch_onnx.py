"""Small models exported by torch.onnx.export (opset 17) for @recurrent/onnx's importer tests, with the outputs
onnxruntime must give on fixed inputs (computed here by PyTorch itself, an independent reference).

Each model reads x [T, B, D] (time-major) and lengths int64 [B] (sorted descending, as pack_padded_sequence with
enforce_sorted=True requires), runs nn.LSTM / nn.GRU / nn.RNN through pack_padded_sequence / pad_packed_sequence,
and applies a Linear head per frame (`*_last`: one Linear head on h_n[-1], many-to-one). T and B are dynamic axes, so the exported graph builds its zero initial
states from the input's shape (Shape, Gather, Unsqueeze, Concat, ConstantOfShape / Expand), the glue the importer
folds.

Run from the repository root:  /usr/bin/python3 tooling/onnx-import/make_torch_onnx.py
Outputs: packages/onnx/test-fixtures/torch/<name>.onnx and <name>.json (inputs and PyTorch outputs)
"""

import json
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "packages", "onnx", "test-fixtures", "torch")
T, B, D, H, C = 7, 3, 5, 4, 3
LENGTHS = [7, 5, 2]


class Model(nn.Module):
    def __init__(self, rnn, out_features):
        super().__init__()
        self.rnn = rnn
        self.head = nn.Linear(out_features, C)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, enforce_sorted=True)
        y, _ = self.rnn(packed)
        y, _ = pad_packed_sequence(y, total_length=x.shape[0])
        return self.head(y)


class LastState(nn.Module):
    """Many-to-one: the Linear head reads h_n[-1] (exported as Gather on Y_h, then Gemm)."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn
        self.head = nn.Linear(H, C)

    def forward(self, x, lengths):
        _, h = self.rnn(pack_padded_sequence(x, lengths, enforce_sorted=True))
        if isinstance(h, tuple):
            h = h[0]
        return self.head(h[-1])


MODELS = {
    "lstm": lambda: Model(nn.LSTM(D, H), H),
    "gru": lambda: Model(nn.GRU(D, H), H),
    "rnn": lambda: Model(nn.RNN(D, H), H),
    "rnn_relu": lambda: Model(nn.RNN(D, H, nonlinearity="relu"), H),
    "bilstm": lambda: Model(nn.LSTM(D, H, bidirectional=True), 2 * H),
    "bigru": lambda: Model(nn.GRU(D, H, bidirectional=True), 2 * H),
    "lstm2": lambda: Model(nn.LSTM(D, H, num_layers=2), H),
    "bigru2": lambda: Model(nn.GRU(D, H, num_layers=2, bidirectional=True), 2 * H),
    "gru_last": lambda: LastState(nn.GRU(D, H)),
    "lstm_last": lambda: LastState(nn.LSTM(D, H)),
}


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    for i, (name, make) in enumerate(MODELS.items()):
        torch.manual_seed(100 + i)
        model = make().eval()
        x = torch.randn(T, B, D)
        lengths = torch.tensor(LENGTHS, dtype=torch.int64)
        with torch.no_grad():
            y = model(x, lengths)
        path = os.path.join(OUT_DIR, f"{name}.onnx")
        torch.onnx.export(
            model,
            (x, lengths),
            path,
            input_names=["x", "lengths"],
            output_names=["y"],
            dynamic_axes={
                "x": {0: "time", 1: "batch"},
                "lengths": {0: "batch"},
                "y": {0: "time", 1: "batch"} if y.dim() == 3 else {0: "batch"},
            },
            opset_version=17,
        )
        with open(os.path.join(OUT_DIR, f"{name}.json"), "w") as f:
            json.dump(
                {
                    "generator": "tooling/onnx-import/make_torch_onnx.py",
                    "torch": torch.__version__,
                    "x": {"shape": list(x.shape), "data": x.flatten().tolist()},
                    "lengths": LENGTHS,
                    "y": {"shape": list(y.shape), "data": y.flatten().tolist()},
                },
                f,
            )
        print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()

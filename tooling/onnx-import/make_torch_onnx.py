"""Small models exported by torch.onnx.export (opset 17) for @recurrent/onnx's importer tests, with the outputs
onnxruntime must give on fixed inputs (computed here by PyTorch itself, an independent reference).

Each model reads x [T, B, D] (time-major) and lengths int64 [B] (sorted descending, as pack_padded_sequence with
enforce_sorted=True requires), runs nn.LSTM / nn.GRU / nn.RNN through pack_padded_sequence / pad_packed_sequence,
and applies a Linear head per frame (`*_last`: one Linear head on h_n[-1], many-to-one). T and B are dynamic axes, so the exported graph builds its zero initial
states from the input's shape (Shape, Gather, Unsqueeze, Concat, ConstantOfShape / Expand), the glue the importer
folds.

The conv models (CONV_MODELS, #16) read audio-like input x [B, S] (or a time-major [T, B, D] they permute to
Conv's [B, C, L]) with a fixed S: Conv1d with stride and padding, a reflect F.pad, an STFT-like strided `valid`
Conv1d followed by Silero's magnitude (Slice of the real and imaginary halves, Pow 2, Add, Sqrt), ReduceMean over
time, a Conv1d -> LSTM -> Conv1d(k=1) -> Sigmoid stack, and a small Silero-shaped model (LSTMCell over a squeezed
T=1 step, state input [2, B, H], an int `sr` input); their JSON holds named inputs and outputs.

Run from the repository root:  /usr/bin/python3 tooling/onnx-import/make_torch_onnx.py
Outputs: packages/onnx/test-fixtures/torch/<name>.onnx and <name>.json (inputs and PyTorch outputs)
"""

import json
import os

import torch
import torch.nn.functional as Fn
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


class ConvStride(nn.Module):
    """x [T, B, D] -> Conv1d(D, 6, k3, stride 2, padding 1) + ReLU -> [T', B, 6] (two Transposes around the Conv)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(D, 6, 3, stride=2, padding=1)

    def forward(self, x):
        return torch.relu(self.conv(x.permute(1, 2, 0))).permute(2, 0, 1)


class Spectrum(nn.Module):
    """Silero's front end in small: reflect pad, STFT as Conv1d(1, 2N, 256, stride 128, valid), magnitude, mean."""

    def __init__(self, n=4):
        super().__init__()
        self.n = n
        self.stft = nn.Conv1d(1, 2 * n, 256, stride=128, bias=False)

    def forward(self, x):
        x = Fn.pad(x, (0, 64), mode="reflect").unsqueeze(1)
        z = self.stft(x)
        re, im = z[:, : self.n, :], z[:, self.n :, :]
        return torch.sqrt(re**2 + im**2).mean(dim=2)


class ConvLstmStack(nn.Module):
    """x [B, S] -> Conv1d(1, 8, k3, s2, p1) + ReLU -> LSTM(8, 6) over time -> Conv1d(6, 1, k1) -> Sigmoid: [B, 1, T']."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 8, 3, stride=2, padding=1)
        self.lstm = nn.LSTM(8, 6)
        self.head = nn.Conv1d(6, 1, 1)

    def forward(self, x):
        h = torch.relu(self.conv(x.unsqueeze(1)))
        y, _ = self.lstm(h.permute(2, 0, 1))
        return torch.sigmoid(self.head(y.permute(1, 2, 0)))


class MiniSilero(nn.Module):
    """Silero's graph in small: reflect pad, STFT conv, magnitude, strided convs down to T=1, the step squeezed,
    one LSTM step with state [2, B, H] in and out, ReLU, Conv1d(k1), Sigmoid, mean over time; `sr` only read.
    The step is nn.LSTM over the unsqueezed [B, H] frame (how Silero's LSTMCell exports: Gather of the state,
    Unsqueeze(0), LSTM, Squeeze of Y_h / Y_c); torch 1.13 cannot export nn.LSTMCell with a dynamic batch."""

    def __init__(self, n=8, h=6):
        super().__init__()
        self.n = n
        self.stft = nn.Conv1d(1, 2 * n, 64, stride=32, bias=False)
        self.enc1 = nn.Conv1d(n, 8, 3, stride=2, padding=1)
        self.enc2 = nn.Conv1d(8, h, 3, stride=2, padding=1)
        self.cell = nn.LSTM(h, h)
        self.head = nn.Conv1d(h, 1, 1)

    def forward(self, x, state, sr):
        x = Fn.pad(x, (0, 32), mode="reflect").unsqueeze(1)
        z = self.stft(x)
        z = torch.sqrt(z[:, : self.n, :] ** 2 + z[:, self.n :, :] ** 2)
        z = torch.relu(self.enc2(torch.relu(self.enc1(z))))
        _, (h, c) = self.cell(z.squeeze(-1).unsqueeze(0), (state[0].unsqueeze(0), state[1].unsqueeze(0)))
        h, c = h.squeeze(0), c.squeeze(0)
        y = torch.sigmoid(self.head(torch.relu(h.unsqueeze(-1)))).squeeze(1).mean(dim=1, keepdim=True)
        return y, torch.stack([h, c]) + sr * 0


# name -> (model, example inputs, input names, output names)
CONV_MODELS = {
    "conv_stride": lambda: (ConvStride(), {"x": torch.randn(9, B, D)}, ["y"]),
    "spectrum": lambda: (Spectrum(), {"x": torch.randn(B, 576)}, ["y"]),
    "conv_lstm": lambda: (ConvLstmStack(), {"x": torch.randn(B, 40)}, ["y"]),
    "mini_silero": lambda: (
        MiniSilero(),
        {"x": torch.randn(B, 96), "state": torch.randn(2, B, 6) * 0.5, "sr": torch.tensor(16000)},
        ["y", "stateN"],
    ),
}


def as_json(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""), "data": t.flatten().tolist()}


def write_conv_models():
    for i, (name, make) in enumerate(CONV_MODELS.items()):
        torch.manual_seed(200 + i)
        model, inputs, output_names = make()
        model = model.eval()
        with torch.no_grad():
            outs = model(*inputs.values())
        outs = outs if isinstance(outs, tuple) else (outs,)
        path = os.path.join(OUT_DIR, f"{name}.onnx")
        # Batch dynamic; time (samples) fixed, except in mini_silero, whose samples axis is named "sequence" as in
        # Silero's file: its Ifs then fold only once importOnnx gets { dims: { sequence: 96 } }.
        dynamic = {k: {0: "batch"} for k, v in inputs.items() if v.dim() == 2}
        dynamic.update({k: {1: "batch"} for k, v in inputs.items() if v.dim() == 3})
        if name == "mini_silero":
            dynamic["x"] = {0: "batch", 1: "sequence"}
        torch.onnx.export(
            model,
            tuple(inputs.values()),
            path,
            input_names=list(inputs),
            output_names=output_names,
            dynamic_axes=dynamic,
            opset_version=17,
        )
        with open(os.path.join(OUT_DIR, f"{name}.json"), "w") as f:
            json.dump(
                {
                    "generator": "tooling/onnx-import/make_torch_onnx.py",
                    "torch": torch.__version__,
                    "inputs": {k: as_json(v) for k, v in inputs.items()},
                    "outputs": {k: as_json(v) for k, v in zip(output_names, outs)},
                },
                f,
            )
        print("wrote", path, os.path.getsize(path), "bytes")


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
    write_conv_models()


if __name__ == "__main__":
    main()

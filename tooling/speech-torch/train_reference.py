"""PyTorch reference for the speech demo's ~250k-parameter setups (issue #15 item 3).

An independent recipe on the same data: the demo's split (398 train / 50 valid / 50 test utterances), CMVN
fitted here with numpy on the training frames, and the same whole-utterance batches in the same order as the
project's fit() (the length-bucketed plan written by apps/speech-demo/scripts/dump-for-torch.ts). Everything else
is PyTorch's own: default initialisation (torch.manual_seed(seed)), nn.LSTM / nn.GRU / nn.RNN(tanh) (a second one over
the reversed sequences when bidirectional), Adam (default betas, eps), clip_grad_norm_, mean cross-entropy over the real frames of a batch,
frame accuracy on the validation utterances after every epoch, the best epoch's weights scored on the test set.

Usage (Debian's python3 with python3-torch 1.13; from the repository root):
  /usr/bin/python3 tooling/speech-torch/train_reference.py --data /tmp/speech-torch --model gru --hidden 263 --seed 1
Prints one JSON line: model, params, seed, best epoch, validation and test frame accuracy, seconds.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn


def load(data_dir):
    with open(os.path.join(data_dir, "index.json")) as f:
        index = json.load(f)
    frames = np.fromfile(os.path.join(data_dir, "frames.f32"), dtype=np.float32).reshape(-1, 39)
    labels = np.fromfile(os.path.join(data_dir, "labels.i32"), dtype=np.int32)
    utts = [(frames[u["offset"]:u["offset"] + u["length"]], labels[u["offset"]:u["offset"] + u["length"]])
            for u in index["utterances"]]
    n = index["split"]
    train = utts[:n["train"]]
    valid = utts[n["train"]:n["train"] + n["valid"]]
    test = utts[n["train"] + n["valid"]:]
    return index, train, valid, test


def reverse_within(x, lengths):
    """Reverses each sequence of a padded [T, B, ...] batch within its own length (padding stays put)."""
    T = x.shape[0]
    t = torch.arange(T).unsqueeze(1)
    L = lengths.unsqueeze(0)
    idx = torch.where(t < L, L - 1 - t, t)  # [T, B]
    return x.gather(0, idx.view(T, -1, *([1] * (x.dim() - 2))).expand_as(x))


class Recurrent(nn.Module):
    """Padded batches without packing (packed GRU/LSTM backward is very slow on this CPU build): a forward
    recurrence is unaffected by padding after a sequence's end, and the backward direction runs over each
    sequence reversed within its length, which is what a packed bidirectional layer computes."""

    def __init__(self, kind, hidden, bidirectional, merge, classes):
        super().__init__()
        cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind]
        self.fwd = cls(39, hidden)
        self.bwd = cls(39, hidden) if bidirectional else None
        self.merge = merge if bidirectional else None
        width = 2 * hidden if self.merge == "concat" else hidden
        self.out = nn.Linear(width, classes)

    def forward(self, x, lengths):  # x [T, B, 39]
        y, _ = self.fwd(x)
        if self.bwd is not None:
            b, _ = self.bwd(reverse_within(x, lengths))
            b = reverse_within(b, lengths)
            y = y + b if self.merge == "sum" else torch.cat([y, b], dim=-1)
        return self.out(y)


class WindowedFfn(nn.Module):
    """±context frames stacked (zero beyond the utterance), then dense ReLU layers, per frame."""

    def __init__(self, context, hidden, layers, classes):
        super().__init__()
        self.context = context
        dims = [39 * (2 * context + 1)] + [hidden] * layers
        mods = []
        for a, b in zip(dims[:-1], dims[1:]):
            mods += [nn.Linear(a, b), nn.ReLU()]
        self.net = nn.Sequential(*mods, nn.Linear(dims[-1], classes))

    def forward(self, x, lengths):  # padded steps are zero already
        T, B, D = x.shape
        c = self.context
        padded = torch.cat([x.new_zeros(c, B, D), x, x.new_zeros(c, B, D)])
        window = torch.stack([padded[k:k + T] for k in range(2 * c + 1)], dim=2)  # [T, B, 2c+1, D]
        return self.net(window.reshape(T, B, -1))


def batch(utts, ids, mean, std):
    lengths = [len(utts[i][1]) for i in ids]
    T = max(lengths)
    x = np.zeros((T, len(ids), 39), np.float32)
    y = np.full((T, len(ids)), -1, np.int64)
    for b, i in enumerate(ids):
        f, l = utts[i]
        x[:len(l), b] = (f - mean) / std
        y[:len(l), b] = l
    return torch.from_numpy(x), torch.from_numpy(y), torch.tensor(lengths)


def accuracy(model, utts, mean, std):
    model.eval()
    right = total = 0
    with torch.no_grad():
        for s in range(0, len(utts), 16):
            x, y, lengths = batch(utts, list(range(s, min(s + 16, len(utts)))), mean, std)
            pred = model(x, lengths).argmax(-1)
            mask = y >= 0
            right += int((pred[mask] == y[mask]).sum())
            total += int(mask.sum())
    model.train()
    return right / total


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--model", choices=["ffn", "rnn", "lstm", "gru"], required=True)
    p.add_argument("--hidden", type=int, required=True)
    p.add_argument("--bidirectional", action="store_true")
    p.add_argument("--merge", choices=["sum", "concat"], default="sum")
    p.add_argument("--layers", type=int, default=2, help="ffn only")
    p.add_argument("--context", type=int, default=20, help="ffn only")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--epochs", type=int, default=15)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    index, train, valid, test = load(a.data)
    plan = index["plans"][str(a.seed)]
    if len(plan) < a.epochs:
        raise SystemExit(f"{a.data}/index.json has batch plans for {len(plan)} epochs, --epochs is {a.epochs}")
    allf = np.concatenate([f for f, _ in train]).astype(np.float64)
    mean = allf.mean(0).astype(np.float32)
    std = allf.std(0).astype(np.float32)
    classes = len(index["labels"])
    if a.model == "ffn":
        model = WindowedFfn(a.context, a.hidden, a.layers, classes)
    else:
        model = Recurrent(a.model, a.hidden, a.bidirectional, a.merge, classes)
    params = sum(t.numel() for t in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss(ignore_index=-1)
    best = (-1.0, -1, None)
    started = time.time()
    for epoch in range(a.epochs):
        for ids in plan[epoch]:
            x, y, lengths = batch(train, ids, mean, std)
            logits = model(x, lengths)
            loss = loss_fn(logits.reshape(-1, classes), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            if a.clip > 0:
                nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            opt.step()
        acc = accuracy(model, valid, mean, std)
        if acc > best[0]:
            best = (acc, epoch, {k: v.clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    name = a.model if not a.bidirectional else f"b{a.model}-{a.merge}"
    print(json.dumps({
        "model": name, "hidden": a.hidden, "params": params, "seed": a.seed, "lr": a.lr,
        "bestEpoch": best[1] + 1, "valid": round(best[0], 4), "test": round(accuracy(model, test, mean, std), 4),
        "seconds": round(time.time() - started, 1), "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()

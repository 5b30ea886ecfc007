"""PyTorch as a bench system: the child process main.ts starts for the `torch-1` / `torch-2` rows.

    /usr/bin/python3 torch_bench.py '<job JSON>'

The job (built by src/torch/job.ts) names the thread count, the repetition plan, and per workload its
definition (cell, direction, kind, D, H, O, B, T, frames, FFN sizes) and a .safetensors file written by the
bench with the model's initial weights as a PyTorch state dict (the same values backend-js starts from) and
the inputs and targets (`data.x`, `data.target`, `data.frames`; the same seeded values backend-js gets).

It prints one JSON line per message, in the shape of src/protocol.ts's ChildMessage:
`{"type": "progress", "text": ...}` and `{"type": "result", "result": {...}}` with the samples in ms per step
(µs per frame for `stream`), the warm-up count, the measured size, the process's peak RSS in MiB and a detail
string (torch version, threads). The timing protocol is measure.ts's: warm-ups while under the warm-up budget,
then timed repetitions, each after a gc.collect() outside the timed region.

OMP_WAIT_POLICY=PASSIVE and OMP_NUM_THREADS are set by the parent before Python starts (OpenMP reads them
once, at load).
"""

import gc
import json
import resource
import struct
import sys
import time

import numpy as np
import torch
from torch import nn


def send(message):
    print(json.dumps(message), flush=True)


def read_safetensors(path):
    """Every tensor of a float32 .safetensors file (the bench writes no other dtype), as torch tensors."""
    with open(path, "rb") as f:
        raw = f.read()
    (header_len,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_len])
    base = 8 + header_len
    out = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] != "F32":
            raise ValueError(f'{path}: tensor "{name}" is {entry["dtype"]}, expected F32')
        start, end = entry["data_offsets"]
        array = np.frombuffer(raw, dtype="<f4", count=(end - start) // 4, offset=base + start)
        out[name] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return out


class RnnNet(nn.Module):
    """x [T, B, D] -> rnn (returning sequences; a bidirectional layer merged by sum) -> Linear per frame."""

    def __init__(self, w):
        super().__init__()
        cls = {"lstm": nn.LSTM, "gru": nn.GRU, "simple": nn.RNN}[w["cell"]]
        self.hidden = w["H"]
        self.rnn = cls(w["D"], w["H"], bidirectional=w["bidirectional"])
        self.out = nn.Linear(w["H"], w["O"])

    def forward(self, x, state=None):
        y, state = self.rnn(x, state)
        if self.rnn.bidirectional:
            y = y[..., : self.hidden] + y[..., self.hidden :]
        return self.out(y), state


class FfnNet(nn.Module):
    """x [T, B, D] -> frames t-c..t+c side by side (zeros past the ends) -> Linear relu -> Linear relu -> Linear."""

    def __init__(self, w):
        super().__init__()
        self.context = w["context"]
        h1, h2 = w["hidden"]
        self.hidden1 = nn.Linear((2 * self.context + 1) * w["D"], h1)
        self.hidden2 = nn.Linear(h1, h2)
        self.out = nn.Linear(h2, w["O"])

    def forward(self, x, state=None):
        t, b, d = x.shape
        c = self.context
        padded = nn.functional.pad(x, (0, 0, 0, 0, c, c))  # [T + 2c, B, D]
        window = padded.unfold(0, 2 * c + 1, 1)  # [T, B, D, 2c+1]
        stacked = window.permute(0, 1, 3, 2).reshape(t, b, (2 * c + 1) * d)  # frame-major, as frameStack
        h = torch.relu(self.hidden1(stacked))
        h = torch.relu(self.hidden2(h))
        return self.out(h), state


def prepare(w):
    """A function that runs one repetition of workload `w`, with everything it needs built (untimed)."""
    tensors = read_safetensors(w["tensors"])
    data = {k[5:]: v for k, v in tensors.items() if k.startswith("data.")}
    state = {k: v for k, v in tensors.items() if not k.startswith("data.")}
    model = FfnNet(w) if w["cell"] == "ffn" else RnnNet(w)
    model.load_state_dict(state, strict=True)

    if w["kind"] == "train":
        x, target = data["x"], data["target"]
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()

        def train_step():
            optimizer.zero_grad(set_to_none=True)
            y, _ = model(x)
            loss = loss_fn(y, target)
            loss.backward()
            optimizer.step()
            value = loss.item()
            if value != value:
                raise ValueError(f'{w["id"]}: train step returned loss {value}')

        return train_step

    model.eval()
    if w["kind"] == "forward":
        x = data["x"]

        def forward():
            with torch.inference_mode():
                model(x)

        return forward

    frames = data["frames"]  # [frames, 1, D]
    n = frames.shape[0]
    zeros = torch.zeros(1, 1, w["H"])

    def stream():
        with torch.inference_mode():
            state = (zeros, zeros)
            for f in range(n):
                _, state = model(frames[f : f + 1], state)

    return stream


def wants_more(count, elapsed_ms, lo, hi, budget_ms):
    return count < lo or (count < hi and elapsed_ms < budget_ms)


def measure(step, plan):
    warmups, elapsed = [], 0.0
    while wants_more(len(warmups), elapsed, plan["minWarmups"], plan["maxWarmups"], plan["warmupBudgetMs"]):
        t0 = time.perf_counter()
        step()
        ms = (time.perf_counter() - t0) * 1000
        warmups.append(ms)
        elapsed += ms
    reps, elapsed = [], 0.0
    while wants_more(len(reps), elapsed, plan["minReps"], plan["maxReps"], plan["budgetMs"]):
        gc.collect()
        t0 = time.perf_counter()
        step()
        ms = (time.perf_counter() - t0) * 1000
        reps.append(ms)
        elapsed += ms
    return warmups, reps


def blas_library():
    """The BLAS shared library this process mapped after a product: Debian's torch uses whichever libblas.so.3
    the alternatives system points at (the reference BLAS of libblas3 is several times slower than OpenBLAS)."""
    torch.ones(8, 8) @ torch.ones(8, 8)
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    # The folder names the implementation (blas/ = reference, openblas-pthread/ = OpenBLAS); LAPACK is noise.
    names = sorted({"/".join(p.split("/")[-2:]) for p in paths if "lapack" not in p})
    return ", ".join(names) or "none mapped"


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main():
    job = json.loads(sys.argv[1])
    threads = job["threads"]
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    detail = f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), BLAS {blas_library()}"
    for w in job["workloads"]:
        base = {"system": job["system"], "workload": w["id"]}
        try:
            send({"type": "progress", "text": f'{job["label"]} {w["id"]}: preparing'})
            step = prepare(w)
            warmups, reps = measure(step, job["plan"])
            stream = w["kind"] == "stream"
            samples = [ms * 1000 / w["frames"] for ms in reps] if stream else reps
            result = {
                **base,
                "status": "ok",
                "samples": samples,
                "warmups": len(warmups),
                "size": w["frames"] if stream else w["T"],
                "peakRssMiB": peak_rss_mib(),
                "detail": detail,
            }
        except Exception as err:  # reported as this workload's failure, the next one still runs
            result = {**base, "status": "failed", "reason": f"{type(err).__name__}: {err}".splitlines()[0][:240]}
        send({"type": "result", "result": result})


if __name__ == "__main__":
    main()

"""Independent reference values for @recurrent/core's weights and safetensors tests:

- rng: the first outputs of createRng(seed, stream) from a Python re-implementation of the documented
  algorithm (seed bits absorbed with MurmurHash3's fmix32, state filled by splitmix32, xoshiro128**), itself
  checked against the reference C implementation's outputs for the state (1, 2, 3, 4);
- qr: Q·diag(sign(diag(R))) from numpy.linalg.qr (LAPACK), the factor torch.nn.init.orthogonal_ uses;
- dtypes.safetensors: F64, F16, BF16 and an unaligned F32 tensor written by hand (numpy / torch
  conversions) with the float32 values a reader must produce.

Run from the repository root:  /usr/bin/python3 tooling/torch-export/make_reference_values.py
Outputs: packages/core/test-fixtures/reference-values.json and dtypes.safetensors
"""

import json
import math
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_writer import write_safetensors  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "packages", "core", "test-fixtures")
COMMAND = "/usr/bin/python3 tooling/torch-export/make_reference_values.py"
M = 0xFFFFFFFF
GOLDEN = 0x9E3779B9


def fmix32(z):
    z &= M
    z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
    z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
    return z ^ (z >> 16)


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M


class Xoshiro128ss:
    def __init__(self, s):
        self.s = [w & M for w in s]
        if not any(self.s):
            self.s[0] = 1
        self.spare = None

    def u32(self):
        s = self.s
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 9) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    def next(self):
        return self.u32() / 2**32

    def normal(self):
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        radius = math.sqrt(-2 * math.log(1 - self.u32() / 2**32))
        angle = 2 * math.pi * (self.u32() / 2**32)
        self.spare = radius * math.sin(angle)
        return radius * math.cos(angle)

    def int(self, n):
        limit = 2**32 - (2**32 % n)
        while True:
            u = self.u32()
            if u < limit:
                return u % n


def splitmix32(seed):
    state = seed & M

    def nxt():
        nonlocal state
        state = (state + GOLDEN) & M
        return fmix32(state)

    return nxt


def create_rng(seed, stream=""):
    lo, hi = struct.unpack("<II", struct.pack("<d", 0.0 if seed == 0 else float(seed)))
    h = 0
    words = [lo, hi] + [ord(ch) for ch in stream] + [len(stream)]  # streams here are ASCII (one UTF-16 unit each)
    for w in words:
        h = fmix32(((h ^ w) + GOLDEN) & M)
    mix = splitmix32(h)
    return Xoshiro128ss([mix(), mix(), mix(), mix()])


def shuffle(values, rng):
    a = list(values)
    for i in range(len(a) - 1, 0, -1):
        j = rng.int(i + 1)
        a[i], a[j] = a[j], a[i]
    return a


def rng_cases():
    # Outputs of the reference C xoshiro128** (prng.di.unimi.it) from the state {1, 2, 3, 4}.
    check = Xoshiro128ss([1, 2, 3, 4])
    assert [check.u32() for _ in range(3)] == [11520, 0, 5927040], "xoshiro128** re-implementation is wrong"
    cases = []
    for seed, stream in [(0, ""), (1, ""), (42, ""), (-3.5, ""), (2**40 + 0.25, ""), (1, "l0/weight_ih")]:
        r = create_rng(seed, stream)
        nxt = [r.next() for _ in range(6)]
        r = create_rng(seed, stream)
        normal = [r.normal() for _ in range(5)]
        r = create_rng(seed, stream)
        ints = [r.int(n) for n in (1, 2, 3, 10, 1000, 2**31 + 1, 2**32)]
        r = create_rng(seed, stream)
        cases.append({"seed": seed, "stream": stream, "next": nxt, "normal": normal,
                      "int": {"n": [1, 2, 3, 10, 1000, 2**31 + 1, 2**32], "values": ints},
                      "shuffle10": shuffle(range(10), r)})
    return cases


def qr_cases():
    rs = np.random.RandomState(7)
    mats = [rs.randn(3, 3), rs.randn(5, 5), np.array([[-2.0, 1.0], [0.5, -3.0]]), rs.randn(8, 8)]
    out = []
    for a in mats:
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))  # torch.nn.init.orthogonal_: q *= diag(r).sign()
        out.append({"n": a.shape[0], "a": a.reshape(-1).tolist(), "q": q.reshape(-1).tolist()})
    return out


def encode_special(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return float(v)


def dtype_cases():
    f16 = np.array([1.0, -2.5, 65504.0, 2.0**-24, -0.0, np.inf, 0.333251953125], dtype="<f2")
    f64 = np.array([[0.1, -1e-3, 1e300], [3.4028234663852886e38, -7.0, 1e-46]], dtype="<f8")
    bf_src = torch.tensor([1.0, -0.1, 3.0e38, 1e-3, float("-inf")], dtype=torch.float32)
    bf16 = bf_src.to(torch.bfloat16)
    bf16_bits = bf16.view(torch.int16).numpy().astype("<i2").tobytes()
    f32 = np.array([[1.5, -2.25], [1e-30, 7.0]], dtype="<f4")
    tensors = [
        ("half", "F16", [7], f16.tobytes()),  # 14 bytes, so the next tensor starts unaligned
        ("single_unaligned", "F32", [2, 2], f32.tobytes()),
        ("double", "F64", [2, 3], f64.tobytes()),
        ("brain", "BF16", [5], bf16_bits),
        ("empty", "F32", [0, 3], b""),
    ]
    write_safetensors(os.path.join(OUT_DIR, "dtypes.safetensors"), tensors, {"made_by": "safetensors_writer.py"})
    with np.errstate(over="ignore"):  # 1e300 -> inf is the point of the test
        f64_as_f32 = f64.astype(np.float32)
    expected = {
        "half": f16.astype(np.float32),
        "single_unaligned": f32,
        "double": f64_as_f32,  # round to nearest, overflow to inf, underflow to 0
        "brain": bf16.float().numpy(),
        "empty": np.zeros((0, 3), dtype=np.float32),
    }
    return {k: {"shape": list(v.shape), "data": [encode_special(float(x)) for x in v.reshape(-1)]}
            for k, v in expected.items()}


def main():
    fixture = {
        "generator": "tooling/torch-export/make_reference_values.py",
        "command": COMMAND,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "rng": rng_cases(),
        "qr": qr_cases(),
        "dtypes": {"file": "dtypes.safetensors", "metadata": {"made_by": "safetensors_writer.py"},
                   "expected": dtype_cases()},
    }
    with open(os.path.join(OUT_DIR, "reference-values.json"), "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

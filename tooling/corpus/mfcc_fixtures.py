#!/usr/bin/python3
"""Independent numpy reference for @recurrent/speech's MFCC-39 and float16 codec -> committed test fixtures.

Run once (build.sh runs it after the corpus): /usr/bin/python3 tooling/corpus/mfcc_fixtures.py
Reads the committed real recordings in packages/speech/data/audio/ with Python's `wave` module and writes
packages/speech/fixtures/*.json. Written from the recipe text (packages/speech/src/mfcc-recipe.ts header and
/work/shared/reference/speech-data.md), vectorized with numpy.fft.rfft; it shares no code with the TypeScript.
"""
import json
import os
import wave

import numpy as np

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AUDIO = os.path.join(ROOT, "packages", "speech", "data", "audio")
OUT = os.path.join(ROOT, "packages", "speech", "fixtures")
RATE, FLEN, FSTEP, NFFT, NMEL, NCEP, LIFTER, FLOOR = 16000, 400, 160, 512, 26, 13, 22, 1.0


def read_int16(path):
    with wave.open(path) as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getframerate() == RATE
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)


def mel_filterbank():
    hz2mel = lambda hz: 2595 * np.log10(1 + hz / 700.0)
    mel2hz = lambda mel: 700 * (10 ** (mel / 2595.0) - 1)
    mels = np.linspace(hz2mel(0), hz2mel(RATE / 2), NMEL + 2)
    bins = np.floor((NFFT + 1) * mel2hz(mels) / RATE).astype(int)
    fb = np.zeros((NMEL, NFFT // 2 + 1))
    for j in range(NMEL):
        a, b, c = bins[j], bins[j + 1], bins[j + 2]
        fb[j, a:b] = (np.arange(a, b) - a) / (b - a)
        fb[j, b:c] = (c - np.arange(b, c)) / (c - b)
    return fb


def deltas(feat):
    T = feat.shape[0]
    p = np.pad(feat, ((2, 2), (0, 0)), mode="edge")
    return sum(n * (p[2 + n : 2 + n + T] - p[2 - n : 2 - n + T]) for n in (1, 2)) / 10.0


def mfcc39(x):
    """x: int16-scale float64 samples at 16 kHz -> [T, 39]."""
    emph = np.concatenate([x[:1], x[1:] - 0.97 * x[:-1]])
    T = 0 if len(x) < FLEN else 1 + (len(x) - FLEN) // FSTEP
    idx = np.arange(FLEN)[None, :] + FSTEP * np.arange(T)[:, None]
    frames = emph[idx] * np.hamming(FLEN)
    power = np.abs(np.fft.rfft(frames, NFFT)) ** 2 / NFFT
    energy = np.maximum(power.sum(axis=1), FLOOR)
    logmel = np.log(np.maximum(power @ mel_filterbank().T, FLOOR))
    k = np.arange(NCEP)[:, None]
    m = np.arange(NMEL)[None, :]
    dct = np.sqrt(2.0 / NMEL) * np.cos(np.pi * k * (2 * m + 1) / (2 * NMEL))
    dct[0] /= np.sqrt(2.0)
    cep = (logmel @ dct.T) * (1 + (LIFTER / 2) * np.sin(np.pi * np.arange(NCEP) / LIFTER))
    cep[:, 0] = np.log(energy)
    d = deltas(cep)
    return np.hstack([cep, d, deltas(d)])


def dump(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", name)


def rows(a):
    return [[float("%.9g" % v) for v in r] for r in a]


def main():
    for uid in ("agent-pass", "digits-7"):
        feats = mfcc39(read_int16(os.path.join(AUDIO, uid + ".wav")))
        dump("mfcc-" + uid + ".json", {"wav": "data/audio/" + uid + ".wav", "shape": list(feats.shape), "mfcc": rows(feats)})
    # synthetic: a 200-3000 Hz chirp with exact digital silence before and after (exercises the log floor)
    rng = np.random.default_rng(7)
    t = np.arange(6000) / RATE
    chirp = 8000 * np.sin(2 * np.pi * (200 * t + (2800 / (2 * t[-1])) * t**2)) + rng.normal(0, 30, t.size)
    x = np.concatenate([np.zeros(1500), np.round(chirp), np.zeros(1700)]).clip(-32768, 32767)
    feats = mfcc39(x)
    dump("mfcc-chirp.json", {"samples": [int(v) for v in x], "shape": list(feats.shape), "mfcc": rows(feats)})
    # float16: numpy's IEEE binary16 rounding of float32 values, incl. subnormals, ties and overflow
    vals = np.concatenate([
        rng.normal(0, 10, 200), rng.normal(0, 1e-5, 50), np.array([0.0, -0.0, 1.0, -2.0, 65504, 65519.99, 65520, 1e6,
        2.0**-24, 2.0**-25, 3 * 2.0**-25, 2.0**-14, 1 + 2.0**-11, 1 + 3 * 2.0**-11, -1e-9, 0.1, 0.5 + 2.0**-12])
    ]).astype(np.float32)
    with np.errstate(over="ignore"):  # 1e6 overflowing to inf is one of the cases
        bits = vals.astype(np.float16).view(np.uint16)
    dump("float16.json", {"values": [float(v) for v in vals], "bits": [int(b) for b in bits]})


if __name__ == "__main__":
    main()

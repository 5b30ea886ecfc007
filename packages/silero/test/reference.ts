/**
 * An independent plain-loop Silero VAD forward pass in float64, written from the PyTorch architecture (reflect pad
 * → STFT conv → magnitude → 4 conv+ReLU → LSTMCell → ReLU → 1×1 conv → sigmoid), on a PyTorch state dict. It
 * shares no code with the IR or any backend: the check that `sileroGraph()` means what the PyTorch model means.
 */
import type { Tensor } from "@recurrent/core";
import { CONTEXT_SAMPLES, UNITS, WINDOW_SAMPLES } from "../src/index.js";

type Rows = Float64Array[]; // [channels][time]

function conv(sd: Record<string, Tensor>, key: string, x: Rows, stride: number, pad: number, relu: boolean): Rows {
  const w = sd[`${key}.weight`]!;
  const b = sd[`${key}.bias`]?.data;
  const [O, C, K] = w.shape as [number, number, number];
  const T = x[0]!.length;
  const steps = Math.floor((T + 2 * pad - K) / stride) + 1;
  const y: Rows = [];
  for (let o = 0; o < O; o++) {
    const row = new Float64Array(steps);
    for (let t = 0; t < steps; t++) {
      let s = b ? b[o]! : 0;
      for (let c = 0; c < C; c++) {
        for (let k = 0; k < K; k++) {
          const i = t * stride - pad + k;
          if (i >= 0 && i < T) s += w.data[(o * C + c) * K + k]! * x[c]![i]!;
        }
      }
      row[t] = relu ? Math.max(0, s) : s;
    }
    y.push(row);
  }
  return y;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** One call: a 576-sample window and the state → the probability and the next state (h, c). */
export function referenceCall(
  sd: Record<string, Tensor>,
  window: Float32Array,
  h: Float64Array,
  c: Float64Array,
): { p: number; h: Float64Array; c: Float64Array } {
  const x = new Float64Array(WINDOW_SAMPLES + CONTEXT_SAMPLES);
  x.set(window);
  for (let i = 0; i < CONTEXT_SAMPLES; i++) x[WINDOW_SAMPLES + i] = window[WINDOW_SAMPLES - 2 - i]!; // reflect
  const spec = conv(sd, "stft_conv", [x], 128, 0, false);
  const bins = spec.length / 2;
  const mag: Rows = spec.slice(0, bins).map((re, k) => re.map((r, t) => Math.hypot(r, spec[k + bins]![t]!)));
  let e = conv(sd, "conv1", mag, 1, 1, true);
  e = conv(sd, "conv2", e, 2, 1, true);
  e = conv(sd, "conv3", e, 2, 1, true);
  e = conv(sd, "conv4", e, 1, 1, true);
  const xin = e.map((r) => r[0]!);
  const wi = sd["lstm_cell.weight_ih"]!.data;
  const wh = sd["lstm_cell.weight_hh"]!.data;
  const bi = sd["lstm_cell.bias_ih"]!.data;
  const bh = sd["lstm_cell.bias_hh"]!.data;
  const g = new Float64Array(4 * UNITS);
  for (let r = 0; r < 4 * UNITS; r++) {
    let s = bi[r]! + bh[r]!;
    for (let j = 0; j < UNITS; j++) s += wi[r * UNITS + j]! * xin[j]! + wh[r * UNITS + j]! * h[j]!;
    g[r] = s;
  }
  const h2 = new Float64Array(UNITS);
  const c2 = new Float64Array(UNITS);
  for (let j = 0; j < UNITS; j++) {
    // PyTorch gate order i, f, g, o
    c2[j] = sigmoid(g[UNITS + j]!) * c[j]! + sigmoid(g[j]!) * Math.tanh(g[2 * UNITS + j]!);
    h2[j] = sigmoid(g[3 * UNITS + j]!) * Math.tanh(c2[j]!);
  }
  let z = sd["final_conv.bias"]!.data[0]!;
  for (let j = 0; j < UNITS; j++) z += sd["final_conv.weight"]!.data[j]! * Math.max(0, h2[j]!);
  return { p: sigmoid(z), h: h2, c: c2 };
}

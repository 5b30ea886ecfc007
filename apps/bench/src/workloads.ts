/**
 * The workloads W1–W5 of /work/shared/reference/performance.md, W6–W7 of issue #14, and their FLOP formulas.
 * Every system measures these and nothing else; `--quick` shrinks T (and W4's frame count) for every system
 * alike, and the scaling grid (scaling.ts) varies H, T and B of W1.
 */

/** Input features (one MFCC frame). */
export const D = 39;
/** Hidden units of the recurrent layer. */
export const H = 128;
/** Outputs of the per-frame dense layer. */
export const O = 39;
/** Sequences per step. */
export const B = 32;
/** Time steps per sequence in the full run. */
export const T = 100;
/** Frames streamed per W4 repetition in the full run. */
export const STREAM_FRAMES = 1000;

/** Outputs of the windowed FFN (W7): 40 phone classes, as in the speech demo. */
export const FFN_OUTPUTS = 40;
/** Frames of context on each side of the windowed FFN's frame stack (41 frames × 39 = 1599 inputs). */
export const FFN_CONTEXT = 20;
/** Hidden layers of the windowed FFN: 1599 → 140 → 140 → 40 (relu), 249,380 parameters. */
export const FFN_HIDDEN = [140, 140] as const;

/** A workload id. */
export type WorkloadId = "W1" | "W2" | "W3" | "W4" | "W5" | "W6" | "W7";

/** Every workload, in table order. */
export const WORKLOAD_IDS: readonly WorkloadId[] = ["W1", "W2", "W3", "W4", "W5", "W6", "W7"];

/** The recurrent cell of a workload's model, or `ffn` for the windowed feed-forward net (no recurrence). */
export type BenchCell = "lstm" | "gru" | "simple" | "ffn";

/** The recurrent cell and direction of a workload's model, and what one step of it does. */
export interface WorkloadSpec {
  readonly id: WorkloadId;
  readonly title: string;
  readonly cell: BenchCell;
  readonly bidirectional: boolean;
  /** `train`: forward, BPTT, Adam update on [T, B]; `forward`: inference on [T, B]; `stream`: B=1 frame by frame. */
  readonly kind: "train" | "forward" | "stream";
}

/**
 * The workloads: W1–W5 of the reference, then the two of issue #14 that compare with PyTorch (W2 is the GRU
 * train step at W1's shape): W6 a simple-RNN (tanh) train step at W1's shape, W7 the 250k-parameter windowed
 * FFN train step (frameStack 41×39 → dense 140 → 140 → 40, relu, MSE) on W1's [T, B].
 */
export const WORKLOADS: Readonly<Record<WorkloadId, WorkloadSpec>> = {
  W1: { id: "W1", title: "LSTM train step", cell: "lstm", bidirectional: false, kind: "train" },
  W2: { id: "W2", title: "GRU train step", cell: "gru", bidirectional: false, kind: "train" },
  W3: { id: "W3", title: "LSTM forward", cell: "lstm", bidirectional: false, kind: "forward" },
  W4: { id: "W4", title: "LSTM streaming, B=1", cell: "lstm", bidirectional: false, kind: "stream" },
  W5: { id: "W5", title: "BiLSTM (sum) train step", cell: "lstm", bidirectional: true, kind: "train" },
  W6: { id: "W6", title: "simple RNN train step", cell: "simple", bidirectional: false, kind: "train" },
  W7: { id: "W7", title: "windowed FFN (250k) train step", cell: "ffn", bidirectional: false, kind: "train" },
};

/** The sizes a run uses: the reference's, the smaller T of `--quick`, or a point of the scaling grid. */
export interface Sizes {
  /** Time steps of the sequence workloads. */
  readonly T: number;
  /** Frames per W4 repetition. */
  readonly frames: number;
  /** Hidden units of the recurrent layer (the scaling grid varies it; the workloads use {@link H}). */
  readonly H: number;
  /** Sequences per step (the scaling grid varies it; the workloads use {@link B}). */
  readonly B: number;
}

/** The reference sizes. */
export const FULL_SIZES: Sizes = { T, frames: STREAM_FRAMES, H, B };

/** The sizes of `--quick`: one fifth of the reference, for every system alike. */
export const QUICK_SIZES: Sizes = { T: 20, frames: 200, H, B };

/** Output features of a workload's last dense layer. */
export function outputsOf(spec: WorkloadSpec): number {
  return spec.cell === "ffn" ? FFN_OUTPUTS : O;
}

/**
 * FLOPs of one time step of one recurrent direction at batch `b`: the gate products `2·b·G·h·(D+h)` (G = 4
 * LSTM, 3 GRU, 1 simple RNN) plus `15·b·h` for the elementwise gate work (the reference counts the same 15 for
 * both of its cells; the simple RNN keeps it, an over-count of its one tanh).
 */
export function cellStepFlops(cell: "lstm" | "gru" | "simple", b: number, h: number = H): number {
  const gates = cell === "lstm" ? 4 : cell === "gru" ? 3 : 1;
  return 2 * b * gates * h * (D + h) + 15 * b * h;
}

/** FLOPs of the per-frame dense layer h→O for one time step at batch `b`. */
export function denseStepFlops(b: number, h: number = H): number {
  return 2 * b * h * O;
}

/** FLOPs of the windowed FFN's three products for one time step at batch `b` (biases and relu not counted). */
export function ffnStepFlops(b: number): number {
  const inputs = (2 * FFN_CONTEXT + 1) * D;
  const [h1, h2] = FFN_HIDDEN;
  return 2 * b * (inputs * h1 + h1 * h2 + h2 * FFN_OUTPUTS);
}

/**
 * FLOPs of one forward time step of a workload's model at batch `b` and hidden size `h`. A bidirectional layer
 * counts both directions and `b·h` additions for the sum merge (this reproduces the reference's 3,417 M for W5).
 */
export function forwardStepFlops(spec: WorkloadSpec, b: number, h: number = H): number {
  if (spec.cell === "ffn") return ffnStepFlops(b);
  const one = cellStepFlops(spec.cell, b, h);
  const rnn = spec.bidirectional ? 2 * one + b * h : one;
  return rnn + denseStepFlops(b, h);
}

/**
 * FLOPs of one measured unit of a workload: a train step (3 × forward, the reference's convention) or a
 * forward pass over `[t, B]`, or one streamed frame (W4, B=1).
 * @param t time steps (default the reference's T); ignored for W4, which is counted per frame.
 * @param h hidden units (default {@link H}); @param b batch (default {@link B}; W4 is B=1).
 */
export function workloadFlops(id: WorkloadId, t: number = T, h: number = H, b: number = B): number {
  const spec = WORKLOADS[id];
  switch (spec.kind) {
    case "train":
      return 3 * t * forwardStepFlops(spec, b, h);
    case "forward":
      return t * forwardStepFlops(spec, b, h);
    case "stream":
      return forwardStepFlops(spec, 1, h);
    default:
      return spec.kind satisfies never;
  }
}

/** The unit a workload's time is reported in: milliseconds per step, or microseconds per frame (W4). */
export function workloadUnit(id: WorkloadId): "ms" | "µs/frame" {
  return WORKLOADS[id].kind === "stream" ? "µs/frame" : "ms";
}

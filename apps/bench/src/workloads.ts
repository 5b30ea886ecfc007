/**
 * The workloads W1–W5 of /work/shared/reference/performance.md and their FLOP formulas. Every system measures
 * these and nothing else; `--quick` shrinks T (and W4's frame count) for every system alike.
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

/** A workload id. */
export type WorkloadId = "W1" | "W2" | "W3" | "W4" | "W5";

/** Every workload, in table order. */
export const WORKLOAD_IDS: readonly WorkloadId[] = ["W1", "W2", "W3", "W4", "W5"];

/** The recurrent cell and direction of a workload's model, and what one step of it does. */
export interface WorkloadSpec {
  readonly id: WorkloadId;
  readonly title: string;
  readonly cell: "lstm" | "gru";
  readonly bidirectional: boolean;
  /** `train`: forward, BPTT, Adam update on [T, B]; `forward`: inference on [T, B]; `stream`: B=1 frame by frame. */
  readonly kind: "train" | "forward" | "stream";
}

/** The five workloads. */
export const WORKLOADS: Readonly<Record<WorkloadId, WorkloadSpec>> = {
  W1: { id: "W1", title: "LSTM train step", cell: "lstm", bidirectional: false, kind: "train" },
  W2: { id: "W2", title: "GRU train step", cell: "gru", bidirectional: false, kind: "train" },
  W3: { id: "W3", title: "LSTM forward", cell: "lstm", bidirectional: false, kind: "forward" },
  W4: { id: "W4", title: "LSTM streaming, B=1", cell: "lstm", bidirectional: false, kind: "stream" },
  W5: { id: "W5", title: "BiLSTM (sum) train step", cell: "lstm", bidirectional: true, kind: "train" },
};

/** The sizes a run uses: the reference's, or the smaller T of `--quick`. */
export interface Sizes {
  /** Time steps of W1, W2, W3, W5. */
  readonly T: number;
  /** Frames per W4 repetition. */
  readonly frames: number;
}

/** The reference sizes. */
export const FULL_SIZES: Sizes = { T, frames: STREAM_FRAMES };

/** The sizes of `--quick`: one fifth of the reference, for every system alike. */
export const QUICK_SIZES: Sizes = { T: 20, frames: 200 };

/**
 * FLOPs of one time step of one recurrent direction at batch `b`: the gate products `2·b·G·H·(D+H)` plus
 * `15·b·H` for the elementwise gate work (the reference counts the same 15 for both cells).
 */
export function cellStepFlops(cell: "lstm" | "gru", b: number): number {
  const gates = cell === "lstm" ? 4 : 3;
  return 2 * b * gates * H * (D + H) + 15 * b * H;
}

/** FLOPs of the per-frame dense layer H→O for one time step at batch `b`. */
export function denseStepFlops(b: number): number {
  return 2 * b * H * O;
}

/**
 * FLOPs of one forward time step of a workload's model at batch `b`. A bidirectional layer counts both
 * directions and `b·H` additions for the sum merge (this reproduces the reference's 3,417 M for W5).
 */
export function forwardStepFlops(spec: WorkloadSpec, b: number): number {
  const rnn = spec.bidirectional ? 2 * cellStepFlops(spec.cell, b) + b * H : cellStepFlops(spec.cell, b);
  return rnn + denseStepFlops(b);
}

/**
 * FLOPs of one measured unit of a workload: a train step (3 × forward, the reference's convention) or a
 * forward pass over `[t, B]`, or one streamed frame (W4, B=1).
 * @param t time steps (default the reference's T); ignored for W4, which is counted per frame.
 */
export function workloadFlops(id: WorkloadId, t: number = T): number {
  const spec = WORKLOADS[id];
  switch (spec.kind) {
    case "train":
      return 3 * t * forwardStepFlops(spec, B);
    case "forward":
      return t * forwardStepFlops(spec, B);
    case "stream":
      return forwardStepFlops(spec, 1);
    default:
      return spec.kind satisfies never;
  }
}

/** The unit a workload's time is reported in: milliseconds per step, or microseconds per frame (W4). */
export function workloadUnit(id: WorkloadId): "ms" | "µs/frame" {
  return WORKLOADS[id].kind === "stream" ? "µs/frame" : "ms";
}

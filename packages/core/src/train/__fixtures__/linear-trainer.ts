/**
 * A small, honest test double of `Trainer` for the fit-loop tests: linear least squares `ŷ = w·x` trained by
 * SGD with momentum (PyTorch semantics: v ← μ·v + g, w ← w − lr·v) on the MSE loss mean_b (w·x_b − y_b)².
 * Weights and the momentum slot are stored as float32 after every update, so a checkpoint (float32) holds the
 * state exactly and a resumed run can match an uninterrupted one bit for bit.
 */
import type { OptimizerState, StepResult, TrainBatch, Trainer } from "../../backend/backend.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Weights } from "../../weights/weights.js";
import { type Checkpoint, type CheckpointIO, decodeCheckpoint, encodeCheckpoint } from "../checkpoint.js";
import { type Dataset, vectorDataset } from "../dataset.js";

export interface LinearTrainerOptions {
  readonly w0: readonly number[];
  readonly lr: number;
  readonly momentum?: number;
}

export class LinearTrainer implements Trainer {
  w: Float32Array;
  v: Float32Array;
  lr: number;
  steps = 0;
  readonly momentum: number;
  /** The learning rate of every step taken, in order. */
  readonly lrLog: number[] = [];

  constructor(options: LinearTrainerOptions) {
    this.w = Float32Array.from(options.w0);
    this.v = new Float32Array(this.w.length);
    this.lr = options.lr;
    this.momentum = options.momentum ?? 0;
  }

  /** Loss and gradient of the batch at the current weights (float64 arithmetic). */
  lossAndGrad(batch: TrainBatch): { loss: number; grad: Float64Array } {
    const x = batch.inputs.x as Tensor;
    const [B, D] = x.shape as [number, number];
    const y = batch.target.data;
    const grad = new Float64Array(D);
    let loss = 0;
    for (let b = 0; b < B; b++) {
      let pred = 0;
      for (let d = 0; d < D; d++) pred += this.w[d]! * x.data[b * D + d]!;
      const err = pred - y[b]!;
      loss += err * err;
      for (let d = 0; d < D; d++) grad[d]! += (2 * err * x.data[b * D + d]!) / B;
    }
    return { loss: loss / B, grad };
  }

  async step(batch: TrainBatch): Promise<StepResult> {
    const { loss, grad } = this.lossAndGrad(batch);
    let norm = 0;
    for (let d = 0; d < this.w.length; d++) {
      this.v[d] = this.momentum * this.v[d]! + grad[d]!;
      this.w[d] = this.w[d]! - this.lr * this.v[d]!;
      norm += grad[d]! * grad[d]!;
    }
    this.steps++;
    this.lrLog.push(this.lr);
    return { loss, gradNorm: Math.sqrt(norm) };
  }

  async evaluate(batch: TrainBatch): Promise<{ loss: number }> {
    return { loss: this.lossAndGrad(batch).loss };
  }

  weights(): Weights {
    return { "lin/w": { shape: [this.w.length], data: this.w.slice() } };
  }

  state(): OptimizerState {
    return { step: this.steps, slots: { "momentum/lin/w": { shape: [this.v.length], data: this.v.slice() } } };
  }

  restore(weights: Weights, state: OptimizerState): void {
    this.w = weights["lin/w"]!.data.slice();
    this.v = state.slots["momentum/lin/w"]!.data.slice();
    this.steps = state.step;
  }

  setLearningRate(lr: number): void {
    this.lr = lr;
  }

  async dispose(): Promise<void> {}
}

/** A fixed regression set: x_i = [1, sin(i), i/n], y_i = 0.5 + 2·sin(i) − i/n + small deterministic noise. */
export function regressionSet(n: number, offset = 0): Dataset {
  return vectorDataset(
    Array.from({ length: n }, (_, k) => {
      const i = k + offset;
      const x = Float32Array.from([1, Math.sin(i), i / n]);
      return { x, y: Float32Array.of(0.5 + 2 * Math.sin(i) - i / n + 0.01 * Math.cos(7 * i)) };
    }),
    { input: "x" },
  );
}

/** The run used by the kill-and-resume test, both in the child process and in the test itself. */
export const KILL_RUN = {
  trainer: () => new LinearTrainer({ w0: [0.1, -0.2, 0.3], lr: 0.05, momentum: 0.9 }),
  data: () => regressionSet(20),
  options: { epochs: 3, batchSize: 4, seed: 7 },
} as const;

/** Stores checkpoints as encoded bytes in memory and keeps a decoded copy of every save. */
export function memoryIO(): { io: CheckpointIO; saved: Checkpoint[]; files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const saved: Checkpoint[] = [];
  return {
    files,
    saved,
    io: {
      async save(path, ck) {
        const bytes = encodeCheckpoint(ck);
        files.set(path, bytes);
        saved.push(decodeCheckpoint(bytes));
      },
      async load(path) {
        const bytes = files.get(path);
        return bytes === undefined ? undefined : decodeCheckpoint(bytes);
      },
    },
  };
}

import {
  assertValid,
  createRng,
  dense,
  initWeights,
  input,
  type Rng,
  rnn,
  sequential,
  type TrainBatch,
  tensor,
  type Weights,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { createTrainer } from "./trainer.js";

// Learning tests that can fail: each trains a small model for real and checks an outcome that a broken gradient,
// optimizer, clip or state carry would miss. Sizes, steps and thresholds were chosen from runs over 10 seeds (see
// docs/training.md, "Learning tests"); each test uses one fixed seed so the suite is deterministic.

type Cell = "simple" | "lstm";

/** A sequence model: input(D) → rnn(cell, H) → dense(1), per frame; every sample uses all T steps (no lengths). */
function seqModel(cell: Cell, D: number, H: number, activation?: "tanh") {
  return assertValid(
    sequential(`${cell}-model`, [
      input("x", D, { lengths: false }),
      rnn("r", { cell, units: H, ...(activation ? { activation } : {}) }),
      dense("out", { units: 1 }),
    ]),
  );
}

/**
 * Delayed recall: channel 0 carries a value v ~ U(−1, 1) at step 0 and N(0, 1) noise afterwards; channel 1 marks
 * step 0. The target at every step t is v — the input seen t steps earlier. Noise arrives on the same channel as
 * the value, so only a gated memory can hold v and ignore what follows: an LSTM learns it; a simple RNN, which can
 * only add its inputs in, cannot over long delays (it does at a short one).
 */
function recallBatch(rng: Rng, T: number, B: number): TrainBatch {
  const x = new Float32Array(T * B * 2);
  const y = new Float32Array(T * B);
  for (let b = 0; b < B; b++) {
    const v = rng.next() * 2 - 1;
    for (let t = 0; t < T; t++) {
      x[(t * B + b) * 2] = t === 0 ? v : rng.normal();
      y[t * B + b] = v;
    }
    x[b * 2 + 1] = 1;
  }
  return { inputs: { x: tensor([T, B, 2], x) }, target: tensor([T, B, 1], y) };
}

async function trainRecall(cell: Cell, T: number, seed: number): Promise<number> {
  const model = seqModel(cell, 2, 8);
  const trainer = await createTrainer(model, initWeights(model, { seed }), {
    loss: "mse",
    optimizer: { kind: "adam", lr: 0.03 },
    clipNorm: 1,
  });
  const rng = createRng(seed, "recall-data");
  for (let s = 0; s < 300; s++) await trainer.step(recallBatch(rng, T, 32));
  return (await trainer.evaluate(recallBatch(rng, T, 256))).loss;
}

/** Sine continuation: x_t = a·sin(ωt + φ) with random a, ω, φ per sample; the target is x_{t+1}. */
function sineBatch(rng: Rng, T: number, B: number, gap = 1): { batch: TrainBatch; repeatLastMse: number } {
  const x = new Float32Array(T * B);
  const y = new Float32Array(T * B);
  let repeat = 0;
  for (let b = 0; b < B; b++) {
    const w = 0.15 + 0.25 * rng.next();
    const phi = 2 * Math.PI * rng.next();
    const a = 0.5 + 0.5 * rng.next();
    for (let t = 0; t < T; t++) {
      x[t * B + b] = a * Math.sin(w * t + phi);
      y[t * B + b] = a * Math.sin(w * (t + gap) + phi);
      repeat += (y[t * B + b]! - x[t * B + b]!) ** 2;
    }
  }
  return {
    batch: { inputs: { x: tensor([T, B, 1], x) }, target: tensor([T, B, 1], y) },
    repeatLastMse: repeat / (T * B),
  };
}

describe("delayed recall: an LSTM learns long delays, a simple RNN does not", () => {
  // Delays up to 59, over 11 runs (seeds × data streams): LSTM 0.0003–0.012; over 19 runs: simple RNN 0.089–0.47,
  // mostly ~0.3 (predicting 0 scores 1/3).
  test("delays up to 59 steps: an LSTM gets the loss below 0.03", async () => {
    expect(await trainRecall("lstm", 60, 1)).toBeLessThan(0.03);
  });

  test("delays up to 59 steps: a simple RNN stays above 0.05", async () => {
    expect(await trainRecall("simple", 60, 1)).toBeGreaterThan(0.05);
  });

  // The control: the same simple RNN and training do solve the task at a short delay (0.0005–0.003 over seeds).
  test("delays up to 2 steps: the simple RNN learns it too (loss < 0.02)", async () => {
    expect(await trainRecall("simple", 3, 1)).toBeLessThan(0.02);
  });
});

describe("sine continuation", () => {
  // Over seeds 0..5 the final MSE is 0.07–0.12 of the repeat-last-value baseline.
  test("an LSTM predicts the next sample far better than repeating the last one", async () => {
    const model = seqModel("lstm", 1, 12);
    const trainer = await createTrainer(model, initWeights(model, { seed: 2 }), {
      loss: "mse",
      optimizer: { kind: "adam", lr: 0.02 },
    });
    const rng = createRng(2, "sine-data");
    for (let s = 0; s < 150; s++) await trainer.step(sineBatch(rng, 40, 16).batch);
    const held = sineBatch(rng, 40, 256);
    const { loss } = await trainer.evaluate(held.batch);
    expect(held.repeatLastMse).toBeGreaterThan(0.015);
    expect(loss).toBeLessThan(0.3 * held.repeatLastMse);
  });
});

describe("exploding gradients", () => {
  /** A tanh RNN whose recurrent weights are scaled ×5 (spectral radius 5): gradients through time explode. */
  function badlyScaled(): { model: ReturnType<typeof seqModel>; weights: Weights } {
    const model = seqModel("simple", 1, 16, "tanh");
    const weights = initWeights(model, { seed: 0 });
    const hh = weights["r/weight_hh"]!.data;
    hh.forEach((v, i) => {
      hh[i] = 5 * v;
    });
    return { model, weights };
  }

  async function run(clipNorm: number | undefined): Promise<{ losses: number[]; firstNorm: number }> {
    const { model, weights } = badlyScaled();
    const trainer = await createTrainer(model, weights, {
      loss: "mse",
      optimizer: { kind: "sgd", lr: 0.3 },
      ...(clipNorm === undefined ? {} : { clipNorm }),
    });
    const rng = createRng(0, "explode-data");
    const losses: number[] = [];
    let firstNorm = Number.NaN;
    for (let s = 0; s < 300; s++) {
      const { loss, gradNorm } = await trainer.step(sineBatch(rng, 30, 16).batch);
      if (s === 0) firstNorm = gradNorm;
      losses.push(loss);
      if (!Number.isFinite(loss)) break;
    }
    return { losses, firstNorm };
  }

  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  // Over seeds 0..4: first gradient norms 6e3–8e4 at a loss of ~1–2; unclipped SGD reaches NaN within 100 steps;
  // clipped, the mean loss of the last 10 steps is 0.11–0.62 of the first 10's.
  test("without clipping the loss blows up; with clipNorm = 1 it stays finite and decreases", async () => {
    const free = await run(undefined);
    expect(free.firstNorm).toBeGreaterThan(1e3);
    expect(free.losses.some((l) => !Number.isFinite(l) || l > 1e6)).toBe(true);

    const clipped = await run(1);
    expect(clipped.firstNorm).toBe(free.firstNorm); // same start: the norm is reported before clipping
    expect(clipped.losses).toHaveLength(300);
    expect(clipped.losses.every(Number.isFinite)).toBe(true);
    expect(mean(clipped.losses.slice(-10))).toBeLessThan(0.8 * mean(clipped.losses.slice(0, 10)));
  });
});

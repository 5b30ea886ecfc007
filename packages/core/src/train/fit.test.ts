import { describe, expect, test } from "vitest";
import { LinearTrainer, memoryIO, regressionSet } from "./__fixtures__/linear-trainer.js";
import { type Dataset, vectorDataset } from "./dataset.js";
import { TrainError, TrainingDivergedError } from "./errors.js";
import { type FitEvent, type FitOptions, fit } from "./fit.js";
import { stepDecay } from "./schedules.js";

/** A dataset that records the indices of every batch drawn from it. */
function recording(d: Dataset): { set: Dataset; calls: number[][] } {
  const calls: number[][] = [];
  return {
    calls,
    set: {
      size: d.size,
      batch: (indices) => {
        calls.push([...indices]);
        return d.batch(indices);
      },
    },
  };
}

/** 1-D data: x_i, y_i = 3·x_i + noise. */
function line(n: number, slope = 3): { set: Dataset; x: number[]; y: number[] } {
  const x = Array.from({ length: n }, (_, i) => Math.fround(0.5 + i / n));
  const y = x.map((v, i) => Math.fround(slope * v + 0.1 * Math.sin(i)));
  const set = vectorDataset(
    x.map((v, i) => ({ x: Float32Array.of(v), y: Float32Array.of(y[i]!) })),
    { input: "x" },
  );
  return { set, x, y };
}

describe("fit: batching and shuffling", () => {
  test("full-batch gradient descent matches the closed form w_n = w* + (1 − 2·lr·a)^n (w0 − w*)", async () => {
    const { set, x, y } = line(8);
    const trainer = new LinearTrainer({ w0: [0], lr: 0.1 });
    await fit(trainer, set, { epochs: 6, batchSize: 8 });
    const a = x.reduce((s, v) => s + v * v, 0) / x.length;
    const b = x.reduce((s, v, i) => s + v * y[i]!, 0) / x.length;
    const wStar = b / a;
    expect(trainer.w[0]).toBeCloseTo(wStar + (1 - 2 * 0.1 * a) ** 6 * (0 - wStar), 5);
  });

  test("batchSize 1 without shuffling is plain SGD over the examples in order", async () => {
    const { set, x, y } = line(5);
    const trainer = new LinearTrainer({ w0: [0.5], lr: 0.05 });
    await fit(trainer, set, { epochs: 3, batchSize: 1, shuffle: false });
    let w = 0.5;
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let i = 0; i < 5; i++) w -= 0.05 * 2 * (w * x[i]! - y[i]!) * x[i]!;
    }
    expect(trainer.w[0]).toBeCloseTo(w, 5);
    expect(trainer.steps).toBe(15);
  });

  test("every example is seen exactly once per epoch, in batches of batchSize and a smaller last one", async () => {
    const { set, calls } = recording(regressionSet(10));
    await fit(new LinearTrainer({ w0: [0, 0, 0], lr: 0.01 }), set, { epochs: 3, batchSize: 4, seed: 3 });
    expect(calls.map((c) => c.length)).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2]);
    const epochs = [0, 1, 2].map((e) => calls.slice(3 * e, 3 * e + 3).flat());
    for (const order of epochs) expect([...order].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const identity = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(epochs.filter((o) => JSON.stringify(o) === JSON.stringify(identity))).toHaveLength(0);
    expect(new Set(epochs.map((o) => o.join())).size).toBe(3);
  });

  test("the order depends on the seed only: same seed, same batches; another seed, other batches", async () => {
    const run = async (seed: number) => {
      const { set, calls } = recording(regressionSet(12));
      await fit(new LinearTrainer({ w0: [0, 0, 0], lr: 0.01 }), set, { epochs: 2, batchSize: 5, seed });
      return calls;
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  test("events arrive in order with 0-based indices and a running step count", async () => {
    const events: FitEvent[] = [];
    await fit(new LinearTrainer({ w0: [0, 0, 0], lr: 0.01 }), regressionSet(10), {
      epochs: 2,
      batchSize: 4,
      onEvent: (e) => {
        events.push(e);
      },
    });
    expect(events.map((e) => e.type)).toEqual([
      ...["epochStart", "batchEnd", "batchEnd", "batchEnd", "epochEnd"],
      ...["epochStart", "batchEnd", "batchEnd", "batchEnd", "epochEnd"],
    ]);
    const batchEnds = events.filter((e) => e.type === "batchEnd");
    expect(batchEnds.map((e) => [e.epoch, e.batch, e.batches, e.step])).toEqual([
      [0, 0, 3, 1],
      [0, 1, 3, 2],
      [0, 2, 3, 3],
      [1, 0, 3, 4],
      [1, 1, 3, 5],
      [1, 2, 3, 6],
    ]);
  });
});

describe("fit: losses, validation, schedules", () => {
  test("train and validation losses are means over examples (batches weighted by their size)", async () => {
    const train = regressionSet(10);
    const val = regressionSet(7, 100);
    const trainer = new LinearTrainer({ w0: [0.3, 1.1, -0.4], lr: 0 });
    const history = await fit(trainer, train, { epochs: 1, batchSize: 4, validation: val, validationBatchSize: 3 });
    // lr 0: the weights never move, so both losses are plain means of per-example squared errors.
    const meanSquaredError = (d: Dataset) => {
      const all = d.batch(Array.from({ length: d.size }, (_, i) => i));
      const x = all.inputs.x as { data: Float32Array };
      const w = Float32Array.of(0.3, 1.1, -0.4);
      let s = 0;
      for (let i = 0; i < d.size; i++) {
        const pred = w[0]! * x.data[3 * i]! + w[1]! * x.data[3 * i + 1]! + w[2]! * x.data[3 * i + 2]!;
        s += (pred - all.target.data[i]!) ** 2;
      }
      return s / d.size;
    };
    const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(relative(history.epochs[0]!.trainLoss, meanSquaredError(train))).toBeLessThan(1e-12);
    expect(relative(history.epochs[0]!.valLoss!, meanSquaredError(val))).toBeLessThan(1e-12);
  });

  test("the learning-rate hook sets the rate before every step (stepDecay, closed form)", async () => {
    const trainer = new LinearTrainer({ w0: [0, 0, 0], lr: 1 });
    const calls: [number, number][] = [];
    const schedule = stepDecay({ initial: 0.1, factor: 0.5, every: 3 });
    const history = await fit(trainer, regressionSet(10), {
      epochs: 2,
      batchSize: 2,
      learningRate: (step, epoch) => {
        calls.push([step, epoch]);
        return schedule(step);
      },
    });
    expect(trainer.lrLog).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125]);
    expect(calls.map(([s]) => s)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(calls.map(([, e]) => e)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(history.epochs.map((r) => r.lr)).toEqual([0.05, 0.0125]);
  });
});

describe("fit: early stopping", () => {
  // Trains towards y = 2x but validates against y = x: the validation loss falls while w < 1, then rises.
  const train = () => line(8, 2).set;
  const val = () => line(8, 1).set;
  const trainer = () => new LinearTrainer({ w0: [0], lr: 0.02 });

  test("stops after `patience` epochs without improvement and restores the best weights", async () => {
    const t = trainer();
    const atEpochEnd: number[] = [];
    const events: FitEvent[] = [];
    const history = await fit(t, train(), {
      epochs: 50,
      batchSize: 8,
      validation: val(),
      earlyStopping: { patience: 3, restoreBest: true },
      onEvent: (e) => {
        events.push(e);
        if (e.type === "epochEnd") atEpochEnd.push(t.w[0]!);
      },
    });
    const valLosses = history.epochs.map((r) => r.valLoss!);
    const best = valLosses.indexOf(Math.min(...valLosses));
    expect(history.stopReason).toBe("earlyStop");
    expect(history.bestEpoch).toBe(best);
    expect(history.epochs).toHaveLength(best + 4);
    for (let e = best + 1; e < valLosses.length; e++) expect(valLosses[e]).toBeGreaterThan(valLosses[best]!);
    expect(t.w[0]).toBe(atEpochEnd[best]);
    expect(t.w[0]).not.toBe(atEpochEnd.at(-1));
    expect(events.at(-1)).toMatchObject({ type: "earlyStop", bestEpoch: best, restored: true });
  });

  test("minDelta: improvements smaller than it do not reset patience", async () => {
    const loose = await fit(trainer(), train(), {
      epochs: 50,
      batchSize: 8,
      validation: val(),
      earlyStopping: { patience: 2 },
    });
    const strict = await fit(trainer(), train(), {
      epochs: 50,
      batchSize: 8,
      validation: val(),
      earlyStopping: { patience: 2, minDelta: 0.05 },
    });
    expect(strict.epochs.length).toBeLessThan(loose.epochs.length);
    const losses = strict.epochs.map((r) => r.valLoss!);
    const b = strict.bestEpoch!;
    // The epochs after the best one never beat it by more than minDelta.
    for (let e = b + 1; e < losses.length; e++) expect(losses[e]!).toBeGreaterThanOrEqual(losses[b]! - 0.05);
  });
});

describe("fit: bad options and divergence", () => {
  const cases: [string, Partial<FitOptions> & Record<string, unknown>, RegExp][] = [
    ["epochs 0", { epochs: 0 }, /"epochs" must be a positive integer, found 0/],
    ["epochs 1.5", { epochs: 1.5 }, /"epochs"/],
    ["batchSize 0", { batchSize: 0 }, /"batchSize" must be a positive integer/],
    ["batchSize 2.5", { batchSize: 2.5 }, /"batchSize"/],
    ["unknown key", { epoch: 3 }, /unknown option "epoch"; expected one of epochs/],
    ["unknown nested key", { earlyStopping: { patience: 1, patiense: 2 } as never }, /"earlyStopping.patiense"/],
    ["checkpoint.every 0", { checkpoint: { path: "x", every: 0 } }, /"checkpoint.every"/],
    ["valLoss without validation", { earlyStopping: { patience: 1 } }, /no `validation` set/],
    ["resume without a place", { resume: true }, /"resume"/],
  ];
  test.each(cases)("%s throws BAD_OPTIONS before any step", async (_, extra, message) => {
    const t = new LinearTrainer({ w0: [0, 0, 0], lr: 0.1 });
    const run = fit(t, regressionSet(4), { epochs: 1, ...extra } as FitOptions);
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toMatchObject({ code: "BAD_OPTIONS" });
    expect(t.steps).toBe(0);
  });

  test("an empty training set is refused", async () => {
    const empty = vectorDataset([], { input: "x" });
    await expect(fit(new LinearTrainer({ w0: [0], lr: 1 }), empty, { epochs: 1 })).rejects.toThrow(/trainSet.size/);
  });

  test("a NaN loss stops with TrainingDivergedError naming epoch, batch and step; no checkpoint of it", async () => {
    const examples = Array.from({ length: 8 }, (_, i) => ({
      x: Float32Array.of(1),
      y: Float32Array.of(i === 5 ? Number.NaN : 1),
    }));
    const { io, saved } = memoryIO();
    const run = fit(new LinearTrainer({ w0: [0], lr: 0.1 }), vectorDataset(examples, { input: "x" }), {
      epochs: 2,
      batchSize: 1,
      shuffle: false,
      checkpoint: { path: "run.ckpt", every: 1, io },
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error).toBeInstanceOf(TrainError);
    expect(error).toMatchObject({ code: "DIVERGED", epoch: 0, batch: 5, step: 5, quantity: "loss" });
    expect((error as Error).message).toMatch(/loss is NaN at epoch 0, batch 5, step 5/);
    expect(saved.map((c) => c.position.step)).toEqual([1, 2, 3, 4, 5]);
    expect(Number.isFinite(saved.at(-1)!.weights["lin/w"]!.data[0])).toBe(true);
  });

  test("an infinite gradient norm is divergence too", async () => {
    const t = new LinearTrainer({ w0: [0, 0, 0], lr: 0.1 });
    const step = t.step.bind(t);
    t.step = async (batch) => ({ ...(await step(batch)), gradNorm: t.steps === 3 ? Number.POSITIVE_INFINITY : 1 });
    const run = fit(t, regressionSet(8), { epochs: 2, batchSize: 2 });
    await expect(run).rejects.toMatchObject({ code: "DIVERGED", quantity: "gradNorm", epoch: 0, batch: 2, step: 2 });
  });

  test("a finite explosion (gradient descent at lr 5 on x = 1: loss ×81 per step) stops at step 2, by the rule", async () => {
    // Closed form: w_k = 1 − (−9)^k, loss_k = 81^k. Means of the last ≤10 losses: 1, 41, 2214 → 2214 > 1000 × 1.
    const set = vectorDataset([{ x: Float32Array.of(1), y: Float32Array.of(1) }], { input: "x" });
    const { io, saved } = memoryIO();
    const options = { epochs: 50, batchSize: 1, checkpoint: { path: "run.ckpt", every: 1, io } } as const;
    const error = await fit(new LinearTrainer({ w0: [0], lr: 5 }), set, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect(error).toMatchObject({ code: "DIVERGED", quantity: "lossGrowth", epoch: 2, batch: 0, step: 2 });
    expect((error as Error).message).toContain(
      "the mean loss of the last 10 steps is 2.21e+3, over 1000× the first step's loss 1.00",
    );
    expect(saved.map((c) => c.position.step)).toEqual([1, 2]);
    // Without the rule the same run "completes" with an absurd loss: what the rule exists to stop.
    const unchecked = new LinearTrainer({ w0: [0], lr: 5 });
    const history = await fit(unchecked, set, { epochs: 8, batchSize: 1, divergence: false });
    expect(history.epochs.at(-1)!.trainLoss).toBeCloseTo(81 ** 7, -8);
  });

  test("a healthy run with one bad batch is not stopped; the window and factor are options", async () => {
    const set = regressionSet(8);
    const firstLoss = new LinearTrainer({ w0: [0, 0, 0], lr: 0.1 }).lossAndGrad(set.batch([0, 1])).loss;
    const t = new LinearTrainer({ w0: [0, 0, 0], lr: 0.1 });
    const step = t.step.bind(t);
    // One spike of 5000× the first loss after a full window: the mean of 10 steps stays under 1000×.
    t.step = async (batch) => {
      const out = await step(batch);
      return t.steps === 11 ? { ...out, loss: 5000 * firstLoss } : out;
    };
    await expect(fit(t, set, { epochs: 4, batchSize: 2, shuffle: false })).resolves.toMatchObject({ steps: 16 });
    const strict = new LinearTrainer({ w0: [0, 0, 0], lr: 0.1 });
    const strictStep = strict.step.bind(strict);
    strict.step = async (batch) => {
      const out = await strictStep(batch);
      return strict.steps === 11 ? { ...out, loss: 5000 * firstLoss } : out;
    };
    const run = fit(strict, set, { epochs: 4, batchSize: 2, shuffle: false, divergence: { window: 1 } });
    await expect(run).rejects.toMatchObject({ quantity: "lossGrowth", step: 10 });
  });

  test("bad divergence options are BAD_OPTIONS naming the field", async () => {
    const run = (divergence: unknown) =>
      fit(new LinearTrainer({ w0: [0], lr: 0.1 }), regressionSet(4), { epochs: 1, divergence } as FitOptions);
    await expect(run({ factor: 1 })).rejects.toThrow(/"divergence.factor" must be a finite number > 1, found 1/);
    await expect(run({ window: 0 })).rejects.toThrow(/"divergence.window" must be a positive integer, found 0/);
    await expect(run({ windw: 3 })).rejects.toThrow(/unknown option "divergence.windw"/);
    await expect(run("off")).rejects.toThrow(/"divergence" must be false or \{ factor\?, window\? \}/);
  });

  test("a schedule returning NaN is a BAD_OPTIONS error naming the step", async () => {
    const run = fit(new LinearTrainer({ w0: [0, 0, 0], lr: 0.1 }), regressionSet(8), {
      epochs: 1,
      batchSize: 2,
      learningRate: (step) => (step === 3 ? Number.NaN : 0.1),
    });
    await expect(run).rejects.toThrow(/learningRate\(3, 0\) returned NaN/);
  });
});

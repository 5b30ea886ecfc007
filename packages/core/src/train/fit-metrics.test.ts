/**
 * fit() for real runs: metrics and early stopping on them with best-weights restore, batch plans,
 * reduce-on-plateau, and interrupting through an AbortSignal then resuming.
 */
import { describe, expect, test } from "vitest";
import { LinearTrainer, memoryIO, regressionSet } from "./__fixtures__/linear-trainer.js";
import { lengthBuckets } from "./buckets.js";
import type { EpochRecord } from "./checkpoint.js";
import type { Dataset } from "./dataset.js";
import { TrainError } from "./errors.js";
import { type FitEvent, type FitOptions, fit } from "./fit.js";
import type { Metric } from "./metrics.js";
import { reduceOnPlateau } from "./schedules.js";

/** A metric that returns scripted values, one per epoch, and remembers the weights it saw. */
function scripted(values: readonly number[]): { metric: Metric; seen: number[][] } {
  const seen: number[][] = [];
  return {
    seen,
    metric: ({ trainer, epoch }) => {
      seen.push([...trainer.weights()["lin/w"]!.data]);
      return values[epoch]!;
    },
  };
}

const trainer = () => new LinearTrainer({ w0: [0.3, -0.1, 0.2], lr: 0.05, momentum: 0.5 });

describe("fit: metrics and early stopping on them", () => {
  test("stops when a max-mode metric has not improved for `patience` epochs, restoring the best epoch's weights", async () => {
    // accuracy by epoch: 0.5, 0.7 (best), 0.6, 0.65 → two epochs without a new best: stop after epoch 3.
    const { metric, seen } = scripted([0.5, 0.7, 0.6, 0.65, 0.9]);
    const t = trainer();
    const events: FitEvent[] = [];
    const h = await fit(t, regressionSet(8), {
      epochs: 5,
      batchSize: 4,
      metrics: { accuracy: metric },
      earlyStopping: { monitor: "accuracy", patience: 2, restoreBest: true },
      onEvent: (e) => {
        events.push(e);
      },
    });
    expect(h.stopReason).toBe("earlyStop");
    expect(h.epochs.map((r) => r.metrics?.accuracy)).toEqual([0.5, 0.7, 0.6, 0.65]);
    expect(h.bestEpoch).toBe(1);
    expect([...t.w]).toEqual(seen[1]);
    expect(events.at(-1)).toMatchObject({
      type: "earlyStop",
      epoch: 3,
      bestEpoch: 1,
      bestLoss: 0.7,
      monitor: "accuracy",
      restored: true,
    });
  });

  test("mode min on a metric (an error rate) and restoreBest when the run completes with an earlier best", async () => {
    const { metric, seen } = scripted([0.4, 0.2, 0.3]);
    const t = trainer();
    const h = await fit(t, regressionSet(8), {
      epochs: 3,
      batchSize: 4,
      metrics: { per: metric },
      earlyStopping: { monitor: "per", mode: "min", patience: 5, restoreBest: true },
    });
    expect(h.stopReason).toBe("completed");
    expect(h.bestEpoch).toBe(1);
    expect([...t.w]).toEqual(seen[1]);
  });

  test("metrics survive a checkpoint round trip, so a resumed run stops at the same epoch", async () => {
    const { io } = memoryIO();
    const values = [0.5, 0.7, 0.6, 0.65, 0.9];
    const options = (epochs: number): FitOptions => ({
      epochs,
      batchSize: 4,
      metrics: { accuracy: scripted(values).metric },
      earlyStopping: { monitor: "accuracy", patience: 2 },
      checkpoint: { path: "m.ckpt", io },
      resume: true,
    });
    await fit(trainer(), regressionSet(8), options(2));
    const h = await fit(trainer(), regressionSet(8), options(5));
    expect(h.epochs.map((r) => r.metrics?.accuracy)).toEqual([0.5, 0.7, 0.6, 0.65]);
    expect(h.stopReason).toBe("earlyStop");
  });

  test("an unknown monitor and a non-finite metric are errors naming them", async () => {
    await expect(
      fit(trainer(), regressionSet(4), {
        epochs: 1,
        metrics: { acc: () => 1 },
        earlyStopping: { monitor: "ac", patience: 1 },
      }),
    ).rejects.toThrow('option "earlyStopping.monitor" must be one of "valLoss", "trainLoss", "acc", found "ac"');
    await expect(fit(trainer(), regressionSet(4), { epochs: 1, metrics: { acc: () => Number.NaN } })).rejects.toThrow(
      'metric "acc" returned NaN after epoch 0',
    );
  });
});

describe("fit: batch plans", () => {
  test("the epoch's batches come from the plan, in its order", async () => {
    const calls: number[][] = [];
    const base = regressionSet(7);
    const set: Dataset = {
      size: base.size,
      batch: (indices) => {
        calls.push([...indices]);
        return base.batch(indices);
      },
    };
    const plan = lengthBuckets([5, 1, 3, 2, 4, 6, 1], { batchSize: 3, seed: 2 });
    const h = await fit(trainer(), set, { epochs: 2, batches: plan });
    expect(calls).toEqual([...plan(0), ...plan(1)]);
    expect(h.steps).toBe(6);
  });

  test("a plan with an index out of range is refused before the step", async () => {
    await expect(fit(trainer(), regressionSet(3), { epochs: 1, batches: () => [[0, 3]] })).rejects.toThrow(
      "fit: batches(0)[0] holds index 3; the training set has indices 0..2",
    );
  });
});

describe("reduceOnPlateau", () => {
  const rec = (valLoss: number, epoch: number): EpochRecord => ({ epoch, trainLoss: 1, valLoss, lr: null, seconds: 0 });
  test("drops the rate after patience + 1 bad epochs in a row (hand-walked)", () => {
    const losses = [1, 0.9, 0.95, 0.97, 0.99, 0.8, 0.85, 0.86];
    const history = losses.map(rec);
    const schedule = reduceOnPlateau({ initial: 1, factor: 0.5, patience: 1 });
    // e0 best 1 | e1 best .9 | e2 bad 1 | e3 bad 2 > 1: lr .5, bad 0 | e4 bad 1 | e5 best .8 | e6 bad 1 | e7 bad 2: .25
    const lrs = history.map((_, n) => schedule(0, n, history.slice(0, n + 1)));
    expect(lrs).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
    expect(schedule(0, 0, [])).toBe(1);
  });

  test("mode max on a metric, with a floor", () => {
    const history = [0.5, 0.4, 0.4, 0.4].map((a, epoch) => ({ ...rec(1, epoch), metrics: { acc: a } }));
    const schedule = reduceOnPlateau({
      initial: 0.1,
      factor: 0.1,
      patience: 0,
      monitor: "acc",
      mode: "max",
      min: 0.005,
    });
    expect(schedule(0, 4, history)).toBe(0.005); // three bad epochs: 0.01, then the floor twice
  });

  test("fit passes the finished epochs to the schedule", async () => {
    const t = trainer();
    await fit(t, regressionSet(4), {
      epochs: 3,
      batchSize: 4,
      learningRate: (_s, _e, history) => 0.01 * (history.length + 1),
    });
    expect(t.lrLog).toEqual([0.01, 0.02, 0.03]);
  });

  test("bad options", () => {
    expect(() => reduceOnPlateau({ initial: 1, factor: 1 })).toThrow("factor must be in (0, 1), got 1");
    expect(() => reduceOnPlateau({ initial: 1, min: 2 })).toThrow("min must be in [0, initial = 1], got 2");
  });
});

describe("fit: interrupt through an AbortSignal", () => {
  const options = { epochs: 3, batchSize: 2, seed: 5, validation: regressionSet(3, 40) } satisfies FitOptions;

  test.each([3, 4, 5])(
    "aborting after step %i writes a checkpoint there; resuming gives the uninterrupted weights",
    async (at) => {
      // 6 examples in batches of 2: 3 batches per epoch; step 3 ends epoch 0 (stops after its validation).
      const { io, saved } = memoryIO();
      const controller = new AbortController();
      const events: FitEvent[] = [];
      const h = await fit(trainer(), regressionSet(6), {
        ...options,
        checkpoint: { path: "run.ckpt", io },
        signal: controller.signal,
        onEvent: (e) => {
          events.push(e);
          if (e.type === "batchEnd" && e.step === at) controller.abort();
        },
      });
      expect(h.stopReason).toBe("interrupted");
      expect(h.steps).toBe(at);
      expect(saved.at(-1)!.position).toMatchObject({ step: at, epoch: Math.floor(at / 3), batch: at % 3 });
      expect(events.at(-1)).toMatchObject({ type: "interrupted", step: at, checkpoint: "run.ckpt" });

      const resumed = trainer();
      const rest = await fit(resumed, regressionSet(6), {
        ...options,
        checkpoint: { path: "run.ckpt", io },
        resume: true,
      });
      const whole = trainer();
      const all = await fit(whole, regressionSet(6), options);
      expect(rest.stopReason).toBe("completed");
      expect(resumed.w).toEqual(whole.w);
      expect(rest.epochs.map((r) => r.valLoss)).toEqual(all.epochs.map((r) => r.valLoss));
    },
  );

  test("an interrupt without a checkpoint option still stops, with no file", async () => {
    const controller = new AbortController();
    controller.abort();
    const h = await fit(trainer(), regressionSet(6), { ...options, signal: controller.signal });
    expect(h).toMatchObject({ stopReason: "interrupted", steps: 1 });
  });

  test("a signal that is not an AbortSignal is BAD_OPTIONS", async () => {
    const error = await fit(trainer(), regressionSet(2), { epochs: 1, signal: 1 as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainError);
    expect(String(error)).toContain('option "signal" must be an AbortSignal');
  });
});

/**
 * The torch-generated training checks, written once and run by every training backend (they were copied into
 * each backend's tests before): its update rules against torch.optim step by step, including a resume from a
 * saved state, and its whole trainer against a plain torch training loop. Node-only (the fixtures are files).
 * The numbers come from PyTorch (tooling/optim-fixtures/generate.py), never from a backend.
 */
import type { Backend, OptimizerConfig } from "@recurrent/core";
import { optimizerSlots } from "@recurrent/core/engine";
import { describe, expect, test } from "vitest";
import type { FixtureTensor } from "./fixture.js";
import { toTensor } from "./materialize.js";
import { loadTrainingFixture, trainerFixtureBatch, trainerFixtureModel } from "./training-fixtures.js";

/**
 * One update of a backend's rule on host arrays: every param (keyed `nodeId/param`) moves in place from its
 * gradient and its slots (one array per prefix of core's `optimizerSlots`, updated in place). `step` is the
 * 1-based number of this update. Gradients must be left untouched.
 */
export type HostUpdate = (
  params: ReadonlyMap<string, Float32Array>,
  grads: ReadonlyMap<string, Float32Array>,
  slots: ReadonlyMap<string, readonly Float32Array[]>,
  lr: number,
  step: number,
) => void | Promise<void>;

// numpy.allclose-style: float32 slots reach magnitudes ~30 (RMSprop's g/√s), where one ulp is ~2e-6.
const ATOL = 1e-6;
const RTOL = 1e-6;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (ATOL + RTOL * Math.abs(expected[i]!)));
  }
  expect(worst, `${what}: max |error| / (atol + rtol·|expected|)`).toBeLessThanOrEqual(1);
}

const toMap = (tensors: Readonly<Record<string, FixtureTensor>>) =>
  new Map(Object.entries(tensors).map(([k, t]) => [k, Float32Array.from(t.data)]));

/** Zero slots for every param, or the fixture's named slots (`<prefix>/<key>`) when given. */
function slotsOf(
  config: OptimizerConfig,
  params: ReadonlyMap<string, Float32Array>,
  named?: Readonly<Record<string, FixtureTensor>>,
): Map<string, Float32Array[]> {
  const prefixes = optimizerSlots(config);
  return new Map(
    [...params].map(([key, p]) => [
      key,
      prefixes.map((prefix) => {
        const slot = named?.[`${prefix}/${key}`];
        return slot ? Float32Array.from(slot.data) : new Float32Array(p.length);
      }),
    ]),
  );
}

function expectSlots(
  config: OptimizerConfig,
  slots: ReadonlyMap<string, readonly Float32Array[]>,
  expected: Readonly<Record<string, FixtureTensor>>,
  what: string,
): void {
  const prefixes = optimizerSlots(config);
  const names = [...slots.keys()].flatMap((key) => prefixes.map((prefix) => `${prefix}/${key}`));
  expect(names.sort(), `${what}: slot names`).toEqual(Object.keys(expected).sort());
  for (const [key, buffers] of slots) {
    prefixes.forEach((prefix, i) => {
      expectClose(buffers[i]!, expected[`${prefix}/${key}`]!.data, `${what}: ${prefix}/${key}`);
    });
  }
}

/**
 * Registers the update-rule checks of one backend: for every torch.optim case, params and slots after every
 * step (learning-rate changes included), and a resume from the state after step 2.
 * @param makeUpdate the backend's rule for a (validated) optimizer config, on host arrays.
 */
export function describeUpdateRules(backendName: string, makeUpdate: (config: OptimizerConfig) => HostUpdate): void {
  const fixture = loadTrainingFixture("optimizers");
  describe(`update rules › ${backendName}`, () => {
    describe.each(fixture.cases)("optimizer $name matches torch.optim", (c) => {
      test("params and slots after every step; gradients untouched", async () => {
        const update = makeUpdate(c.config);
        const params = toMap(c.params);
        const slots = slotsOf(c.config, params);
        for (const [i, g] of c.grads.entries()) {
          const grads = toMap(g);
          await update(params, grads, slots, c.lrs?.[i] ?? c.config.lr, i + 1);
          for (const [k, t] of Object.entries(g)) {
            expect(grads.get(k), "gradients are untouched").toEqual(Float32Array.from(t.data));
          }
          const expected = c.steps[i]!;
          for (const [k, t] of Object.entries(expected.params))
            expectClose(params.get(k)!, t.data, `step ${i + 1} ${k}`);
          expectSlots(c.config, slots, expected.slots, `step ${i + 1}`);
        }
      });

      test("continuing from the params and slots after step 2 gives the same end", async () => {
        const update = makeUpdate(c.config);
        const after2 = c.steps[1]!;
        const params = toMap(after2.params);
        const slots = slotsOf(c.config, params, after2.slots);
        for (let i = 2; i < c.grads.length; i++) {
          await update(params, toMap(c.grads[i]!), slots, c.lrs?.[i] ?? c.config.lr, i + 1);
        }
        const last = c.steps.at(-1)!;
        for (const [k, t] of Object.entries(last.params)) expectClose(params.get(k)!, t.data, `resumed ${k}`);
        expectSlots(c.config, slots, last.slots, "resumed");
      });
    });
  });
}

/**
 * Registers the whole-trainer check of one training backend: a masked LSTM + dense trained with every config of
 * the fixture (optimizers, clipping, truncated BPTT), loss, pre-clip gradient norm and weights after every step
 * against a plain torch autograd loop. With truncated BPTT a step's loss is the frame-weighted mean of its chunks'
 * losses and its gradNorm the largest chunk norm (the generator computes both from per-chunk torch numbers).
 * Cases cover MSE and binary cross-entropy (probabilities, logits, class weights `[0.5, 1]`; padded targets
 * outside [0, 1] that must be ignored) and `freeze` (frozen weights never move, even under weight decay, and
 * their gradients are left out of gradNorm and of clipping).
 */
export function describeTrainerFixtures(backend: Backend): void {
  const fx = loadTrainingFixture("trainer");
  const weights = Object.fromEntries(Object.entries(fx.weights).map(([k, t]) => [k, toTensor(t)]));
  describe(`trainer fixtures › ${backend.name}`, () => {
    describe.each(fx.cases)("trainer step $name matches a torch training loop", (c) => {
      const { config, lengths, steps } = c;
      test("loss, pre-clip gradient norm and weights after every step", async () => {
        if (backend.trainer === undefined) throw new Error(`backend "${backend.name}" has no trainer()`);
        await backend.init?.();
        const model = trainerFixtureModel(fx, c.outActivation);
        const trainer = await backend.trainer(model, weights, config);
        for (const [i, expected] of steps.entries()) {
          const result = await trainer.step(trainerFixtureBatch(fx, i, lengths, c.targets));
          expect(result.loss, `step ${i + 1} loss`).toBeCloseTo(expected.loss, 5);
          expect(Math.abs(result.gradNorm - expected.gradNorm), `step ${i + 1} gradNorm`).toBeLessThan(
            1e-5 * expected.gradNorm + 1e-7,
          );
          const actual = trainer.weights();
          for (const [key, t] of Object.entries(expected.weights)) {
            const got = actual[key]!.data;
            let worst = 0;
            for (let j = 0; j < t.data.length; j++) worst = Math.max(worst, Math.abs(got[j]! - t.data[j]!));
            expect(worst, `step ${i + 1} ${key}: max abs error`).toBeLessThan(2e-5);
          }
        }
        await trainer.dispose();
      });
    });
  });
}

/**
 * A backend's gradient clipping on host arrays: the global L2 norm of `grads` before clipping, and the gradients
 * clipped by global norm (`clipNorm`, when given) and then by value (`clipValue`), the trainer's order.
 */
export type HostClip = (
  grads: readonly Float32Array[],
  clipNorm: number | undefined,
  clipValue: number | undefined,
) =>
  | { readonly norm: number; readonly clipped: readonly Float32Array[] }
  | Promise<{
      readonly norm: number;
      readonly clipped: readonly Float32Array[];
    }>;

/**
 * Registers the clipping checks of one backend: torch.nn.utils.clip_grad_norm_ / clip_grad_value_ on every
 * fixture case, and a NaN gradient giving a NaN norm (the trainer reports it instead of hiding it).
 */
export function describeClipping(backendName: string, clip: HostClip): void {
  const fixture = loadTrainingFixture("clipping");
  describe(`clipping › ${backendName}`, () => {
    describe.each(fixture.cases)("clipping $name matches torch.nn.utils", (c) => {
      test("pre-clip norm and clipped gradients", async () => {
        const keys = Object.keys(c.grads);
        const { norm, clipped } = await clip(
          keys.map((k) => Float32Array.from(c.grads[k]!.data)),
          c.clipNorm,
          c.clipValue,
        );
        expect(Math.abs(norm - c.totalNorm)).toBeLessThan(1e-5 * c.totalNorm);
        keys.forEach((k, i) => {
          const expected = c.clipped[k]!.data;
          for (let j = 0; j < expected.length; j++) {
            expect(Math.abs(clipped[i]![j]! - expected[j]!), `${k}[${j}]`).toBeLessThan(1e-6);
          }
        });
      });
    });

    test("a NaN gradient gives a NaN norm", async () => {
      expect((await clip([Float32Array.of(1, Number.NaN)], 1, undefined)).norm).toBeNaN();
    });
  });
}

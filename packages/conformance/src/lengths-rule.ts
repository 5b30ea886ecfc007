/**
 * The one lengths rule, checked on every backend: a model that declares a lengths feed (`input("x", D)`) refuses a
 * run, gradients or training step without it (MISSING_FEED, core's message), and a model declared without one
 * (`input("x", D, { lengths: false })`) runs without it and gives what the declaring model gives for full lengths.
 * The declaring model's numbers are the ones the PyTorch cases check, so agreement with them is the reference.
 */
import {
  assertValid,
  type Backend,
  BackendError,
  dense,
  type Feeds,
  fullLengths,
  initWeights,
  input,
  lstm,
  type Outputs,
  sequential,
  stream,
  type Tensor,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { compareTensor, type Tolerance } from "./compare.js";

const D = 3;
const layers = [lstm("l", { units: 4 }), dense("out", { units: 2 })];
/** Declares the default lengths feed "lengths". */
const declared = assertValid(sequential("lengths-declared", [input("x", D), ...layers]));
/** The same layers (same weight names) on an input that declares no lengths feed. */
const free = assertValid(sequential("lengths-free", [input("x", D, { lengths: false }), ...layers]));
const weights = initWeights(declared, { seed: 11 });

/** A deterministic `[T, B, D]` batch. */
function batch(T: number, B: number): Tensor {
  return { shape: [T, B, D], data: Float32Array.from({ length: T * B * D }, (_, i) => Math.sin(0.37 * i + 1)) };
}
const x = batch(5, 2);
const mseTarget: Tensor = { shape: [5, 2, 2], data: Float32Array.from({ length: 20 }, (_, i) => Math.cos(0.5 * i)) };

/** The exact message core's check gives (core's own test pins its text); every backend must give the same. */
const MISSING = new RegExp(
  '^missing lengths feed "lengths" of sequence input "x" \\[time, batch, 3\\] \\(fed \\[5, 2, 3\\]\\): .*' +
    "Feed it \\(\\{ x, lengths: fullLengths\\(x\\) \\} when every sample uses all 5 steps\\), " +
    'or declare the input without lengths: input\\("x", 3, \\{ lengths: false \\}\\)$',
);

async function refusal(run: () => Promise<unknown>): Promise<BackendError> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return e as BackendError;
  }
  throw new Error("expected a MISSING_FEED BackendError for the missing lengths feed, but the call succeeded");
}

function expectMissingLengths(e: BackendError): void {
  expect(e.code).toBe("MISSING_FEED");
  expect(e.message).toMatch(MISSING);
}

function expectSame(actual: Outputs, expected: Outputs, tolerance: Tolerance): void {
  const problems = Object.entries(expected).flatMap(([name, t]) =>
    compareTensor(name, actual[name], { shape: t.shape, data: Array.from(t.data) }, tolerance),
  );
  expect(problems).toEqual([]);
}

/**
 * Registers the lengths-rule tests of `backend` (inside `describeConformance`'s suite). Gradient and training
 * checks run only where the backend has `gradients()` / `trainer()`.
 */
export function describeLengthsRule(backend: Backend, tolerance: Tolerance): void {
  describe("lengths rule", () => {
    test("run() without a declared lengths feed throws MISSING_FEED naming the input, feed, shapes and remedies", async () => {
      const exe = await backend.compile(declared, weights);
      try {
        expectMissingLengths(await refusal(() => exe.run({ x })));
      } finally {
        await exe.dispose();
      }
    });

    test("a model declared without lengths runs without them, as the declaring model does with full lengths", async () => {
      const withLengths = await backend.compile(declared, weights);
      const without = await backend.compile(free, weights);
      try {
        const fetch = ["out", "l/h", "l/c"];
        const reference = await withLengths.run({ x, lengths: fullLengths(x) }, { fetch });
        expectSame(await without.run({ x }, { fetch }), reference, tolerance);
        const e = await refusal(() => without.run({ x, lengths: fullLengths(x) }));
        expect(e.code).toBe("UNKNOWN_FEED");
        expect(e.message).toMatch(/"lengths"/);
      } finally {
        await Promise.all([withLengths.dispose(), without.dispose()]);
      }
    });

    test("stream() feeds the declared lengths itself: pushes equal one run", async () => {
      const exe = await backend.compile(declared, weights);
      try {
        const whole = await exe.run({ x, lengths: fullLengths(x) });
        const s = stream(exe);
        const first = await s.push({ shape: [2, 2, D], data: x.data.slice(0, 2 * 2 * D) });
        const rest = await s.push({ shape: [3, 2, D], data: x.data.slice(2 * 2 * D) });
        const out = new Float32Array(whole.out!.data.length);
        out.set(first.out!.data);
        out.set(rest.out!.data, first.out!.data.length);
        expectSame({ out: { shape: whole.out!.shape, data: out } }, whole, tolerance);
      } finally {
        await exe.dispose();
      }
    });

    test.skipIf(backend.gradients === undefined)(
      "gradients() without a declared lengths feed throws MISSING_FEED; without lengths declared it needs none",
      async () => {
        const config = { loss: "mse" } as const;
        const inputs: Feeds = { x };
        expectMissingLengths(
          await refusal(() => backend.gradients!(declared, weights, { inputs, target: mseTarget }, config)),
        );
        const reference = await backend.gradients!(
          declared,
          weights,
          { inputs: { x, lengths: fullLengths(x) }, target: mseTarget },
          config,
        );
        const got = await backend.gradients!(free, weights, { inputs, target: mseTarget }, config);
        expect(Math.abs(got.loss - reference.loss)).toBeLessThanOrEqual(
          tolerance.atol + tolerance.rtol * Math.abs(reference.loss),
        );
        expectSame(got.weights, reference.weights, tolerance);
      },
    );

    test.skipIf(backend.trainer === undefined)(
      "a training step without a declared lengths feed throws MISSING_FEED",
      async () => {
        const trainer = await backend.trainer!(declared, weights, { loss: "mse", optimizer: { kind: "sgd", lr: 0.1 } });
        try {
          expectMissingLengths(await refusal(() => trainer.step({ inputs: { x }, target: mseTarget })));
        } finally {
          await trainer.dispose();
        }
      },
    );
  });
}

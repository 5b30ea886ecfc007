import { type FixtureTensor, loadTrainingFixture, type OptimizerFixtureCase, toTensor } from "@recurrent/conformance";
import type { OptimizerState } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { createOptimizer } from "./optimizer.js";

// Expected numbers come from torch.optim (tooling/optim-fixtures/generate.py), never from this code.
type Case = OptimizerFixtureCase;
const fixture = loadTrainingFixture("optimizers");

// numpy.allclose-style: float32 slots reach magnitudes ~30 (RMSprop's g/√s), where one ulp is ~2e-6.
const ATOL = 1e-6;
const RTOL = 1e-6;

function tensors(fixture: Readonly<Record<string, FixtureTensor>>): OptimizerState["slots"] {
  return Object.fromEntries(Object.entries(fixture).map(([k, t]) => [k, toTensor(t)]));
}

function toMap(tensors: Readonly<Record<string, FixtureTensor>>): Map<string, Float32Array> {
  return new Map(Object.entries(tensors).map(([k, t]) => [k, Float32Array.from(t.data)]));
}

function shapes(c: Case): Map<string, readonly number[]> {
  return new Map(Object.entries(c.params).map(([k, t]) => [k, t.shape]));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (ATOL + RTOL * Math.abs(expected[i]!)));
  }
  expect(worst, `${what}: max |error| / (atol + rtol·|expected|)`).toBeLessThanOrEqual(1);
}

function expectState(
  state: OptimizerState,
  slots: Readonly<Record<string, FixtureTensor>>,
  step: number,
  what: string,
): void {
  expect(state.step).toBe(step);
  expect(Object.keys(state.slots).sort(), `${what}: slot names`).toEqual(Object.keys(slots).sort());
  for (const [name, t] of Object.entries(slots)) {
    expect(state.slots[name]!.shape, `${what}: ${name} shape`).toEqual(t.shape);
    expectClose(state.slots[name]!.data, t.data, `${what}: ${name}`);
  }
}

describe.each(fixture.cases)("optimizer $name matches torch.optim", (c) => {
  test("params and state after every step", () => {
    const opt = createOptimizer(c.config, shapes(c));
    const params = toMap(c.params);
    c.grads.forEach((g, i) => {
      if (c.lrs) opt.lr = c.lrs[i]!;
      const grads = toMap(g);
      opt.update(params, grads);
      for (const [k, t] of Object.entries(g))
        expect(grads.get(k), "gradients are untouched").toEqual(Float32Array.from(t.data));
      const expected = c.steps[i]!;
      for (const [k, t] of Object.entries(expected.params)) expectClose(params.get(k)!, t.data, `step ${i + 1} ${k}`);
      expectState(opt.state(), expected.slots, i + 1, `step ${i + 1}`);
    });
  });

  test("restoring the state after step 2 into a fresh optimizer continues identically", () => {
    const fresh = createOptimizer(c.config, shapes(c));
    const after2 = c.steps[1]!;
    fresh.restore({ step: 2, slots: tensors(after2.slots) });
    const params = toMap(after2.params);
    for (let i = 2; i < c.grads.length; i++) {
      if (c.lrs) fresh.lr = c.lrs[i]!;
      fresh.update(params, toMap(c.grads[i]!));
    }
    const last = c.steps.at(-1)!;
    for (const [k, t] of Object.entries(last.params)) expectClose(params.get(k)!, t.data, `resumed ${k}`);
    expectState(fresh.state(), last.slots, c.grads.length, "resumed");
  });
});

describe("optimizer state", () => {
  const c = fixture.cases.find((x) => x.name === "adam-defaults")!;

  test("state() is a copy: mutating it does not touch the optimizer", () => {
    const opt = createOptimizer(c.config, shapes(c));
    opt.update(toMap(c.params), toMap(c.grads[0]!));
    const s = opt.state();
    s.slots["adam.m/out/weight"]!.data.fill(123);
    expect(opt.state().slots["adam.m/out/weight"]!.data[0]).not.toBe(123);
  });

  // The checks themselves (missing, misshaped, unknown slot, bad step) are tested with checkOptimizerState in core.
  test("restore() refuses a state that does not fit, leaving the optimizer as it was", () => {
    const opt = createOptimizer(c.config, shapes(c));
    opt.update(toMap(c.params), toMap(c.grads[0]!));
    const before = opt.state();
    const { "adam.v/l/bias_ih": _dropped, ...missing } = c.steps[1]!.slots;
    expect(() => opt.restore({ step: 2, slots: tensors(missing) })).toThrow(/slot "adam.v\/l\/bias_ih" is missing/);
    expect(() => opt.restore({ step: 2, slots: tensors(missing) })).toThrow(
      expect.objectContaining({ code: "BAD_CONFIG" }),
    );
    expect(opt.state()).toEqual(before);
  });

  test("SGD without momentum keeps no slots", () => {
    const sgd = fixture.cases.find((x) => x.name === "sgd")!;
    const opt = createOptimizer(sgd.config, shapes(sgd));
    opt.update(toMap(sgd.params), toMap(sgd.grads[0]!));
    expect(opt.state()).toEqual({ step: 1, slots: {} });
  });
});

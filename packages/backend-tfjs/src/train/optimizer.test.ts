import { type FixtureTensor, loadTrainingFixture, type OptimizerFixtureCase, toTensor } from "@recurrent/conformance";
import type { OptimizerState } from "@recurrent/core";
import { beforeAll, describe, expect, test } from "vitest";
import { cpuRuntime, worstError } from "../../test/helpers.js";
import { type Runtime, readSync } from "../runtime.js";
import type { TfVariable } from "../tf.js";
import { Optimizer } from "./optimizer.js";

// Expected numbers come from torch.optim (tooling/optim-fixtures/generate.py), never from this code.
type Case = OptimizerFixtureCase;
const fixture = loadTrainingFixture("optimizers");

// numpy.allclose-style, as backend-js: float32 slots reach magnitudes ~30 (RMSprop's g/√s), where one ulp is ~2e-6.
const ATOL = 1e-6;
const RTOL = 1e-6;

let rt: Runtime;
beforeAll(async () => {
  rt = await cpuRuntime();
});

function variables(params: Readonly<Record<string, FixtureTensor>>): Map<string, TfVariable> {
  return new Map(Object.entries(params).map(([k, t]) => [k, rt.tf.variable(rt.upload(toTensor(t)))]));
}

function shapes(c: Case): Map<string, readonly number[]> {
  return new Map(Object.entries(c.params).map(([k, t]) => [k, t.shape]));
}

function update(opt: Optimizer, vars: Map<string, TfVariable>, grads: Readonly<Record<string, FixtureTensor>>): void {
  rt.tf.tidy(() => opt.update(vars, new Map(Object.entries(grads).map(([k, t]) => [k, rt.upload(toTensor(t))]))));
}

function expectParams(
  vars: Map<string, TfVariable>,
  expected: Readonly<Record<string, FixtureTensor>>,
  what: string,
): void {
  for (const [k, t] of Object.entries(expected)) {
    expect(worstError(readSync(vars.get(k)!), t.data, ATOL, RTOL), `${what} ${k}`).toBeLessThanOrEqual(1);
  }
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
    expect(worstError(state.slots[name]!.data, t.data, ATOL, RTOL), `${what}: ${name}`).toBeLessThanOrEqual(1);
  }
}

describe.each(fixture.cases)("optimizer $name matches torch.optim", (c) => {
  test("params and state after every step", () => {
    const opt = new Optimizer(rt.tf, c.config, shapes(c));
    const vars = variables(c.params);
    c.grads.forEach((g, i) => {
      if (c.lrs) opt.lr = c.lrs[i]!;
      update(opt, vars, g);
      expectParams(vars, c.steps[i]!.params, `step ${i + 1}`);
      expectState(opt.state(), c.steps[i]!.slots, i + 1, `step ${i + 1}`);
    });
    opt.dispose();
  });

  test("restoring the state after step 2 into a fresh optimizer continues identically", () => {
    const fresh = new Optimizer(rt.tf, c.config, shapes(c));
    const after2 = c.steps[1]!;
    fresh.restore({
      step: 2,
      slots: Object.fromEntries(Object.entries(after2.slots).map(([k, t]) => [k, toTensor(t)])),
    });
    const vars = variables(after2.params);
    for (let i = 2; i < c.grads.length; i++) {
      if (c.lrs) fresh.lr = c.lrs[i]!;
      update(fresh, vars, c.grads[i]!);
    }
    expectParams(vars, c.steps.at(-1)!.params, "resumed");
    expectState(fresh.state(), c.steps.at(-1)!.slots, c.grads.length, "resumed");
  });
});

describe("optimizer state", () => {
  const c = fixture.cases.find((x) => x.name === "adam-defaults")!;

  // The checks themselves (missing, misshaped, unknown slot, bad step) are tested with checkOptimizerState in core.
  test("restore() refuses a state that does not fit, leaving the optimizer as it was", () => {
    const opt = new Optimizer(rt.tf, c.config, shapes(c));
    update(opt, variables(c.params), c.grads[0]!);
    const before = opt.state();
    const slots = Object.fromEntries(Object.entries(c.steps[1]!.slots).map(([k, t]) => [k, toTensor(t)]));
    const misshaped = { ...slots, "adam.m/l/bias_ih": { shape: [5], data: new Float32Array(5) } };
    expect(() => opt.restore({ step: 2, slots: misshaped })).toThrow(/"adam.m\/l\/bias_ih" is \[5\], expected \[4\]/);
    expect(() => opt.restore({ step: 2, slots: misshaped })).toThrow(expect.objectContaining({ code: "BAD_CONFIG" }));
    expect(opt.state()).toEqual(before);
    opt.dispose();
  });

  test("SGD without momentum keeps no slots", () => {
    const sgd = fixture.cases.find((x) => x.name === "sgd")!;
    const opt = new Optimizer(rt.tf, sgd.config, shapes(sgd));
    update(opt, variables(sgd.params), sgd.grads[0]!);
    expect(opt.state()).toEqual({ step: 1, slots: {} });
  });
});

import { loadTrainingFixture, toTensor } from "@recurrent/conformance";
import { beforeAll, describe, expect, test } from "vitest";
import { cpuRuntime } from "../../test/helpers.js";
import { type Runtime, readSync, tidyHost } from "../runtime.js";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";

// Expected numbers come from torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (tooling/optim-fixtures/generate.py).
const fixture = loadTrainingFixture("clipping");

let rt: Runtime;
beforeAll(async () => {
  rt = await cpuRuntime();
});

describe.each(fixture.cases)("clipping $name matches torch.nn.utils", (c) => {
  test("pre-clip norm and clipped gradients", () => {
    const keys = Object.keys(c.grads);
    const { tf } = rt;
    const { norm, clipped } = tidyHost(tf, () => {
      let grads = keys.map((k) => rt.upload(toTensor(c.grads[k]!)));
      const n = globalNorm(tf, grads);
      // Norm first, then value: the trainer's order.
      if (c.clipNorm !== undefined) grads = clipByGlobalNorm(tf, grads, c.clipNorm, n);
      if (c.clipValue !== undefined) grads = clipByValue(tf, grads, c.clipValue);
      return { norm: readSync(n)[0]!, clipped: grads.map(readSync) };
    });
    expect(Math.abs(norm - c.totalNorm)).toBeLessThan(1e-5 * c.totalNorm);
    keys.forEach((k, i) => {
      const expected = c.clipped[k]!.data;
      for (let j = 0; j < expected.length; j++)
        expect(Math.abs(clipped[i]![j]! - expected[j]!), `${k}[${j}]`).toBeLessThan(1e-6);
    });
  });
});

test("a NaN gradient gives a NaN norm (the trainer reports it instead of hiding it)", () => {
  const norm = tidyHost(rt.tf, () => readSync(globalNorm(rt.tf, [rt.tf.tensor([1, Number.NaN])]))[0]);
  expect(norm).toBeNaN();
});

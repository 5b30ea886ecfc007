// The torch-generated update-rule and whole-trainer checks, written once in @recurrent/conformance.
import { describeClipping, describeTrainerFixtures, describeUpdateRules } from "@recurrent/conformance";
import { pickRule } from "@recurrent/core/engine";
import * as tf from "@tensorflow/tfjs";
import { tfjsBackend } from "../index.js";
import { readSync, tidyHost } from "../runtime.js";
import type { Tf } from "../tf.js";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";
import { tfjsRules } from "./rules.js";

const t = tf as unknown as Tf;

// The rule on the device: params, gradients and slots uploaded, one update, the results copied back.
describeUpdateRules("tfjs", (config) => {
  const rule = pickRule(config, tfjsRules);
  return async (params, grads, slots, lr, step) => {
    await tf.setBackend("cpu");
    tidyHost(t, () => {
      for (const [key, p] of params) {
        const up = (data: Float32Array) => t.tensor(data, [data.length], "float32");
        const result = rule.apply(t, up(p), up(grads.get(key)!), slots.get(key)!.map(up), lr, step);
        p.set(readSync(result.param));
        slots.get(key)!.forEach((s, i) => {
          s.set(readSync(result.slots[i]!));
        });
      }
    });
  };
});
describeTrainerFixtures(tfjsBackend({ backend: "cpu" }));
describeClipping("tfjs", async (grads, clipNorm, clipValue) => {
  await tf.setBackend("cpu");
  return tidyHost(t, () => {
    let tensors = grads.map((g) => t.tensor(g, [g.length], "float32"));
    const norm = globalNorm(t, tensors);
    if (clipNorm !== undefined) tensors = clipByGlobalNorm(t, tensors, clipNorm, norm);
    if (clipValue !== undefined) tensors = clipByValue(t, tensors, clipValue);
    return { norm: readSync(norm)[0]!, clipped: tensors.map(readSync) };
  });
});

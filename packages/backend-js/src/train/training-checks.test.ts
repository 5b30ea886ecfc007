// The torch-generated update-rule and whole-trainer checks, written once in @recurrent/conformance.
import { describeClipping, describeTrainerFixtures, describeUpdateRules } from "@recurrent/conformance";
import { pickRule } from "@recurrent/core/engine";
import { jsBackend } from "../backend.js";
import { clipByGlobalNorm, clipByValue, globalNorm } from "./clip.js";
import { jsRules } from "./rules.js";

describeUpdateRules("js", (config) => {
  const rule = pickRule(config, jsRules);
  return (params, grads, slots, lr, step) => {
    for (const [key, p] of params) rule.apply(p, grads.get(key)!, slots.get(key)!, lr, step);
  };
});
describeTrainerFixtures(jsBackend());
describeClipping("js", (grads, clipNorm, clipValue) => {
  const clipped = grads.map((g) => g.slice());
  const norm = globalNorm(clipped);
  if (clipNorm !== undefined) clipByGlobalNorm(clipped, clipNorm, norm);
  if (clipValue !== undefined) clipByValue(clipped, clipValue);
  return { norm, clipped };
});

// The torch-generated update-rule and whole-trainer checks, written once in @recurrent/conformance.
import { describeTrainerFixtures, describeUpdateRules } from "@recurrent/conformance";
import { pickRule } from "@recurrent/core/engine";
import { jsBackend } from "../backend.js";
import { jsRules } from "./rules.js";

describeUpdateRules("js", (config) => {
  const rule = pickRule(config, jsRules);
  return (params, grads, slots, lr, step) => {
    for (const [key, p] of params) rule.apply(p, grads.get(key)!, slots.get(key)!, lr, step);
  };
});
describeTrainerFixtures(jsBackend());

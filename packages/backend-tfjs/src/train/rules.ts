/** The tfjs update rules by optimizer kind; core picks one (`pickRule`) and names its slots (`optimizerSlots`). */
import type { UpdateRules } from "@recurrent/core/engine";
import { adamRule } from "./adam.js";
import { rmspropRule } from "./rmsprop.js";
import { sgdRule } from "./sgd.js";
import type { UpdateRule } from "./update-rule.js";

export const tfjsRules: UpdateRules<UpdateRule> = { sgd: sgdRule, rmsprop: rmspropRule, adam: adamRule };

/**
 * `input`: the uploaded feed. Padded frames of a sequence may hold anything (garbage, by contract), so they are
 * zeroed here once: nothing downstream can then pick up a stray value, in outputs or in gradients.
 */

import type { Kernel } from "../engine/kernel.js";
import { zeroPadded } from "../engine/lengths.js";

export const inputKernel: Kernel<"input"> = (node, [feed], ctx) => [zeroPadded(ctx.tf, feed!, ctx.lengthsOf(node.id))];

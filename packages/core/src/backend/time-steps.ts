/**
 * Sizes of the time axes that ops make (`"<id>.time"` after a strided or `valid` conv1d or a `pad`), from the
 * sizes the feeds bound, and the one check that an input is long enough for such an op — so every backend refuses a
 * too-short input with the same message before any kernel runs, and a batch of 0 gets outputs of the right shape.
 */
import { changesTime, derivedTime, minInputSteps, outputSteps } from "../ir/resample.js";
import type { ValidModel } from "../ir/valid-model.js";
import { BackendError } from "./errors.js";

/**
 * Adds to `bound` (symbol → size, as the feeds bound them) the size of every derived time axis, in graph order.
 * An axis whose input size is unknown (its input not fed) stays unbound.
 * @throws BackendError FEED_SHAPE naming the node, its input and both step counts when an input is shorter than
 *   the op needs (a conv's receptive field after padding; a reflect pad's `max(before, after) + 1`).
 */
export function bindDerivedTimes(model: ValidModel, bound: Map<string, number>): Map<string, number> {
  for (const node of model.nodes) {
    if ((node.op !== "conv1d" && node.op !== "pad") || !changesTime(node)) continue;
    const source = node.inputs[0]!;
    const dim = model.info.shapes.get(source)?.[0];
    const steps = typeof dim === "number" ? dim : dim === undefined ? undefined : bound.get(dim);
    if (steps === undefined) continue;
    const least = minInputSteps(node);
    if (steps < least) {
      const why =
        node.op === "pad"
          ? `a reflect pad of ${Math.max(node.before, node.after)} frames mirrors that many frames besides the edge`
          : "its receptive field after padding";
      throw new BackendError(
        "FEED_SHAPE",
        `${node.op} "${node.id}" needs at least ${least} input steps (${why}), its input "${source}" has ${steps}`,
        node.id,
      );
    }
    const out = model.info.shapes.get(node.id)?.[0];
    if (typeof out === "string" && out === derivedTime(node)) bound.set(out, outputSteps(node, steps));
  }
  return bound;
}

/**
 * The concrete size of every symbolic dim for one batch, found on the host before anything runs: the feeds bind
 * the input axes (`batch`, each input's time), and each conv1d or pad that changes the time axis binds its output
 * axis `"<id>.time"` from its input's steps (core's `outputSteps`). An input too short for such a node fails here,
 * naming it, rather than as a tfjs shape error inside a kernel (where a throw on the gradient tape would leak).
 */
import {
  BackendError,
  changesTime,
  minInputSteps,
  outputSteps,
  receptiveField,
  type Tensor,
  type ValidModel,
} from "@recurrent/core";

/**
 * @param inputs the checked float feeds by input node id
 * @returns each symbol's size (a symbol no feed binds is absent)
 * @throws BackendError FEED_SHAPE naming the node when its input has fewer steps than it needs (a conv's field
 *   after padding, or `max(before, after) + 1` for a reflect pad), with both numbers.
 */
export function boundDims(model: ValidModel, inputs: ReadonlyMap<string, Tensor>): Map<string, number> {
  const bound = new Map<string, number>();
  for (const node of model.nodes) {
    if (node.op === "input") {
      const feed = inputs.get(node.id);
      if (feed === undefined) continue;
      node.shape.forEach((dim, i) => {
        if (typeof dim === "string") bound.set(dim, feed.shape[i]!);
      });
      continue;
    }
    if ((node.op !== "conv1d" && node.op !== "pad") || !changesTime(node)) continue;
    const dim = model.info.shapes.get(node.inputs[0]!)?.[0];
    const steps = typeof dim === "number" ? dim : dim === undefined ? undefined : bound.get(dim);
    if (steps === undefined) continue;
    const least = minInputSteps(node);
    if (steps < least || outputSteps(node, steps) < 1) {
      const why =
        node.op === "conv1d"
          ? `its receptive field of ${receptiveField(node)} frames with the padding`
          : `a reflect pad of ${node.before} before and ${node.after} after`;
      throw new BackendError(
        "FEED_SHAPE",
        `${node.op} "${node.id}" needs at least ${least} input steps (${why}), its input "${node.inputs[0]}" has ${steps}`,
        node.id,
      );
    }
    const out = model.info.shapes.get(node.id)?.[0];
    if (typeof out === "string") bound.set(out, outputSteps(node, steps));
  }
  return bound;
}

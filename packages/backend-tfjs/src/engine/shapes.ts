/** Concrete shapes of graph values for one batch, from the validated model's symbolic shapes and the feeds. */
import { BackendError, formatShape, type ValidModel } from "@recurrent/core";
import type { CheckedFeeds } from "./feeds.js";

/**
 * The shape value `name` will have when the model runs on `feeds`: each symbol (`batch`, time axes, the time axes
 * of strided convs and pads) bound to the size the feeds give it.
 * @throws BackendError BAD_CONFIG when the model has no such value or a symbol is bound by no feed.
 */
export function concreteShape(model: ValidModel, feeds: CheckedFeeds, name: string): number[] {
  const bound = feeds.dims;
  const declared = model.info.shapes.get(name);
  if (declared === undefined) throw new BackendError("BAD_CONFIG", `model "${model.name}" has no value "${name}"`);
  return declared.map((dim) => {
    const size = typeof dim === "number" ? dim : bound.get(dim);
    if (size === undefined) {
      throw new BackendError("BAD_CONFIG", `value "${name}" ${formatShape(declared)}: no feed binds "${dim}"`);
    }
    return size;
  });
}

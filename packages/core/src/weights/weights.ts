import type { Tensor } from "../tensor/tensor.js";

/** A model's parameters, keyed `nodeId/param` (e.g. `"blstm/weight_ih_reverse"`), PyTorch layouts. */
export type Weights = Readonly<Record<string, Tensor>>;

/** The key of a parameter. */
export function weightKey(nodeId: string, param: string): string {
  return `${nodeId}/${param}`;
}

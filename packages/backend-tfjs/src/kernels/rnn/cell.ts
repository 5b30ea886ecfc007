/**
 * The interface each recurrent cell implements, and the four parameters of one direction.
 *
 * Steps run in a column layout: states are `[H, B]` and a step's gate pre-activations `[G·H, B]`, so the product
 * is `W_hh [G·H, H] · h [H, B]` with the PyTorch weight as is, and cutting gates apart is a split along axis 0:
 * contiguous blocks (free on tfjs's cpu backend, which copies element by element for a column split).
 */
import type { TfTensor } from "../../tf.js";

/** One direction's parameters, PyTorch layouts. */
export interface DirectionWeights {
  /** `[G·H, D]` */
  readonly wih: TfTensor;
  /** `[G·H, H]` */
  readonly whh: TfTensor;
  /** `[G·H]` */
  readonly bih: TfTensor;
  /** `[G·H]` */
  readonly bhh: TfTensor;
}

/** Makes (or fetches, when weights are frozen) a tensor derived from the weights; see `KernelContext.derive`. */
export type Derive = (name: string, make: () => TfTensor) => TfTensor;

/** A recurrent state in column layout: `h` and, for LSTM, `c`, each `[H, B]`. */
export interface CellState {
  readonly h: TfTensor;
  readonly c: TfTensor | undefined;
}

/** A cell with its derived weights prepared for one forward pass. */
export interface Cell {
  /** Input-side gate pre-activations of every step at once: `x2 [T·B, D]` → `[T·B, G·H]` (row layout). */
  project(x2: TfTensor): TfTensor;
  /** One step from its input-side pre-activations `gx [G·H, B]` and the previous state. */
  step(gx: TfTensor, state: CellState): CellState;
}

/** The interface each recurrent cell implements, and the four parameters of one direction. */
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

/** A recurrent state: `h` and, for LSTM, `c`, each `[B, H]`. */
export interface CellState {
  readonly h: TfTensor;
  readonly c: TfTensor | undefined;
}

/** A cell with its derived weights prepared for one forward pass. */
export interface Cell {
  /** Input-side gate pre-activations of every step at once: `x2 [T·B, D]` → `[T·B, G·H]`. */
  project(x2: TfTensor): TfTensor;
  /** One step from its input-side pre-activations `gx [B, G·H]` and the previous state. */
  step(gx: TfTensor, state: CellState): CellState;
}

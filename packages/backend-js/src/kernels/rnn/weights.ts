/** The four live parameter arrays of one direction (PyTorch layouts). */
export interface DirectionWeights {
  /** `[G·H, D]` */
  readonly wih: Float32Array;
  /** `[G·H, H]` */
  readonly whh: Float32Array;
  /** `[G·H]` */
  readonly bih: Float32Array;
  /** `[G·H]` */
  readonly bhh: Float32Array;
}

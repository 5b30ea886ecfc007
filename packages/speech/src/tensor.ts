/**
 * Plain tensors, structurally identical to @recurrent/core's `Tensor` / `IntTensor` (this package depends on
 * nothing of ours, so it declares them itself). Data is row-major, outermost dim first.
 */

/** A float32 tensor: features `[T, 39]`, batches `[T, B, D]`. */
export interface FloatTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** An int32 tensor: frame labels `[T]`, batched labels `[T, B]`. */
export interface IntTensor {
  readonly shape: readonly number[];
  readonly data: Int32Array;
}

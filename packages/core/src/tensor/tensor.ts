/**
 * Plain tensors. Core does no maths on them beyond what init, batching and serialization need; backends own
 * the kernels. Data is row-major (C order), outermost dim first.
 */

/** A float32 tensor. Sequences are `[T, B, D]` (time-major), vectors `[B, D]`. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** An int32 tensor: class labels `[T, B]` or `[B]`, lengths `[B]`. */
export interface IntTensor {
  readonly shape: readonly number[];
  readonly data: Int32Array;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A float32 tensor of `shape`, filled with zeros or taking `data`.
 * @throws RangeError when a dim is not a non-negative integer or `data` has the wrong length.
 */
export function tensor(shape: readonly number[], data?: Float32Array | readonly number[]): Tensor {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`tensor: shape [${shape.join(", ")}] has a bad dim ${d}`);
  }
  const size = sizeOf(shape);
  const values = data === undefined ? new Float32Array(size) : Float32Array.from(data);
  if (values.length !== size) {
    throw new RangeError(`tensor: shape [${shape.join(", ")}] needs ${size} values, got ${values.length}`);
  }
  return { shape: [...shape], data: values };
}

/** Formats a shape as `[3, batch, 39]`. */
export function formatShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(", ")}]`;
}

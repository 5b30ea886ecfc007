/**
 * Constant folding of the shape glue exporters emit (Shape, Gather, Unsqueeze, Concat, Slice, Cast, …). A folded
 * value is a small tensor whose entries are numbers or symbolic dims (`"time"`, `"batch"`): enough to follow
 * torch's zero initial states built from the input's batch size, or an `If` condition on a static shape.
 */

/** A tensor known at import time. Float data stays a Float32Array; ints and bools are numbers or symbols. */
export interface Folded {
  readonly kind: "const";
  /** TensorProto.DataType of the value (1 float, 6 int32, 7 int64, 9 bool). */
  readonly dtype: number;
  readonly dims: readonly number[];
  readonly data: Float32Array | readonly (number | string)[];
}

/** A folding step that cannot be done; the importer wraps it into an error naming the node. */
export class FoldError extends Error {}

/** A fold that needs a size known only at run time (e.g. `batch`): the value is dynamic, not an error yet. */
export class DynamicFold extends FoldError {}

export const folded = (dtype: number, dims: readonly number[], data: Folded["data"]): Folded => ({
  kind: "const",
  dtype,
  dims,
  data,
});

export const sizeOf = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** The entries as numbers; a symbolic one makes the value depend on a runtime size. */
export function numbers(v: Folded, what: string): number[] {
  const out: number[] = [];
  for (const x of v.data) {
    if (typeof x !== "number") throw new DynamicFold(`${what} depends on the runtime size "${x}"`);
    out.push(x);
  }
  return out;
}

const normAxis = (axis: number, rank: number): number => {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new FoldError(`axis ${axis} is out of range for rank ${rank}`);
  return a;
};

/** Builds a value with the same kind of storage as `like`. */
function withData(like: Folded, dims: readonly number[], data: (number | string)[]): Folded {
  return folded(like.dtype, dims, like.data instanceof Float32Array ? Float32Array.from(data as number[]) : data);
}

/** Gather along `axis` (numpy take). */
export function gather(x: Folded, indices: Folded, axis: number): Folded {
  const a = normAxis(axis, x.dims.length);
  const n = x.dims[a] as number;
  const outer = sizeOf(x.dims.slice(0, a));
  const inner = sizeOf(x.dims.slice(a + 1));
  const idx = numbers(indices, "Gather's indices").map((i) => (i < 0 ? i + n : i));
  for (const i of idx) if (i < 0 || i >= n) throw new FoldError(`index out of range for a dim of ${n}`);
  const out: (number | string)[] = [];
  const src = Array.from(x.data);
  for (let o = 0; o < outer; o++) {
    for (const i of idx) out.push(...src.slice((o * n + i) * inner, (o * n + i + 1) * inner));
  }
  return withData(x, [...x.dims.slice(0, a), ...indices.dims, ...x.dims.slice(a + 1)], out);
}

export function unsqueeze(x: Folded, axes: readonly number[]): Folded {
  const rank = x.dims.length + axes.length;
  const norm = axes.map((a) => normAxis(a, rank));
  const dims: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) dims.push(norm.includes(i) ? 1 : (x.dims[k++] as number));
  return folded(x.dtype, dims, x.data);
}

export function squeeze(x: Folded, axes: readonly number[] | undefined): Folded {
  const norm = axes?.map((a) => normAxis(a, x.dims.length));
  const dims = x.dims.filter((d, i) => (norm === undefined ? d !== 1 : !norm.includes(i)));
  return folded(x.dtype, dims, x.data);
}

export function concat(parts: readonly Folded[], axis: number): Folded {
  const first = parts[0] as Folded;
  const a = normAxis(axis, first.dims.length);
  const outer = sizeOf(first.dims.slice(0, a));
  const out: (number | string)[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const block = sizeOf(p.dims.slice(a));
      out.push(...Array.from(p.data).slice(o * block, (o + 1) * block));
    }
  }
  const dims = [...first.dims];
  dims[a] = parts.reduce((s, p) => s + (p.dims[a] as number), 0);
  return withData(first, dims, out);
}

/**
 * ONNX Slice of a folded value: for each of `axes`, entries `start, start+step, …` before `end` (negative bounds
 * count from the end; bounds are clamped as ONNX does, so INT64_MAX means "to the end").
 */
export function slice(
  x: Folded,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
  steps: readonly number[],
): Folded {
  const rank = x.dims.length;
  const picks: number[][] = x.dims.map((n) => Array.from({ length: n }, (_, i) => i));
  axes.forEach((axis, k) => {
    const a = normAxis(axis, rank);
    const n = x.dims[a] as number;
    const step = steps[k] ?? 1;
    if (step === 0) throw new FoldError("Slice step 0");
    const raw = (v: number): number => (v < 0 ? v + n : v);
    const out: number[] = [];
    if (step > 0) {
      const from = Math.min(Math.max(raw(starts[k] as number), 0), n);
      const to = Math.min(Math.max(raw(ends[k] as number), 0), n);
      for (let i = from; i < to; i += step) out.push(i);
    } else {
      const from = Math.min(Math.max(raw(starts[k] as number), 0), n - 1);
      const to = Math.min(Math.max(raw(ends[k] as number), -1), n - 1);
      for (let i = from; i > to; i += step) out.push(i);
    }
    picks[a] = out;
  });
  return select(x, picks);
}

/** The entries of `x` at the cartesian product of per-axis index lists. */
function select(x: Folded, picks: readonly (readonly number[])[]): Folded {
  const dims = picks.map((p) => p.length);
  const strides: number[] = [];
  let s = 1;
  for (let i = x.dims.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= x.dims[i] as number;
  }
  const out: (number | string)[] = [];
  const walk = (axis: number, at: number): void => {
    if (axis === dims.length) {
      out.push(x.data[at] as number | string);
      return;
    }
    for (const i of picks[axis] as number[]) walk(axis + 1, at + i * (strides[axis] as number));
  };
  walk(0, 0);
  return withData(x, dims, out);
}

/** ONNX Transpose of a folded value (no perm: the axes reversed). */
export function transpose(x: Folded, perm: readonly number[] | undefined): Folded {
  const rank = x.dims.length;
  const p = perm ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  const strides: number[] = [];
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= x.dims[i] as number;
  }
  const dims = p.map((a) => x.dims[a] as number);
  const out: (number | string)[] = [];
  const walk = (axis: number, at: number): void => {
    if (axis === rank) {
      out.push(x.data[at] as number | string);
      return;
    }
    const from = p[axis] as number;
    for (let i = 0; i < (dims[axis] as number); i++) walk(axis + 1, at + i * (strides[from] as number));
  };
  walk(0, 0);
  return withData(x, dims, out);
}

/** Reshape with ONNX's 0 (copy) and −1 (infer) entries. */
export function reshape(x: Folded, shape: readonly number[]): Folded {
  const size = x.data.length;
  const dims = shape.map((d, i) => (d === 0 ? (x.dims[i] as number) : d));
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  return folded(
    x.dtype,
    dims.map((d) => (d === -1 ? size / known : d)),
    x.data,
  );
}

/** Elementwise binary op with numpy broadcasting on numeric values. */
export function binary(a: Folded, b: Folded, f: (x: number, y: number) => number, dtype = a.dtype): Folded {
  const xs = numbers(a, "the left operand");
  const ys = numbers(b, "the right operand");
  const rank = Math.max(a.dims.length, b.dims.length);
  const pad = (d: readonly number[]): number[] => [...Array<number>(rank - d.length).fill(1), ...d];
  const da = pad(a.dims);
  const db = pad(b.dims);
  const dims = da.map((d, i) => {
    const e = db[i] as number;
    if (d !== e && d !== 1 && e !== 1) throw new FoldError(`shapes [${a.dims}] and [${b.dims}] do not broadcast`);
    return Math.max(d, e);
  });
  const index = (flat: number, src: number[]): number => {
    let at = 0;
    let stride = 1;
    let rest = flat;
    const coords: number[] = [];
    for (let i = rank - 1; i >= 0; i--) {
      coords[i] = rest % (dims[i] as number);
      rest = Math.floor(rest / (dims[i] as number));
    }
    for (let i = rank - 1; i >= 0; i--) {
      at += (src[i] === 1 ? 0 : (coords[i] as number)) * stride;
      stride *= src[i] as number;
    }
    return at;
  };
  const out = Array.from({ length: sizeOf(dims) }, (_, i) => f(xs[index(i, da)] as number, ys[index(i, db)] as number));
  return folded(dtype, dims, dtype === 1 ? Float32Array.from(out) : out);
}

/** Casts numeric data to `to` (float → Float32Array, ints truncated toward zero, bool to 0/1). */
export function cast(x: Folded, to: number): Folded {
  if (to === 1 || to === 11) return folded(1, x.dims, Float32Array.from(numbers(x, "a cast to float")));
  const data = Array.from(x.data, (v) => (typeof v === "number" ? (to === 9 ? (v !== 0 ? 1 : 0) : Math.trunc(v)) : v));
  return folded(to, x.dims, data);
}

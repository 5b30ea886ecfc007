/**
 * Layouts: how an ONNX tensor's axes lie over an IR value's. An IR value has axes `TBF` (a sequence), `BF` (a
 * vector) or `DBF` (a state: directions, batch, units). The ONNX tensor the importer follows is a *view* of it: a
 * string of those letters in ONNX order, where an IR axis of size 1 may be left out (ONNX squeezed it away) and
 * `1` marks a unit axis the IR value does not have (ONNX unsqueezed it). Conv's `[N, C, L]` is the view `BFT` of
 * the sequence `[T, B, F]`; Silero's `[B, S]` audio is `BT` (F = 1 left out); its LSTM step `[B, C]` is `BF` over a
 * one-step sequence (T = 1 left out). Squeeze, Unsqueeze and Transpose only rewrite the view, so each ONNX value
 * maps to an IR value without copies; the adapters move data between the two with {@link toView} / {@link fromView}.
 */
import type { Dims } from "./values.js";

/** IR axis letters: time, batch, features, directions; `1` a unit axis ONNX added. */
export type AxisLetter = "T" | "B" | "F" | "D" | "1";

/** A view that cannot be formed (an axis squeezed that is not 1, a rank that does not fit). */
export class LayoutError extends Error {}

/** The default IR axes of IR dims: rank 3 a sequence, rank 2 a vector. */
export function defaultAxes(dims: Dims): string {
  return dims.length === 3 ? "TBF" : "BF";
}

/** The size of IR axis `letter` (1 for `1` and for an axis the IR value lacks). */
function sizeOf(axes: string, dims: Dims, letter: string): number | string {
  const i = axes.indexOf(letter);
  return i < 0 ? 1 : (dims[i] as number | string);
}

/** The ONNX dims of a view. */
export function viewDims(axes: string, dims: Dims, view: string): Dims {
  return [...view].map((l) => sizeOf(axes, dims, l));
}

/**
 * Inserts unit axes at the (ONNX) positions `at` of the output. A unit axis takes the letter of an IR axis of size 1
 * that the view leaves out (T before F before D), so `BF` over a one-step sequence unsqueezed at 0 is `TBF` again;
 * otherwise it is `1`.
 */
export function unsqueezeView(axes: string, dims: Dims, view: string, at: readonly number[]): string {
  const rank = view.length + at.length;
  const norm = at.map((a) => (a < 0 ? a + rank : a));
  if (norm.some((a) => a < 0 || a >= rank))
    throw new LayoutError(`axes [${at.join(", ")}] out of range for rank ${rank}`);
  const free = [..."TFD"].filter((l) => axes.includes(l) && !view.includes(l) && sizeOf(axes, dims, l) === 1);
  const out: string[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(norm.includes(i) ? (free.shift() ?? "1") : (view[k++] as string));
  return out.join("");
}

/** Removes the ONNX axes `at` (all unit axes when undefined); each must have size 1. */
export function squeezeView(axes: string, dims: Dims, view: string, at: readonly number[] | undefined): string {
  const norm = at?.map((a) => (a < 0 ? a + view.length : a));
  if (norm?.some((a) => a < 0 || a >= view.length)) {
    throw new LayoutError(`axes [${at?.join(", ")}] out of range for rank ${view.length}`);
  }
  return [...view]
    .filter((l, i) => {
      const size = sizeOf(axes, dims, l);
      if (norm === undefined) return size !== 1;
      if (!norm.includes(i)) return true;
      if (size !== 1) throw new LayoutError(`axis ${i} has size ${size}, not 1; only unit axes are squeezed`);
      return false;
    })
    .join("");
}

/** Permutes the view (ONNX Transpose; no perm reverses the axes). */
export function transposeView(view: string, perm: readonly number[] | undefined): string {
  const p = perm ?? [...view].map((_, i) => view.length - 1 - i);
  if (p.length !== view.length || [...p].sort().some((v, i) => v !== i)) {
    throw new LayoutError(`perm [${p.join(", ")}] is not a permutation of rank ${view.length}`);
  }
  return p.map((i) => view[i]).join("");
}

/** A flat float tensor. */
export interface Flat {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * The ONNX tensor of a view, from the IR tensor (its concrete shape in `ir.shape`, axes `axes`).
 * @throws LayoutError when the IR tensor's rank does not match `axes` or a left-out axis is not 1.
 */
export function toView(ir: Flat, axes: string, view: string): Flat {
  if (ir.shape.length !== axes.length) {
    throw new LayoutError(`the IR tensor has shape [${ir.shape.join(", ")}], expected rank ${axes.length} (${axes})`);
  }
  const kept = [...view].filter((l) => l !== "1");
  for (const [i, l] of [...axes].entries()) {
    if (!kept.includes(l) && ir.shape[i] !== 1) {
      throw new LayoutError(`IR axis ${l} has size ${ir.shape[i]}; a view without it needs size 1`);
    }
  }
  // Drop the left-out IR axes (size 1, they move no data), then reorder the rest into view order.
  const present = [...axes].filter((l) => kept.includes(l));
  const reduced = { shape: present.map((l) => ir.shape[axes.indexOf(l)] as number), data: ir.data };
  const data = permute(
    reduced,
    kept.map((l) => present.indexOf(l)),
  );
  return { shape: [...view].map((l) => (l === "1" ? 1 : (ir.shape[axes.indexOf(l)] as number))), data };
}

/**
 * The IR tensor (axes `axes`) of an ONNX tensor laid out as `view`.
 * @throws LayoutError when the ONNX tensor's rank does not match the view or a `1` axis is not 1.
 */
export function fromView(onnx: Flat, axes: string, view: string): Flat {
  if (onnx.shape.length !== view.length) {
    throw new LayoutError(`the tensor has shape [${onnx.shape.join(", ")}], expected rank ${view.length}`);
  }
  const kept: number[] = [];
  const letters: string[] = [];
  [...view].forEach((l, i) => {
    if (l === "1") {
      if (onnx.shape[i] !== 1) throw new LayoutError(`axis ${i} has size ${onnx.shape[i]}, expected 1`);
      return;
    }
    kept.push(onnx.shape[i] as number);
    letters.push(l);
  });
  const shape = [...axes].map((l) => (letters.includes(l) ? (kept[letters.indexOf(l)] as number) : 1));
  // Reorder the kept ONNX axes into IR order (left-out IR axes have size 1 and move no data).
  const present = [...axes].filter((l) => letters.includes(l));
  const order = present.map((l) => letters.indexOf(l));
  return { shape, data: permute({ shape: kept, data: onnx.data }, order) };
}

/** Transposes `x` so that output axis i is input axis `order[i]`. */
function permute(x: Flat, order: readonly number[]): Float32Array {
  if (order.every((o, i) => o === i)) return x.data.slice();
  const dims = order.map((o) => x.shape[o] as number);
  const strides: number[] = [];
  let s = 1;
  for (let i = x.shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= x.shape[i] as number;
  }
  const outStrides = order.map((o) => strides[o] as number);
  const out = new Float32Array(x.data.length);
  const idx = new Array<number>(dims.length).fill(0);
  for (let n = 0; n < out.length; n++) {
    let at = 0;
    for (let k = 0; k < dims.length; k++) at += (idx[k] as number) * (outStrides[k] as number);
    out[n] = x.data[at] as number;
    for (let k = dims.length - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (dims[k] as number)) break;
      idx[k] = 0;
    }
  }
  return out;
}

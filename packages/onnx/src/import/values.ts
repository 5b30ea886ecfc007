/**
 * What the importer knows about each ONNX value while it walks the graph: a folded constant, a zero tensor, a
 * lengths feed, a value known only at run time, an IR value, a MatMul waiting for its bias, or a recurrent node's
 * raw output waiting for its direction merge.
 */
import type { Tensor } from "@recurrent/core";
import type { DecodedTensor } from "./decode.js";
import * as F from "./fold.js";
import { defaultAxes } from "./layout.js";
import type { PendingRnn } from "./rnn.js";

export type Dims = readonly (number | string)[];
export type Value =
  | F.Folded
  | { readonly kind: "zeros" }
  | { readonly kind: "lengths"; readonly feed: string }
  | { readonly kind: "dynamic"; readonly why: string }
  | {
      readonly kind: "ir";
      readonly name: string;
      /** The IR value's dims (numbers, or symbols such as `batch`, `time`, `<id>.time`). */
      readonly dims: Dims;
      readonly root: string | undefined;
      /** The IR value's axes (`TBF`, `BF`, `DBF`); default from the rank (see layout.ts). */
      readonly axes?: string;
      /** The ONNX tensor's axes as IR axis letters (see layout.ts); default: the IR axes. */
      readonly view?: string;
    }
  | { readonly kind: "matmul"; readonly x: IrValue; readonly w: Tensor; readonly bias?: Float32Array }
  | { readonly kind: "rnnOut"; readonly rnn: PendingRnn; readonly slot: number; readonly transposed: boolean }
  /** Features `start..end` of `x` (a Slice on the feature axis), squared when `squared`: half of a magnitude. */
  | {
      readonly kind: "part";
      readonly x: IrValue;
      readonly start: number;
      readonly end: number;
      readonly squared: boolean;
    }
  /** `re² + im²` over the two halves of `x`'s features: the magnitude op once a Sqrt reads it. */
  | { readonly kind: "sumSquares"; readonly x: IrValue }
  /** IR values stacked on a new ONNX axis 0 (Silero's `stateN` = [h, c]); each part's view leaves that axis out. */
  | { readonly kind: "stack"; readonly parts: readonly IrValue[] };
export type IrValue = Extract<Value, { kind: "ir" }>;

/** The IR axes of an IR value. */
export function axesOf(v: IrValue): string {
  return v.axes ?? defaultAxes(v.dims);
}

/** The ONNX view of an IR value. */
export function viewOf(v: IrValue): string {
  return v.view ?? axesOf(v);
}

/** A condition or shape that depends on runtime values. */
export class DynamicError extends Error {}

export const BINARY: Readonly<Record<string, (x: number, y: number) => number>> = {
  Sub: (x, y) => x - y,
  Mul: (x, y) => x * y,
  Div: (x, y) => (Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y),
  Equal: (x, y) => (x === y ? 1 : 0),
  Less: (x, y) => (x < y ? 1 : 0),
  Greater: (x, y) => (x > y ? 1 : 0),
  And: (x, y) => (x && y ? 1 : 0),
  Or: (x, y) => (x || y ? 1 : 0),
};

export function fromTensor(t: DecodedTensor): F.Folded {
  return F.folded(t.dtype, t.dims, t.data instanceof Float32Array ? t.data : [...t.data]);
}

export function isZeros(v: Value): boolean {
  return v.kind === "zeros" || (v.kind === "const" && v.data.length > 0 && Array.from(v.data).every((d) => d === 0));
}

export function addBias(mm: Extract<Value, { kind: "matmul" }>, c: F.Folded): Float32Array {
  const O = mm.w.shape[0] as number;
  if (c.data.length !== O || c.dims.at(-1) !== O) {
    throw new Error(`the bias has shape [${c.dims.join(", ")}], expected [${O}]`);
  }
  const bias = Float32Array.from(F.numbers(c, "the bias"));
  if (mm.bias !== undefined) for (let i = 0; i < O; i++) bias[i] = (bias[i] as number) + (mm.bias[i] as number);
  return bias;
}

export function describe(v: Value): string {
  switch (v.kind) {
    case "const":
      return `a constant [${v.dims.join(", ")}]`;
    case "zeros":
      return "a zero tensor";
    case "lengths":
      return `the lengths feed "${v.feed}"`;
    case "dynamic":
      return `a value known only at run time (${v.why})`;
    case "ir":
      return `the value "${v.name}" [${v.dims.join(", ")}]${viewOf(v) === axesOf(v) ? "" : ` viewed as ${viewOf(v)}`}`;
    case "part":
      return `features ${v.start}..${v.end} of "${v.x.name}"${v.squared ? " squared" : ""}`;
    case "sumSquares":
      return `the sum of squares of the two halves of "${v.x.name}"`;
    case "stack":
      return `the values ${v.parts.map((p) => `"${p.name}"`).join(", ")} stacked on axis 0`;
    case "matmul":
      return "a matrix product";
    case "rnnOut":
      return `output ${v.slot} of recurrent node ${v.rnn.label}`;
  }
}

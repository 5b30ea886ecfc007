/**
 * How an imported file's own feeds and outputs map onto the IR model's, and the adapters that move data between
 * them: {@link toImportedFeeds} turns the feeds the ONNX file takes (Silero: `input [B, S]`, `state [2, B, 128]`,
 * `sr`) into the IR model's (`input [S, B, 1]`, `state[0]`, `state[1]` `[1, B, 128]`), and
 * {@link fromImportedResults} turns the IR model's results back into the file's outputs (`output [B, 1]`,
 * `stateN [2, B, 128]`).
 */
import type { Outputs, Tensor } from "@recurrent/core";
import { fromView, LayoutError, toView } from "./layout.js";

/** One IR value behind (part of) an ONNX tensor. */
export interface BindingPart {
  /** The IR feed or result name. */
  readonly ir: string;
  /** The IR value's axes (`TBF` sequence, `BF` vector, `DBF` state). */
  readonly axes: string;
  /** The ONNX tensor's axes in IR letters (`1`: a unit axis the IR value lacks); see layout.ts. */
  readonly view: string;
  /** In a stacked binding: the index on the ONNX tensor's axis 0 (default: the part's position). */
  readonly index?: number;
}

/**
 * An ONNX graph input or output and the IR values behind it. With one part, the part is the whole tensor; with
 * several (`stacked`), part k is the ONNX tensor's slice `[k]` on axis 0 (Silero's `state` / `stateN`).
 */
export type Binding =
  | {
      readonly kind: "tensor";
      readonly onnx: string;
      readonly stacked: boolean;
      readonly parts: readonly BindingPart[];
    }
  | { readonly kind: "lengths"; readonly onnx: string; readonly ir: string };

/** The mapping between the ONNX file's feeds / outputs and the IR model's. */
export interface ImportedIo {
  readonly inputs: readonly Binding[];
  readonly outputs: readonly Binding[];
  /** Graph inputs folded at import (`constants` option), with the value used. */
  readonly constants: Readonly<Record<string, readonly number[]>>;
}

/** A tensor as the ONNX file takes or gives it: `{ shape, data }` or onnxruntime's `{ dims, data }`. */
export interface OnnxTensorLike {
  readonly shape?: readonly number[];
  readonly dims?: readonly number[];
  readonly data: Float32Array | BigInt64Array | Int32Array | ArrayLike<number | bigint>;
}

/** Raised for feeds or results that do not fit the imported model's bindings. */
export class ImportedIoError extends Error {
  override readonly name = "ImportedIoError";
}

const shapeOf = (t: OnnxTensorLike): readonly number[] => t.shape ?? t.dims ?? [];
const floats = (t: OnnxTensorLike): Float32Array =>
  t.data instanceof Float32Array ? t.data : Float32Array.from(Array.from(t.data as ArrayLike<number | bigint>, Number));

/**
 * The IR feeds for the ONNX file's feeds: each float input laid out as the IR value (e.g. `[B, S]` → `[S, B, 1]`),
 * a stacked input split on axis 0 (`[2, B, H]` → two `[1, B, H]` states), lengths as Int32Array. A feed of an
 * input folded at import (`constants`) is checked against the folded value and dropped.
 * @param io `imported.io` from `importOnnx`.
 * @param feeds ONNX input name → tensor (`{ shape, data }` or onnxruntime's `{ dims, data }`).
 * @throws ImportedIoError for a missing feed, a shape the layout cannot take, or a constant fed with another value.
 */
export function toImportedFeeds(
  io: ImportedIo,
  feeds: Readonly<Record<string, OnnxTensorLike | Int32Array>>,
): Record<string, Tensor | Int32Array> {
  const out: Record<string, Tensor | Int32Array> = {};
  for (const [name, value] of Object.entries(io.constants)) {
    const fed = feeds[name];
    if (fed === undefined) continue;
    const got = Array.from((fed instanceof Int32Array ? fed : fed.data) as ArrayLike<number | bigint>, Number);
    if (got.join() !== value.join()) {
      throw new ImportedIoError(
        `feed "${name}" is [${got.join(", ")}] but the model was imported with constants.${name} = [${value.join(", ")}]; import it again with that value`,
      );
    }
  }
  for (const b of io.inputs) {
    const fed = feeds[b.onnx];
    if (fed === undefined) throw new ImportedIoError(`feed "${b.onnx}" is missing (the ONNX file's input)`);
    if (b.kind === "lengths") {
      out[b.ir] = fed instanceof Int32Array ? fed : Int32Array.from(Array.from(fed.data as ArrayLike<number>, Number));
      continue;
    }
    if (fed instanceof Int32Array)
      throw new ImportedIoError(`feed "${b.onnx}" is an Int32Array, expected a float tensor`);
    const shape = shapeOf(fed);
    const data = floats(fed);
    const slices = b.stacked ? splitAxis0(shape, data, b.onnx) : [{ shape, data }];
    for (const [k, part] of b.parts.entries()) {
      const slice = slices[b.stacked ? (part.index ?? k) : 0];
      if (slice === undefined) {
        throw new ImportedIoError(
          `feed "${b.onnx}" has ${slices.length} entries on axis 0, the model reads ${b.parts.length}`,
        );
      }
      out[part.ir] = wrap(() => fromView(slice, part.axes, part.view), b.onnx);
    }
  }
  return out;
}

/**
 * The ONNX file's outputs from the IR model's results: each laid out as the file gives it (e.g. `[T, B, 1]` →
 * `[B, 1, T]`), stacked outputs joined on a new axis 0.
 * @param io `imported.io` from `importOnnx`.
 * @param results what the IR model's run returned (it must include every bound IR value).
 * @throws ImportedIoError for a result that is missing or does not fit its layout.
 */
export function fromImportedResults(io: ImportedIo, results: Outputs): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const b of io.outputs) {
    if (b.kind !== "tensor") continue;
    const parts = b.parts.map((p) => {
      const r = results[p.ir];
      if (r === undefined) throw new ImportedIoError(`result "${p.ir}" (behind output "${b.onnx}") is missing`);
      return wrap(() => toView(r, p.axes, p.view), b.onnx);
    });
    if (!b.stacked) {
      out[b.onnx] = parts[0] as Tensor;
      continue;
    }
    const first = parts[0] as Tensor;
    const data = new Float32Array(first.data.length * parts.length);
    parts.forEach((p, k) => {
      if (p.shape.join() !== first.shape.join()) {
        throw new ImportedIoError(
          `output "${b.onnx}": part ${k} has shape [${p.shape.join(", ")}], part 0 [${first.shape.join(", ")}]`,
        );
      }
      data.set(p.data, k * first.data.length);
    });
    out[b.onnx] = { shape: [parts.length, ...first.shape], data };
  }
  return out;
}

function splitAxis0(shape: readonly number[], data: Float32Array, name: string): Tensor[] {
  const n = shape[0];
  if (n === undefined) throw new ImportedIoError(`feed "${name}" is a scalar, expected a stack on axis 0`);
  const size = data.length / n;
  return Array.from({ length: n }, (_, k) => ({
    shape: shape.slice(1),
    data: data.subarray(k * size, (k + 1) * size),
  }));
}

function wrap(f: () => Tensor, name: string): Tensor {
  try {
    return f();
  } catch (err) {
    if (err instanceof LayoutError) throw new ImportedIoError(`"${name}": ${err.message}`);
    throw err;
  }
}

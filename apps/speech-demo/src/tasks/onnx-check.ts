/**
 * ONNX export, checked: the model is exported for any ONNX runtime, and the same model run in onnxruntime-node
 * (through @recurrent/onnx) must give backend-js's outputs on real utterances.
 */
import { writeFile } from "node:fs/promises";
import type { ValidModel, Weights } from "@recurrent/core";
import { openBackend } from "../backends.js";
import { CliError, describeError } from "../cli/errors.js";
import { runUtterances } from "./infer.js";

/** The outcome of {@link exportAndCheck}. */
export interface OnnxCheck {
  readonly path: string;
  readonly bytes: number;
  /** Largest |onnxruntime − backend-js| over every output value of the check utterances. */
  readonly maxAbsDiff: number;
  /** Frames where the arg-max differs (classification) / all frames compared. */
  readonly argmaxMismatches: number;
  readonly frames: number;
}

/** Tolerance of the check (float32 kernels in different orders). */
export const ONNX_TOLERANCE = 1e-3;

/**
 * Writes `model` as ONNX to `path` and compares onnxruntime with backend-js on `sequences` (`[T_i, inputDim]`).
 * @throws CliError `FILE` when the file cannot be written, `BACKEND` when onnxruntime cannot run it,
 *   `CHECK_FAILED` when the outputs differ by more than {@link ONNX_TOLERANCE}.
 */
export async function exportAndCheck(
  model: ValidModel,
  weights: Weights,
  path: string,
  sequences: readonly Float32Array[],
  inputDim: number,
  options: { readonly opset?: number } = {},
): Promise<OnnxCheck> {
  const { exportOnnx } = await import("@recurrent/onnx");
  let bytes: Uint8Array;
  try {
    bytes = exportOnnx(model, weights, options.opset === undefined ? {} : { opset: options.opset });
  } catch (err) {
    throw new CliError("BAD_MODEL", `cannot export "${model.name}" to ONNX: ${describeError(err)}`);
  }
  try {
    await writeFile(path, bytes);
  } catch (err) {
    throw new CliError("FILE", `${path}: cannot write: ${describeError(err)}`);
  }
  const js = await (await openBackend("js", "infer")).compile(model, weights);
  const ort = await (await openBackend("onnx", "infer")).compile(model, weights).catch((err: unknown) => {
    throw new CliError("BACKEND", `onnxruntime cannot run "${model.name}": ${describeError(err)}`);
  });
  try {
    const a = await runUtterances(js, sequences, inputDim);
    const b = await runUtterances(ort, sequences, inputDim);
    let maxAbsDiff = 0;
    let mismatches = 0;
    let frames = 0;
    a.forEach((ya, u) => {
      const yb = b[u]!;
      const T = sequences[u]!.length / inputDim;
      const O = ya.length / T;
      for (let t = 0; t < T; t++) {
        let ia = 0;
        let ib = 0;
        for (let o = 0; o < O; o++) {
          const k = t * O + o;
          maxAbsDiff = Math.max(maxAbsDiff, Math.abs(ya[k]! - yb[k]!));
          if (ya[k]! > ya[t * O + ia]!) ia = o;
          if (yb[k]! > yb[t * O + ib]!) ib = o;
        }
        if (ia !== ib) mismatches++;
        frames++;
      }
    });
    if (!(maxAbsDiff <= ONNX_TOLERANCE)) {
      throw new CliError(
        "CHECK_FAILED",
        `${path}: onnxruntime differs from backend-js by up to ${maxAbsDiff} (tolerance ${ONNX_TOLERANCE})`,
      );
    }
    return { path, bytes: bytes.length, maxAbsDiff, argmaxMismatches: mismatches, frames };
  } finally {
    await Promise.all([js.dispose(), ort.dispose()]);
  }
}

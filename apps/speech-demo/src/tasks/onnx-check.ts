/**
 * ONNX export, checked: the model is exported for any ONNX runtime (with its self-description, see
 * onnx-metadata.ts), written atomically, read back, and exactly those bytes run in onnxruntime-node must give
 * backend-js's outputs on real utterances.
 */
import { readFile } from "node:fs/promises";
import type { ValidModel, Weights } from "@recurrent/core";
import { writeFileAtomic } from "@recurrent/core/node";
import type { OnnxMetadataOptions } from "@recurrent/onnx";
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
  /** The file's recurrent state inputs, each with the output that returns it (`<id>/h_0` → `<id>/h`). */
  readonly states: readonly string[];
}

/** Tolerance of the check (float32 kernels in different orders). */
export const ONNX_TOLERANCE = 1e-3;

/**
 * Writes `model` as ONNX to `path` and compares onnxruntime, running the file as written, with backend-js on
 * `sequences` (`[T_i, inputDim]`).
 * @throws CliError `FILE` when the file cannot be written or read back, `BACKEND` when onnxruntime cannot run
 *   it, `CHECK_FAILED` when the outputs differ by more than {@link ONNX_TOLERANCE}.
 */
export async function exportAndCheck(
  model: ValidModel,
  weights: Weights,
  path: string,
  sequences: readonly Float32Array[],
  inputDim: number,
  options: { readonly opset?: number; readonly metadata?: OnnxMetadataOptions } = {},
): Promise<OnnxCheck> {
  const { exportOnnxModel } = await import("@recurrent/onnx");
  let onnx: ReturnType<typeof exportOnnxModel>;
  try {
    onnx = exportOnnxModel(model, weights, {
      ...(options.opset === undefined ? {} : { opset: options.opset }),
      ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
    });
  } catch (err) {
    throw new CliError("BAD_MODEL", `cannot export "${model.name}" to ONNX: ${describeError(err)}`);
  }
  let written: Uint8Array;
  try {
    await writeFileAtomic(path, onnx.bytes);
    written = new Uint8Array(await readFile(path));
  } catch (err) {
    throw new CliError("FILE", `${path}: cannot write: ${describeError(err)}`);
  }
  const js = await (await openBackend("js", "infer")).compile(model, weights);
  const ort = await import("@recurrent/onnx/node")
    .then(({ openOnnx }) => openOnnx(model, written))
    .catch(async (err: unknown) => {
      await js.dispose();
      throw new CliError("BACKEND", `onnxruntime cannot run ${path}: ${describeError(err)}`);
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
    const states = onnx.states.map((st) => `${st.input} → ${st.output}`);
    return { path, bytes: written.length, maxAbsDiff, argmaxMismatches: mismatches, frames, states };
  } finally {
    await Promise.all([js.dispose(), ort.dispose()]);
  }
}

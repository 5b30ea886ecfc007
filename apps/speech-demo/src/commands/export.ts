/**
 * `export <model> <out.onnx>`: writes a trained model as ONNX (states as plain inputs, labels, MFCC recipe and
 * CMVN in its metadata) and checks the written file in onnxruntime against backend-js on a few test utterances.
 */
import { resolve } from "node:path";
import type { Context } from "../cli/context.js";
import { checkOutput } from "../cli/output-file.js";
import { causalStatics, loadData, NUM_FEATURES, NUM_STATIC } from "../data.js";
import { loadTrained } from "../model-file.js";
import { exportAndCheck, type OnnxCheck } from "../tasks/onnx-check.js";
import { onnxMetadata } from "../tasks/onnx-metadata.js";

/** Options of `export`. */
export interface ExportCommandOptions {
  readonly opset?: number;
  /** Test utterances to compare on (default 4). */
  readonly checkUtterances?: number;
}

/**
 * Runs `export`. The output is checked first (not the input, not a directory, its folder writable).
 * @throws CliError for a bad model file, an unusable output path or a failed check.
 */
export async function exportCommand(
  modelPath: string,
  out: string,
  options: ExportCommandOptions,
  { io }: Context,
): Promise<OnnxCheck> {
  await checkOutput(out, { inputs: [modelPath] });
  const trained = await loadTrained(modelPath);
  const data = await loadData();
  const ids = data.split.test.slice(0, options.checkUtterances ?? 4);
  const dim = trained.task === "classify" ? NUM_FEATURES : NUM_STATIC;
  const sequences = ids.map((id) => {
    const raw = data.corpus.features(id);
    return trained.cmvn.apply(trained.task === "classify" ? raw : causalStatics(raw)).data;
  });
  const check = await exportAndCheck(trained.model, trained.weights, resolve(out), sequences, dim, {
    ...(options.opset === undefined ? {} : { opset: options.opset }),
    metadata: onnxMetadata(trained),
  });
  io.out(`wrote ${check.path} (${check.bytes} bytes${options.opset === undefined ? "" : `, opset ${options.opset}`})`);
  if (check.states.length > 0)
    io.out(`  state inputs → outputs (feed each output back to stream): ${check.states.join(", ")}`);
  io.out(
    `onnxruntime vs backend-js on ${ids.length} test utterances (${check.frames} frames): max |difference| ${check.maxAbsDiff.toExponential(2)}, arg-max differs on ${check.argmaxMismatches} frames`,
  );
  return check;
}

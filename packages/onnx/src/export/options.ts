/**
 * Export options and the opset → IR version table. onnxruntime 1.30 accepts opsets up to 26 and IR versions up
 * to 13; each opset is stamped with the IR version of the ONNX release that introduced it (onnx docs/Versioning.md).
 */
import { OnnxExportError } from "./errors.js";
import type { OnnxMetadataOptions } from "./metadata.js";

/** The opset written when none is asked for (ONNX 1.12, IR 8: read by every onnxruntime since 1.12). */
export const DEFAULT_OPSET = 17;
/** The lowest opset the exporter writes (the op forms it uses are those of opset 17 and later). */
export const MIN_OPSET = 17;
/** The highest opset onnxruntime-node 1.30 accepts. */
export const MAX_OPSET = 26;

const IR_OF_OPSET: Readonly<Record<number, number>> = {
  17: 8, // ONNX 1.12
  18: 8, // 1.13
  19: 9, // 1.14
  20: 9, // 1.15
  21: 10, // 1.16
  22: 10, // 1.17
  23: 11, // 1.18
  24: 12, // 1.19
  25: 13, // 1.20
  26: 13, // 1.21
};

/** Options of {@link exportOnnx}. */
export interface ExportOptions {
  /** ai.onnx opset, {@link MIN_OPSET}..{@link MAX_OPSET}; default {@link DEFAULT_OPSET}. */
  readonly opset?: number;
  /**
   * What the file says about itself in ModelProto `metadata_props` besides its graph and state pairs: class
   * labels, the feature recipe, CMVN statistics, free-form entries (see {@link OnnxMetadataOptions}).
   */
  readonly metadata?: OnnxMetadataOptions;
  /**
   * Values to expose as graph outputs besides the graph's own outputs and every `rnn` state (`<id>/h`, `<id>/c`),
   * e.g. an intermediate node's id.
   */
  readonly extraOutputs?: readonly string[];
}

/**
 * The IR version stamped for an opset.
 * @throws OnnxExportError BAD_OPTIONS when the opset is not an integer in MIN_OPSET..MAX_OPSET.
 */
export function irVersionFor(opset: number): number {
  const ir = IR_OF_OPSET[opset];
  if (!Number.isInteger(opset) || ir === undefined) {
    throw new OnnxExportError(
      "BAD_OPTIONS",
      `opset ${opset} is not supported: expected an integer in ${MIN_OPSET}..${MAX_OPSET} ` +
        `(onnxruntime 1.30 reads opsets up to ${MAX_OPSET}); hint: omit it for opset ${DEFAULT_OPSET}`,
    );
  }
  return ir;
}

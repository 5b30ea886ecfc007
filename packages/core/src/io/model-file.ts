/**
 * A model on disk: one `.safetensors` buffer whose tensors are the weights (`nodeId/param`, float32) and whose
 * `__metadata__` carries the versioned graph JSON. Browser-safe (bytes in, bytes out); see `model-file-node.ts`
 * for files.
 */
import { graphToJSON, parseGraph } from "../ir/json.js";
import { GRAPH_FORMAT, type Graph } from "../ir/nodes.js";
import type { ValidModel } from "../ir/valid-model.js";
import { assertValid } from "../ir/validate.js";
import type { Weights } from "../weights/weights.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

/** Metadata key of the graph format version (`GRAPH_FORMAT`). */
export const FORMAT_KEY = "recurrent.format";
/** Metadata key of the graph JSON. */
export const GRAPH_KEY = "recurrent.graph";
/** Metadata keys starting with this prefix are reserved for the library. */
export const RESERVED_PREFIX = "recurrent.";

/** Why a safetensors buffer is not a usable model file. */
export type ModelFileErrorCode =
  /** The file has no `recurrent.graph` metadata: a plain safetensors file (e.g. a PyTorch state dict). */
  | "NOT_A_MODEL"
  /** `recurrent.format` is missing or names another version of the graph format. */
  | "FORMAT_VERSION"
  /** User metadata is not a map of strings, or uses the reserved `recurrent.` prefix. */
  | "BAD_METADATA"
  /** `loadModel`: the path is a directory, device, FIFO or socket, not a regular file. */
  | "NOT_A_FILE"
  /** `loadModel`: the file is larger than the `maxBytes` limit. */
  | "TOO_LARGE";

/** A buffer decoded as safetensors but is not a model this version can load, or metadata cannot be written. */
export class ModelFileError extends Error {
  override readonly name = "ModelFileError";
  constructor(
    readonly code: ModelFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link serializeModel}. */
export interface SerializeOptions {
  /** Extra string entries for `__metadata__` (e.g. training corpus, date); keys must not start with `recurrent.`. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A loaded model. */
export interface LoadedModel {
  readonly model: ValidModel;
  readonly weights: Weights;
  /** The user metadata given to {@link serializeModel} (the `recurrent.*` entries removed). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Serializes a graph and its weights into one `.safetensors` buffer: tensors `nodeId/param` (F32, LE) and
 * metadata `{ "recurrent.format": GRAPH_FORMAT, "recurrent.graph": graphToJSON(graph), ...options.metadata }`.
 * The graph is validated against the weights first, so an unloadable file is never written.
 * @throws IrError when the graph is invalid or the weights do not match its parameters (missing, extra, shape,
 *   non-finite); ModelFileError `BAD_METADATA` for a reserved or non-string metadata entry.
 */
export function serializeModel(model: Graph, weights: Weights, options: SerializeOptions = {}): Uint8Array {
  const user = options.metadata ?? {};
  for (const [key, value] of Object.entries(user)) {
    if (key.startsWith(RESERVED_PREFIX)) {
      throw new ModelFileError(
        "BAD_METADATA",
        `metadata key "${key}" uses the reserved prefix "${RESERVED_PREFIX}"; rename it`,
      );
    }
    if (typeof value !== "string") {
      throw new ModelFileError(
        "BAD_METADATA",
        `metadata "${key}" must be a string, found ${typeof value}; JSON.stringify it`,
      );
    }
  }
  assertValid(model, weights);
  return encodeSafetensors(weights, { ...user, [FORMAT_KEY]: GRAPH_FORMAT, [GRAPH_KEY]: graphToJSON(model) });
}

/**
 * Reads a buffer written by {@link serializeModel}: parses the graph, checks it and every weight's shape
 * against it, and returns the validated model with its weights. Nothing is randomly initialized: a missing
 * weight is an error.
 * @throws SafetensorsError when the buffer is not valid safetensors; ModelFileError `NOT_A_MODEL` when it has no
 *   graph metadata, `FORMAT_VERSION` when the format version differs; IrError when the graph JSON is invalid or
 *   the weights do not match it.
 */
export function deserializeModel(bytes: Uint8Array): LoadedModel {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const graphJson = metadata[GRAPH_KEY];
  const format = metadata[FORMAT_KEY];
  if (graphJson === undefined) {
    const keys = Object.keys(metadata);
    throw new ModelFileError(
      "NOT_A_MODEL",
      `the file has no "${GRAPH_KEY}" metadata (found ${keys.length === 0 ? "no metadata" : `keys ${keys.join(", ")}`}), so it holds weights without a graph; ` +
        "save models with saveModel/serializeModel, or load a PyTorch state dict with decodeSafetensors + fromTorchStateDict",
    );
  }
  if (format !== GRAPH_FORMAT) {
    throw new ModelFileError(
      "FORMAT_VERSION",
      `the file's "${FORMAT_KEY}" is ${format === undefined ? "missing" : JSON.stringify(format)}, expected "${GRAPH_FORMAT}"; ` +
        "it was written by another version of the library",
    );
  }
  const model = assertValid(parseGraph(graphJson), tensors);
  const user = Object.fromEntries(Object.entries(metadata).filter(([key]) => !key.startsWith(RESERVED_PREFIX)));
  return { model, weights: tensors, metadata: user };
}

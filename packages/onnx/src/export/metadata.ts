/**
 * The self-description an exported file carries in ModelProto `metadata_props` (string → string), so that a
 * deployer in any language can use it without Recurrent's source. The schema (docs/onnx-deployment.md):
 *
 * | key                           | value                                                                      |
 * | ----------------------------- | -------------------------------------------------------------------------- |
 * | `recurrent.metadata_version`  | `"1"`; bumped when a key changes meaning                                   |
 * | `recurrent.graph`             | the model's IR as graph JSON (core's `graphToJSON`; versioned by `format`)  |
 * | `recurrent.states`            | JSON `[{ "input", "output", "shape" }]`: each state input, its final-state output |
 * | `recurrent.lengths`           | JSON `{ "<sequence input>": "<its int32 lengths input>" }`                 |
 * | `recurrent.labels`            | JSON `string[]` (optional): class names, index = output unit               |
 * | `recurrent.features`          | JSON object (optional): the feature recipe, e.g. MFCC parameters           |
 * | `recurrent.cmvn`              | JSON `{ "mean": number[], "std": number[] }` (optional): x' = (x − mean) / std |
 * | anything else                 | the caller's `extra` entries, verbatim                                     |
 */
import { graphToJSON, type Shape, type ValidModel } from "@recurrent/core";
import { OnnxExportError } from "./errors.js";

/** Keys of the metadata schema. */
export const METADATA_KEYS = {
  version: "recurrent.metadata_version",
  graph: "recurrent.graph",
  states: "recurrent.states",
  lengths: "recurrent.lengths",
  labels: "recurrent.labels",
  features: "recurrent.features",
  cmvn: "recurrent.cmvn",
} as const;

/** The value of `recurrent.metadata_version` this exporter writes. */
export const METADATA_VERSION = "1";

/** Keys starting with this belong to the schema; `extra` entries may not use it. */
export const METADATA_PREFIX = "recurrent.";

/** Per-dimension input normalization statistics: the model expects `(x − mean) / std`. */
export interface CmvnStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * What the caller adds to the file's self-description. Everything is plain JSON, so `@recurrent/onnx` needs no
 * knowledge of speech or any other domain.
 */
export interface OnnxMetadataOptions {
  /** Class names, one per unit of the model's output (checked against it when the model has one output). */
  readonly labels?: readonly string[];
  /** The feature recipe (e.g. MFCC parameters): any JSON object, stored as JSON text. */
  readonly features?: Readonly<Record<string, unknown>>;
  /** Input normalization (checked against the input's size when the model has one input). */
  readonly cmvn?: CmvnStats;
  /** Free-form entries, stored as given; keys must not start with `recurrent.`. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** One recurrent state: the graph input that takes it and the output that returns it after the chunk. */
export interface OnnxStatePair {
  /** Graph input, `<rnnId>/h_0` or `<rnnId>/c_0`. */
  readonly input: string;
  /** Graph output, `<rnnId>/h` or `<rnnId>/c`. */
  readonly output: string;
  /** `[directions, "batch", units]`. */
  readonly shape: Shape;
}

/** A `metadata_props` entry. */
export interface MetadataEntry {
  readonly key: string;
  readonly value: string;
}

const bad = (message: string): never => {
  throw new OnnxExportError("BAD_OPTIONS", `metadata: ${message}`);
};

/**
 * The `metadata_props` of an export, in schema order then `extra` in the caller's order.
 * @throws OnnxExportError BAD_OPTIONS naming the field when an option is malformed or disagrees with the model
 *   (labels vs the output's last dim, CMVN vs the input's last dim).
 */
export function metadataEntries(
  model: ValidModel,
  states: readonly OnnxStatePair[],
  lengths: ReadonlyMap<string, string>,
  options: OnnxMetadataOptions = {},
): MetadataEntry[] {
  const entries: MetadataEntry[] = [
    { key: METADATA_KEYS.version, value: METADATA_VERSION },
    { key: METADATA_KEYS.graph, value: graphToJSON(model) },
    { key: METADATA_KEYS.states, value: JSON.stringify(states) },
    { key: METADATA_KEYS.lengths, value: JSON.stringify(Object.fromEntries(lengths)) },
  ];
  if (options.labels !== undefined) {
    entries.push({ key: METADATA_KEYS.labels, value: JSON.stringify(checkLabels(model, options.labels)) });
  }
  if (options.features !== undefined) {
    entries.push({ key: METADATA_KEYS.features, value: jsonObject("features", options.features) });
  }
  if (options.cmvn !== undefined) {
    entries.push({ key: METADATA_KEYS.cmvn, value: JSON.stringify(checkCmvn(model, options.cmvn)) });
  }
  for (const [key, value] of Object.entries(options.extra ?? {})) {
    if (key === "" || key.startsWith(METADATA_PREFIX)) {
      bad(`extra key "${key}" is empty or uses the reserved prefix "${METADATA_PREFIX}"; rename it`);
    }
    if (typeof value !== "string") bad(`extra "${key}" must be a string, found ${typeof value}; JSON.stringify it`);
    entries.push({ key, value });
  }
  return entries;
}

/** The last dim of the model's only output / only input node, when there is exactly one and it is a number. */
function lastDimOfOnly(dims: readonly (Shape | undefined)[]): number | undefined {
  const last = dims.length === 1 ? dims[0]?.at(-1) : undefined;
  return typeof last === "number" ? last : undefined;
}

function checkLabels(model: ValidModel, labels: readonly string[]): string[] {
  if (!Array.isArray(labels) || labels.length === 0 || labels.some((l) => typeof l !== "string")) {
    bad("labels must be a non-empty array of strings");
  }
  const classes = lastDimOfOnly(model.outputs.map((o) => model.info.shapes.get(o)));
  if (classes !== undefined && classes !== labels.length) {
    bad(`labels has ${labels.length} entries but output "${model.outputs[0]}" has ${classes} units`);
  }
  return [...labels];
}

function checkCmvn(model: ValidModel, cmvn: CmvnStats): CmvnStats {
  const isVector = (v: unknown): v is number[] =>
    Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x));
  if (typeof cmvn !== "object" || cmvn === null || !isVector(cmvn.mean) || !isVector(cmvn.std)) {
    bad("cmvn must be { mean: number[], std: number[] } of finite numbers");
  }
  if (cmvn.mean.length !== cmvn.std.length) {
    bad(`cmvn.mean has ${cmvn.mean.length} values but cmvn.std has ${cmvn.std.length}`);
  }
  const zero = cmvn.std.findIndex((s) => !(s > 0));
  if (zero >= 0) bad(`cmvn.std[${zero}] is ${cmvn.std[zero]}; every std must be > 0`);
  const inputs = model.nodes.filter((n) => n.op === "input");
  const dim = lastDimOfOnly(inputs.map((n) => n.shape));
  if (dim !== undefined && dim !== cmvn.mean.length) {
    bad(`cmvn has ${cmvn.mean.length} dims but input "${inputs[0]?.id}" has ${dim} features`);
  }
  return { mean: [...cmvn.mean], std: [...cmvn.std] };
}

function jsonObject(field: string, value: unknown): string {
  if (typeof value !== "object" || value === null || Array.isArray(value)) bad(`${field} must be a JSON object`);
  try {
    return JSON.stringify(value);
  } catch (err) {
    return bad(`${field} is not JSON-serializable: ${(err as Error).message}`);
  }
}

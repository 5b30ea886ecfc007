/**
 * `config.pbtxt` for Triton Inference Server's onnxruntime backend: the file's inputs and outputs, and a sequence
 * batcher whose implicit state carries every recurrent state from one request (one chunk of frames) to the next
 * of the same sequence, zeros at its start. See docs/serving-triton.md for the dims and the request flow.
 */
import { BATCH } from "@recurrent/core";
import { METADATA_KEYS } from "./export/metadata.js";
import type { OnnxSignature, ValueSignature } from "./proto/reader.js";

/** Options of {@link tritonConfig}. */
export interface TritonConfigOptions {
  /** Model name: Triton requires it to equal the model's folder in the repository. */
  readonly name: string;
  /**
   * Triton's `max_batch_size`; default 0 (each request is one sequence's chunk, batch 1). Above 0 Triton stacks
   * requests along dim 0, so every input, output and state must have the batch dim first.
   */
  readonly maxBatch?: number;
  /** Model instances (`instance_group` count): sequences served at once when `maxBatch` is 0. Default 1. */
  readonly instances?: number;
  /** `max_sequence_idle_microseconds`: a sequence idle this long is ended and its slot freed. Default 5 s. */
  readonly maxIdleMicroseconds?: number;
}

/** A state input paired with the output that returns it. */
export interface TritonState {
  readonly input: ValueSignature;
  readonly output: ValueSignature;
}

/** The file cannot be served as asked; the message names the value and why. */
export class TritonConfigError extends Error {
  override readonly name = "TritonConfigError";
}

const TRITON_TYPE: Readonly<Record<number, string>> = {
  1: "TYPE_FP32",
  2: "TYPE_UINT8",
  3: "TYPE_INT8",
  5: "TYPE_INT16",
  6: "TYPE_INT32",
  7: "TYPE_INT64",
  9: "TYPE_BOOL",
  10: "TYPE_FP16",
  11: "TYPE_FP64",
};

function tritonType(v: ValueSignature): string {
  const type = TRITON_TYPE[v.elemType];
  if (type === undefined)
    throw new TritonConfigError(`"${v.name}": ONNX element type ${v.elemType} has no Triton type`);
  return type;
}

/**
 * The state pairs of a file: from its `recurrent.states` metadata, else by the naming rule (input `<x>_0`, output
 * `<x>`, e.g. `lstm/h_0` → `lstm/h`).
 * @throws TritonConfigError when a pair names a missing value, an initializer-backed input, or mismatched types.
 */
export function statePairs(sig: OnnxSignature): TritonState[] {
  const byName = (list: readonly ValueSignature[]) => new Map(list.map((v) => [v.name, v] as const));
  const inputs = byName(sig.inputs);
  const outputs = byName(sig.outputs);
  let names: { input: string; output: string }[];
  const stored = sig.metadata.get(METADATA_KEYS.states);
  if (stored !== undefined) {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed) || !parsed.every((p) => typeof p?.input === "string" && typeof p?.output === "string")) {
      throw new TritonConfigError(
        `metadata ${METADATA_KEYS.states} is not [{ input, output }]: ${stored.slice(0, 80)}`,
      );
    }
    names = parsed as { input: string; output: string }[];
  } else {
    names = sig.inputs
      .filter((i) => i.name.endsWith("_0") && outputs.has(i.name.slice(0, -2)))
      .map((i) => ({ input: i.name, output: i.name.slice(0, -2) }));
  }
  return names.map(({ input, output }) => {
    const i = inputs.get(input);
    const o = outputs.get(output);
    if (i === undefined || o === undefined) {
      throw new TritonConfigError(
        `state "${input}" → "${output}": the file has no ${i === undefined ? `input "${input}"` : `output "${output}"`}`,
      );
    }
    if (sig.initializers.has(input)) {
      throw new TritonConfigError(
        `state input "${input}" has an initializer (an optional-state file from recurrent-onnx 0.1); ` +
          "re-export it: states must be plain inputs",
      );
    }
    if (i.elemType !== o.elemType || i.dims.length !== o.dims.length) {
      throw new TritonConfigError(`state "${input}" and "${output}" differ in element type or rank`);
    }
    return { input: i, output: o };
  });
}

/**
 * Triton dims of a value: with `maxBatch` 0 the whole shape with the batch dim as 1 (one sequence per request);
 * above 0 the shape without its leading batch dim. Other symbolic or unknown dims are -1 (any size).
 * @throws TritonConfigError when batching is asked and the batch dim is not first.
 */
function dimsOf(v: ValueSignature, maxBatch: number, fixed: boolean): number[] {
  const dims = v.dims.map((d) => (d === BATCH ? BATCH : typeof d === "number" ? d : -1));
  if (maxBatch > 0) {
    if (dims[0] !== BATCH || dims.lastIndexOf(BATCH) !== 0) {
      throw new TritonConfigError(
        `--max-batch ${maxBatch}: Triton stacks requests along dim 0, but "${v.name}" is ` +
          `[${v.dims.map((d) => d ?? "?").join(", ")}] with "${BATCH}" ${dims.includes(BATCH) ? "not first" : "absent"}; ` +
          "Recurrent's files are time-major ([time, batch, …], states [directions, batch, units]): serve them with " +
          "--max-batch 0 and scale with --instances",
      );
    }
    dims.shift();
  }
  const out = dims.map((d) => (d === BATCH ? 1 : d));
  if (fixed && out.includes(-1)) {
    throw new TritonConfigError(`state "${v.name}" has a dynamic dim besides the batch: [${v.dims.join(", ")}]`);
  }
  return out;
}

const list = (dims: readonly number[]) => `[ ${dims.join(", ")} ]`;
const quote = (s: string) => JSON.stringify(s);

function tensor(v: ValueSignature, maxBatch: number, indent: string): string {
  const dims = dimsOf(v, maxBatch, false);
  // Triton needs at least one dim: a per-sequence scalar (lengths [batch] when batching) is [1] reshaped to [].
  const shape = dims.length === 0 ? `dims: [ 1 ]\n${indent}  reshape: { shape: [ ] }` : `dims: ${list(dims)}`;
  return `${indent}{\n${indent}  name: ${quote(v.name)}\n${indent}  data_type: ${tritonType(v)}\n${indent}  ${shape}\n${indent}}`;
}

/** Whether a state has two directions (`[2, batch, units]`): the model has a bidirectional layer. */
export function hasBidirectionalState(sig: OnnxSignature): boolean {
  return statePairs(sig).some((s) => s.input.dims[0] === 2);
}

/**
 * The `config.pbtxt` text of an ONNX file for Triton's onnxruntime backend. State inputs and outputs go into
 * `sequence_batching.state` (zero initial state, so no control inputs are needed), every other input into
 * `input`, every other output into `output`.
 * @throws TritonConfigError when the file cannot be served as asked (see {@link statePairs}, `maxBatch`).
 */
export function tritonConfig(sig: OnnxSignature, options: TritonConfigOptions): string {
  const maxBatch = options.maxBatch ?? 0;
  const states = statePairs(sig);
  const stateNames = new Set(states.flatMap((s) => [s.input.name, s.output.name]));
  const inputs = sig.inputs.filter((i) => !stateNames.has(i.name) && !sig.initializers.has(i.name));
  const outputs = sig.outputs.filter((o) => !stateNames.has(o.name));
  const lines = [
    `# Written by recurrent-onnx triton-config for Triton's onnxruntime backend (see docs/serving-triton.md).`,
    `name: ${quote(options.name)}`,
    `backend: "onnxruntime"`,
    `max_batch_size: ${maxBatch}`,
    `input [\n${inputs.map((i) => tensor(i, maxBatch, "  ")).join(",\n")}\n]`,
    `output [\n${outputs.map((o) => tensor(o, maxBatch, "  ")).join(",\n")}\n]`,
  ];
  if (states.length > 0) {
    const state = states.map(({ input, output }) => {
      const dims = list(dimsOf(input, maxBatch, true));
      const type = tritonType(input);
      return [
        "    {",
        `      input_name: ${quote(input.name)}`,
        `      output_name: ${quote(output.name)}`,
        `      data_type: ${type}`,
        `      dims: ${dims}`,
        "      initial_state: {",
        `        data_type: ${type}`,
        `        dims: ${dims}`,
        "        zero_data: true",
        `        name: ${quote(`${input.name} zeros`)}`,
        "      }",
        "    }",
      ].join("\n");
    });
    const flow = hasBidirectionalState(sig)
      ? [
          "# BIDIRECTIONAL: the backward direction needs the whole utterance. Send each utterance as ONE request,",
          "# a sequence of its own (sequence_start and sequence_end both true); chunks would give wrong numbers.",
        ]
      : ["# One sequence = one stream (correlation id); each request carries its next chunk of frames."];
    lines.push(
      [
        ...flow,
        "# Triton feeds each state output back as the next request's state input, zeros at the sequence start.",
        "sequence_batching {",
        `  max_sequence_idle_microseconds: ${options.maxIdleMicroseconds ?? 5_000_000}`,
        "  direct { }",
        `  state [\n${state.join(",\n")}\n  ]`,
        "}",
      ].join("\n"),
    );
  }
  lines.push(`instance_group [\n  {\n    count: ${options.instances ?? 1}\n  }\n]`);
  return `${lines.join("\n")}\n`;
}

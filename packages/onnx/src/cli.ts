/**
 * The `recurrent-onnx` command:
 * - `export model.safetensors model.onnx [--opset N]` loads a model file written by core's `saveModel`, exports it
 *   and writes the ONNX file atomically (temp file + rename);
 * - `triton-config model.onnx [--out DIR] [--name N] [--max-batch N] [--instances N]` writes a Triton model folder
 *   `DIR/N/config.pbtxt` + `DIR/N/1/model.onnx` for the onnxruntime backend with the sequence batcher's implicit
 *   state. Neither needs onnxruntime.
 */
import { mkdir, readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkOutputFile, loadModel, writeFileAtomic } from "@recurrent/core/node";
import { exportOnnxModel } from "./export/index.js";
import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from "./export/options.js";
import { type OnnxSignature, readOnnxSignature } from "./proto/reader.js";
import { hasBidirectionalState, tritonConfig } from "./triton.js";

export const USAGE = `usage: recurrent-onnx export <model.safetensors> <model.onnx> [--opset N]
       recurrent-onnx triton-config <model.onnx> [--out DIR] [--name N] [--max-batch N] [--instances N]

  export         Exports a Recurrent model file (written by saveModel) to ONNX for any ONNX runtime.
    --opset N      ai.onnx opset, ${MIN_OPSET}..${MAX_OPSET} (default ${DEFAULT_OPSET})
  triton-config  Writes DIR/N/config.pbtxt and DIR/N/1/model.onnx for Triton's onnxruntime backend, the
                 recurrent states as the sequence batcher's implicit state.
    --out DIR      model repository (default: the folder of model.onnx)
    --name N       model name and folder (default: the file name without .onnx)
    --max-batch N  max_batch_size (default 0: one sequence per request; Recurrent's files are time-major)
    --instances N  model instances, i.e. sequences served at once (default 1)
  -h, --help     show this help`;

/** Where the command writes; replaceable in tests. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A usage mistake: reported with the usage text, exit code 2. */
class UsageError extends Error {}

const OPTIONS = {
  opset: { type: "string" },
  out: { type: "string" },
  name: { type: "string" },
  "max-batch": { type: "string" },
  instances: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const readArgs = (argv: readonly string[]) => parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
type Values = ReturnType<typeof readArgs>["values"];

type Args =
  | { command: "help" }
  | { command: "export"; input: string; output: string; opset: number }
  | { command: "triton-config"; input: string; repository: string; name: string; maxBatch: number; instances: number };

function integer(values: Values, option: "opset" | "max-batch" | "instances", fallback: number, min: number): number {
  const text = values[option];
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${option} must be an integer ≥ ${min}, got "${text}"`);
  }
  return Number(text);
}

function refuse(values: Values, command: string, options: readonly (keyof Values)[]): void {
  for (const option of options) {
    if (values[option] !== undefined) throw new UsageError(`--${option} does not apply to ${command}`);
  }
}

function parse(argv: readonly string[]): Args {
  let parsed: ReturnType<typeof readArgs>;
  try {
    parsed = readArgs(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { command: "help" };
  const [command, ...rest] = positionals;
  if (command === "export") {
    refuse(values, command, ["out", "name", "max-batch", "instances"]);
    const [input, output, extra] = rest;
    if (input === undefined || output === undefined) throw new UsageError("export needs an input and an output path");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const opset = integer(values, "opset", DEFAULT_OPSET, 0);
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new UsageError(
        `--opset ${opset} is out of range: onnxruntime 1.30 reads opsets ${MIN_OPSET}..${MAX_OPSET}`,
      );
    }
    return { command, input, output, opset };
  }
  if (command === "triton-config") {
    refuse(values, command, ["opset"]);
    const [input, extra] = rest;
    if (input === undefined) throw new UsageError("triton-config needs an ONNX file");
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const name = values.name ?? basename(input).replace(/\.onnx$/i, "");
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || name === "." || name === "..") {
      throw new UsageError(`--name must be a folder name of letters, digits, "_", "-", ".", got "${name}"`);
    }
    const repository = values.out ?? dirname(input);
    const maxBatch = integer(values, "max-batch", 0, 0);
    return { command, input, repository, name, maxBatch, instances: integer(values, "instances", 1, 1) };
  }
  throw new UsageError(
    command === undefined ? "missing command" : `unknown command "${command}"; expected "export" or "triton-config"`,
  );
}

/**
 * Runs the command; resolves to the exit code (0 ok, 1 failed, 2 usage error). Never throws.
 * @example await main(["export", "phones.safetensors", "phones.onnx", "--opset", "17"])
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let args: Args;
  try {
    args = parse(argv);
  } catch (error) {
    io.err(`recurrent-onnx: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    if (args.command === "help") io.out(USAGE);
    else if (args.command === "export") await exportCommand(args, io);
    else await tritonCommand(args, io);
    return 0;
  } catch (error) {
    io.err(`recurrent-onnx: ${describe(error)}`);
    return 1;
  }
}

async function exportCommand(args: Extract<Args, { command: "export" }>, io: CliIo): Promise<void> {
  await checkOutputFile(args.output, { inputs: [args.input] });
  const { model, weights } = await loadModel(args.input).catch((error: unknown) => {
    throw new Error(`cannot load model file "${args.input}": ${describe(error)}`);
  });
  const onnx = exportOnnxModel(model, weights, { opset: args.opset });
  await writeFileAtomic(args.output, onnx.bytes).catch((error: unknown) => {
    throw new Error(`cannot write "${args.output}": ${describe(error)}`);
  });
  const states = onnx.states.map((s) => `${s.input} → ${s.output}`).join(", ");
  io.out(
    `wrote ${args.output} (${onnx.bytes.length} bytes, opset ${onnx.opset}, IR ${onnx.irVersion}); ` +
      `inputs: ${onnx.inputs.map((i) => i.name).join(", ")}; outputs: ${[...onnx.outputs.keys()].join(", ")}` +
      (states === "" ? "" : `; states: ${states}`),
  );
}

async function tritonCommand(args: Extract<Args, { command: "triton-config" }>, io: CliIo): Promise<void> {
  const folder = join(args.repository, args.name);
  const configPath = join(folder, "config.pbtxt");
  const modelPath = join(folder, "1", "model.onnx");
  const bytes = await readFile(args.input).catch((error: unknown) => {
    throw new Error(`cannot read "${args.input}": ${describe(error)}`);
  });
  let config: string;
  let signature: OnnxSignature;
  try {
    signature = readOnnxSignature(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    config = tritonConfig(signature, {
      name: args.name,
      maxBatch: args.maxBatch,
      instances: args.instances,
    });
  } catch (error) {
    throw new Error(`${args.input}: ${describe(error)}`);
  }
  await mkdir(dirname(modelPath), { recursive: true }).catch((error: unknown) => {
    throw new Error(`cannot create "${dirname(modelPath)}": ${describe(error)}`);
  });
  await checkOutputFile(configPath, { inputs: [args.input] });
  await writeFileAtomic(configPath, new TextEncoder().encode(config));
  // The file already in place (triton-config run on the repository's own copy) is left as it is.
  if (resolve(args.input) !== resolve(modelPath)) {
    await checkOutputFile(modelPath);
    await writeFileAtomic(modelPath, bytes); // the bytes the config was made from
  }
  io.out(`wrote ${configPath} and ${modelPath} (max_batch_size ${args.maxBatch}, ${args.instances} instance(s))`);
  if (hasBidirectionalState(signature)) {
    io.out("note: the model is bidirectional: send each utterance whole, as a one-request sequence (see config.pbtxt)");
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The `recurrent-onnx` command: `recurrent-onnx export model.safetensors model.onnx [--opset N]` loads a model
 * file written by core's `saveModel`, exports it and writes the ONNX file atomically (temp file + rename).
 */
import { parseArgs } from "node:util";
import { loadModel, writeFileAtomic } from "@recurrent/core/node";
import { exportOnnxModel } from "./export/index.js";
import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from "./export/options.js";

export const USAGE = `usage: recurrent-onnx export <model.safetensors> <model.onnx> [--opset N]

  Exports a Recurrent model file (written by saveModel) to ONNX for onnxruntime.
  --opset N   ai.onnx opset, ${MIN_OPSET}..${MAX_OPSET} (default ${DEFAULT_OPSET})
  -h, --help  show this help`;

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

const OPTIONS = { opset: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

const readArgs = (argv: readonly string[]) => parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });

type Args = { help: true } | { help: false; input: string; output: string; opset: number };

function parse(argv: readonly string[]): Args {
  let parsed: ReturnType<typeof readArgs>;
  try {
    parsed = readArgs(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.values.help === true) return { help: true };
  const [command, input, output, ...rest] = parsed.positionals;
  if (command !== "export") {
    throw new UsageError(command === undefined ? "missing command" : `unknown command "${command}"; expected "export"`);
  }
  if (input === undefined || output === undefined) throw new UsageError("export needs an input and an output path");
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const text = parsed.values.opset;
  const opset = text === undefined ? DEFAULT_OPSET : Number(text);
  if (text !== undefined && !/^\d+$/.test(text)) throw new UsageError(`--opset must be an integer, got "${text}"`);
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new UsageError(`--opset ${opset} is out of range: onnxruntime 1.30 reads opsets ${MIN_OPSET}..${MAX_OPSET}`);
  }
  return { help: false, input, output, opset };
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
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  try {
    const { model, weights } = await loadModel(args.input).catch((error: unknown) => {
      throw new Error(`cannot load model file "${args.input}": ${describe(error)}`);
    });
    const onnx = exportOnnxModel(model, weights, { opset: args.opset });
    await writeFileAtomic(args.output, onnx.bytes).catch((error: unknown) => {
      throw new Error(`cannot write "${args.output}": ${describe(error)}`);
    });
    io.out(
      `wrote ${args.output} (${onnx.bytes.length} bytes, opset ${onnx.opset}, IR ${onnx.irVersion}); ` +
        `inputs: ${onnx.inputs.map((i) => i.name).join(", ")}; outputs: ${[...onnx.outputs.keys()].join(", ")}`,
    );
    return 0;
  } catch (error) {
    io.err(`recurrent-onnx: ${describe(error)}`);
    return 1;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

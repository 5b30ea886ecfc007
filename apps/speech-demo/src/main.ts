/**
 * `recurrent-speech`: the speech-frame demo's command line (commander). `run(argv, io)` is the whole program,
 * callable in-process (tests); executed as a script it runs on `process.argv` and sets the exit status.
 *
 *   demo (default)              the compact comparison + streaming + ONNX + HTML report (`--full`: everything)
 *   train | evaluate | predict <wav> | stream <wav> | export <model> <out.onnx>
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Option } from "commander";
import { BACKENDS } from "./backends.js";
import { CliError, describeError } from "./cli/errors.js";
import { type Io, processIo } from "./cli/io.js";
import { fraction, fractionList, intList, oneOf, positiveInt, positiveNumber } from "./cli/options.js";
import { demoCommand } from "./commands/demo.js";
import { evaluateCommand } from "./commands/evaluate.js";
import { exportCommand } from "./commands/export.js";
import { predictCommand } from "./commands/predict.js";
import { streamCommand } from "./commands/stream.js";
import { trainCommand } from "./commands/train.js";
import { CLASSIFY_MODELS, NEXT_FRAME_MODELS, TASKS } from "./models.js";

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
const backendOption = (choices: readonly string[], dflt: string) =>
  new Option("-b, --backend <name>", `backend: ${choices.join(" | ")}`)
    .default(dflt)
    .argParser(oneOf("--backend", choices));

/** Builds the commander program writing to `io`; actions store their result in `sink.result`. */
export function program(io: Io, argv: readonly string[], sink: { result?: unknown }): Command {
  const ctx = { io, argv };
  const p = new Command("recurrent-speech")
    .description(
      "Speech-frame prediction on real speech: what a recurrent network buys over a windowed feed-forward net.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    })
    .showSuggestionAfterError(true);

  p.command("demo", { isDefault: true })
    .description("train and compare models, stream a WAV file, export to ONNX, write an HTML report")
    .option("--full", "the whole comparison: all models, data fractions and 3 seeds (long)", false)
    .option("-o, --out <dir>", "output folder (report.html, best.onnx, models/)", "out")
    .addOption(backendOption(["js", "tfjs"], "js"))
    .option("--steps <n>", "optimizer steps per training run (compact 150, full 300)", positiveInt("--steps"))
    .option("--seeds <list>", "seeds, e.g. 1,2,3", intList("--seeds"))
    .option("--fractions <list>", "shares of the training utterances, e.g. 0.1,0.25,1", fractionList("--fractions"))
    .option("--models <list>", `classification models (${CLASSIFY_MODELS.map((m) => m.id).join(", ")})`, list)
    .option("--curve-models <list>", "models trained on every data fraction", list)
    .option("--next-frame-models <list>", `next-frame models (${NEXT_FRAME_MODELS.map((m) => m.id).join(", ")})`, list)
    .option("--batch-size <n>", "chunks of 100 frames per step", positiveInt("--batch-size"), 8)
    .option("--lr <x>", "peak Adam learning rate", positiveNumber("--lr"), 0.005)
    .option("--horizon <k>", "next-frame prediction: frames ahead", positiveInt("--horizon"), 1)
    .option("--train-utterances <n>", "use only the first n training utterances", positiveInt("--train-utterances"))
    .option("--test-utterances <n>", "evaluate on the first n test utterances", positiveInt("--test-utterances"))
    .option("--wav <file>", "WAV file to stream (default: a test-split recording of the corpus)")
    .option("--no-onnx", "skip the ONNX export and check")
    .action(async (o) => {
      sink.result = await demoCommand(o, ctx);
    });

  p.command("train")
    .description("train one model on the embedded corpus and save it (.safetensors with its CMVN statistics)")
    .addOption(new Option("-t, --task <task>", "task").choices(TASKS).default("classify"))
    .option("-m, --model <id>", "zoo model id (see --help of demo)", "lstm")
    .option("--steps <n>", "optimizer steps", positiveInt("--steps"), 300)
    .option("--batch-size <n>", "chunks of 100 frames per step", positiveInt("--batch-size"), 8)
    .option("--lr <x>", "peak Adam learning rate", positiveNumber("--lr"), 0.005)
    .option("--seed <n>", "seed of weights, shuffling and data subset", positiveInt("--seed"), 1)
    .option("--fraction <f>", "share of the training utterances", fraction("--fraction"), 1)
    .option("--horizon <k>", "next-frame: frames ahead", positiveInt("--horizon"), 1)
    .option("-o, --out <file>", "model file (default out/<task>-<model>.safetensors)")
    .addOption(backendOption(["js", "tfjs"], "js"))
    .option("--train-utterances <n>", "use only the first n training utterances", positiveInt("--train-utterances"))
    .option("--test-utterances <n>", "evaluate on the first n test utterances", positiveInt("--test-utterances"))
    .action(async (o) => {
      sink.result = await trainCommand(o, ctx);
    });

  p.command("evaluate")
    .description("a trained model's frame accuracy (or next-frame MSE) on held-out utterances")
    .argument("[model]", "model file (default: the shipped models/phones-lstm.safetensors)")
    .addOption(backendOption(BACKENDS, "js"))
    .addOption(new Option("--split <name>", "utterances to evaluate on").choices(["test", "valid"]).default("test"))
    .option("--utterances <n>", "only the first n utterances of the split", positiveInt("--utterances"))
    .action(async (model, o) => {
      sink.result = await evaluateCommand(model, o, ctx);
    });

  p.command("predict")
    .description("per-frame phones of a WAV file (any sample rate)")
    .argument("<wav>", "WAV file")
    .option("-m, --model <file>", "classification model file (default: the shipped one)")
    .addOption(backendOption(BACKENDS, "js"))
    .option("--frames", "one line per frame instead of phone segments", false)
    .action(async (wav, o) => {
      sink.result = await predictCommand(wav, o, ctx);
    });

  p.command("stream")
    .description("real-time phone recognition of a WAV file, frame by frame, with per-frame latency")
    .argument("<wav>", "WAV file")
    .option("-m, --model <file>", "unidirectional classification model file (default: the shipped one)")
    .addOption(backendOption(BACKENDS, "js"))
    .option("--realtime", "pace the audio like a live microphone", false)
    .option("--every <n>", "print every n-th frame", positiveInt("--every"), 1)
    .action(async (wav, o) => {
      sink.result = await streamCommand(wav, o, ctx);
    });

  p.command("export")
    .description("write a trained model as ONNX and check onnxruntime against backend-js")
    .argument("<model>", "model file (.safetensors from train)")
    .argument("<out>", "ONNX file to write")
    .option("--opset <n>", "ONNX opset (17..26)", positiveInt("--opset"))
    .action(async (model, outFile, o) => {
      sink.result = await exportCommand(model, outFile, o, ctx);
    });

  return p;
}

/** Exit status and what the command returned. */
export interface RunOutcome {
  readonly code: number;
  readonly result?: unknown;
}

/**
 * Runs the program on `argv` (without node and script): 0 on success, 1 on a failure, 2 on a usage error.
 * Errors are printed as one line on `io.err`; nothing is thrown.
 */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<RunOutcome> {
  const sink: { result?: unknown } = {};
  try {
    await program(io, argv, sink).parseAsync([...argv], { from: "user" });
    return { code: 0, result: sink.result };
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its own one-line message (or the help text).
      return { code: err.exitCode === 0 ? 0 : 2 };
    }
    io.err(`error: ${describeError(err)}`);
    return { code: err instanceof CliError ? err.exitCode : 1 };
  }
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  const { code } = await run(process.argv.slice(2));
  process.exitCode = code;
}

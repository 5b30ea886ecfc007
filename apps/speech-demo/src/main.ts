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
import {
  fraction,
  fractionList,
  intList,
  nonNegative,
  nonNegativeInt,
  oneOf,
  positiveInt,
  positiveNumber,
} from "./cli/options.js";
import { demoCommand } from "./commands/demo.js";
import { evaluateCommand } from "./commands/evaluate.js";
import { exportCommand } from "./commands/export.js";
import { PREDICT_FORMATS, predictCommand } from "./commands/predict.js";
import { streamCommand } from "./commands/stream.js";
import { trainCommand } from "./commands/train.js";
import { SCHEDULES, trainFolderCommand } from "./commands/train-folder.js";
import { ARCHITECTURES } from "./folder/architecture.js";
import { CMVN_MODES } from "./model-file.js";
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
    .option(
      "--full",
      "the full comparison: six ~250k-parameter classifiers (reference setup, 15 epochs) × 2 seeds, three of them on 25% of the data too, and the next-frame zoo (long)",
      false,
    )
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
    .description(
      "train one model and save it (.safetensors with its labels, feature recipe and CMVN statistics): a zoo model on the embedded corpus, or with --data DIR any size of model on your own recordings",
    )
    .addOption(new Option("-t, --task <task>", "task").choices(TASKS).default("classify"))
    .option("-m, --model <id>", `zoo model id (see --help of demo); with --data: ${ARCHITECTURES.join(" | ")}`, "lstm")
    .option("--steps <n>", "optimizer steps (corpus runs)", positiveInt("--steps"), 300)
    .option(
      "--batch-size <n>",
      "per step: chunks of 100 frames (corpus, default 8); with --data utterances or chunks (default 16)",
      positiveInt("--batch-size"),
    )
    .option(
      "--lr <x>",
      "Adam learning rate (peak of the corpus runs' cosine; default 0.005, with --data 0.003)",
      positiveNumber("--lr"),
    )
    .option("--seed <n>", "seed of weights, shuffling and data subset / validation split", positiveInt("--seed"), 1)
    .option(
      "--data <dir>",
      "train on a folder of WAV files with labels beside them (.phn, .TextGrid or .csv start,end,label); `corpus`: the embedded corpus's split, with the same options",
    )
    .option(
      "--labels <list|file>",
      "--data: the label set, comma-separated or a file with one per line (default: every label found)",
    )
    .option("--gap-label <name>", "--data: label of frames no segment covers", "sil")
    .option("--tier <name>", '--data: TextGrid tier (default: the first whose name contains "phon", else the first)')
    .option("--hidden <n>", "--data: units per hidden layer (per direction)", positiveInt("--hidden"), 128)
    .option("--layers <n>", "--data: hidden layers", positiveInt("--layers"), 1)
    .addOption(
      new Option("--direction <d>", "--data: recurrent direction")
        .choices(["forward", "bidirectional"])
        .default("forward"),
    )
    .addOption(
      new Option("--merge <m>", "--data: how a bidirectional layer merges").choices(["sum", "concat"]).default("sum"),
    )
    .option("--context <n>", "--data, ffn: frames each side of the centre frame", positiveInt("--context"), 20)
    .addOption(
      new Option("--batch <kind>", "--data: whole utterances (length-bucketed) or chunks")
        .choices(["utterances", "chunks"])
        .default("utterances"),
    )
    .option("--chunk-frames <n>", "--data, --batch chunks: frames per chunk", positiveInt("--chunk-frames"), 100)
    .addOption(
      new Option("--schedule <s>", "--data: learning-rate schedule").choices([...SCHEDULES]).default("constant"),
    )
    .option("--clip <x>", "--data: clip the gradients' global norm (0 = off)", nonNegative("--clip"), 1)
    .option("--epochs <n>", "--data: epochs at most", positiveInt("--epochs"), 15)
    .option(
      "--patience <n>",
      "--data: stop after n epochs without a better validation accuracy (0 = never); the best epoch is kept",
      nonNegativeInt("--patience"),
      3,
    )
    .addOption(
      new Option("--cmvn <mode>", "--data: normalize with training-set statistics or per utterance")
        .choices([...CMVN_MODES])
        .default("global"),
    )
    .option("--valid <f>", "--data: share of the recordings held out for validation", nonNegative("--valid"), 0.1)
    .option(
      "--checkpoint <file>",
      "checkpoint file (default <out>.ckpt; written every epoch with --data, else every 50 steps, and on Ctrl-C)",
    )
    .option("--resume", "continue from the checkpoint (the command Ctrl-C prints)", false)
    .option("--fraction <f>", "share of the training utterances", fraction("--fraction"), 1)
    .option("--horizon <k>", "next-frame: frames ahead", positiveInt("--horizon"), 1)
    .option("-o, --out <file>", "model file (default out/<task>-<model>.safetensors)")
    .addOption(backendOption(["js", "tfjs"], "js"))
    .option("--train-utterances <n>", "use only the first n training utterances", positiveInt("--train-utterances"))
    .option("--test-utterances <n>", "evaluate on the first n test utterances", positiveInt("--test-utterances"))
    .action(async (o) => {
      if (o.data !== undefined) {
        if (!(ARCHITECTURES as readonly string[]).includes(o.model)) {
          throw new CliError(
            "BAD_OPTION",
            `--model with --data must be one of ${ARCHITECTURES.join(", ")}, got "${o.model}"`,
          );
        }
        if (o.task !== "classify")
          throw new CliError("BAD_OPTION", "--data trains classifiers; drop --task next-frame");
        sink.result = await trainFolderCommand({ ...o, batchSize: o.batchSize ?? 16, lr: o.lr ?? 0.003 }, ctx);
        return;
      }
      sink.result = await trainCommand({ ...o, batchSize: o.batchSize ?? 8, lr: o.lr ?? 0.005 }, ctx);
    });

  p.command("evaluate")
    .description("a trained model's frame accuracy (or next-frame MSE) on held-out utterances")
    .argument("[model]", "model file (default: the shipped models/phones-lstm.safetensors)")
    .addOption(backendOption(BACKENDS, "js"))
    .addOption(new Option("--split <name>", "utterances to evaluate on").choices(["test", "valid"]).default("test"))
    .option("--utterances <n>", "only the first n utterances of the split", positiveInt("--utterances"))
    .option("--data <dir>", "evaluate on a folder of WAV files with labels beside them instead of the corpus")
    .option("--gap-label <name>", "--data: label of frames no segment covers", "sil")
    .option("--tier <name>", "--data: TextGrid tier")
    .action(async (model, o) => {
      sink.result = await evaluateCommand(model, o, ctx);
    });

  p.command("predict")
    .description("per-frame phones of a WAV file (any sample rate)")
    .argument("<wav>", "WAV file")
    .option("-m, --model <file>", "classification model file (default: the shipped one)")
    .addOption(backendOption(BACKENDS, "js"))
    .option("--frames", "table format: one line per frame instead of segments", false)
    .addOption(new Option("--format <f>", "output format").choices([...PREDICT_FORMATS]).default("table"))
    .option("--top-k <k>", "json: the k most probable labels per frame, with posteriors", positiveInt("--top-k"), 3)
    .option("--posteriors", "json: every label's posterior per frame instead of the top k", false)
    .option(
      "--median <n>",
      "median filter over n frames (odd) on the posteriors before segmenting",
      positiveInt("--median"),
      1,
    )
    .option(
      "--min-duration <ms>",
      "merge segments shorter than this into a neighbour",
      nonNegative("--min-duration"),
      0,
    )
    .option("--gap-label <name>", "label of frames no segment of the label file beside the WAV covers", "sil")
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

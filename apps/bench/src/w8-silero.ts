/**
 * W8 (issue #16): Silero VAD streamed on 16 kHz audio, microseconds per 32 ms chunk (512 new samples + 64 of
 * context, state carried), Recurrent's backends against onnxruntime-node `session.run` on the official file, in one
 * process and interleaved rounds so that the ratio means something on a noisy machine. The official file comes
 * from `<repo>/../shared/models/silero-vad/` (or `$SILERO_VAD_DIR`); without it the script says so and exits 0.
 *   node --conditions=@recurrent/source --import tsx src/w8-silero.ts [--tfjs] [--rounds N]
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { jsBackend } from "@recurrent/backend-js";
import { tfjsBackend } from "@recurrent/backend-tfjs";
import { SileroVad, sileroFromOnnx } from "@recurrent/silero";
import * as ort from "onnxruntime-node";
import { formatLoad, machineInfo } from "./machine.js";
import { markdownTable } from "./markdown.js";
import { FULL_PLAN, measure, summarize } from "./measure.js";

/** Chunks per timed repetition (3.2 s of audio). */
const CHUNKS = 100;
const DIR =
  process.env.SILERO_VAD_DIR ?? fileURLToPath(new URL("../../../../shared/models/silero-vad/", import.meta.url));

/** One system: something that takes the next chunk and returns its probability. */
interface System {
  readonly name: string;
  readonly next: (chunk: Float32Array) => Promise<number>;
}

async function ortSystem(bytes: Uint8Array): Promise<System> {
  // One thread each way, as the official Python wrapper sets them.
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const window = new Float32Array(576);
  let state = new ort.Tensor("float32", new Float32Array(256), [2, 1, 128]);
  const sr = new ort.Tensor("int64", BigInt64Array.of(16000n), []);
  return {
    name: "onnxruntime-node session.run",
    next: async (chunk) => {
      window.copyWithin(0, 512);
      window.set(chunk, 64);
      const out = await session.run({ input: new ort.Tensor("float32", window, [1, 576]), state, sr });
      state = out.stateN as typeof state;
      return (out.output!.data as Float32Array)[0]!;
    },
  };
}

export async function w8(options: { tfjs?: boolean; rounds?: number; log?: (s: string) => void } = {}): Promise<void> {
  const log = options.log ?? console.log;
  const onnxPath = join(DIR, "silero_vad_16k_op15.onnx");
  if (!existsSync(onnxPath)) {
    log(`W8 skipped: ${onnxPath} is absent (set SILERO_VAD_DIR or put ../shared beside the repository)`);
    return;
  }
  const bytes = new Uint8Array(readFileSync(onnxPath));
  const silero = sileroFromOnnx(bytes);
  // A fixed signal: speech-like noise bursts, the same for every system.
  const audio = Float32Array.from({ length: CHUNKS * 512 }, (_, i) => 0.3 * Math.sin(i / 9) * Math.sin(i / 3000));
  const chunks = Array.from({ length: CHUNKS }, (_, i) => audio.subarray(i * 512, (i + 1) * 512));
  const vadSystem = async (name: string, backend: Parameters<typeof SileroVad.create>[0]): Promise<System> => {
    const vad = await SileroVad.create(backend, silero);
    return { name, next: (chunk) => vad.process(chunk) };
  };
  const systems = [
    await vadSystem("backend-js SileroVad.process", jsBackend({ threads: 1 })),
    await ortSystem(bytes),
    ...(options.tfjs ? [await vadSystem("backend-tfjs cpu SileroVad.process", tfjsBackend({ backend: "cpu" }))] : []),
  ];
  const samples = new Map<string, number[]>(systems.map((s) => [s.name, []]));
  for (let round = 0; round < (options.rounds ?? 3); round++) {
    for (const system of systems) {
      const { repsMs } = await measure(async () => {
        for (const chunk of chunks) await system.next(chunk);
      }, FULL_PLAN);
      samples.get(system.name)!.push(...repsMs.map((ms) => (ms * 1000) / CHUNKS));
    }
  }
  const ortMedian = summarize(samples.get(systems[1]!.name)!).median;
  const rows = systems.map((s) => {
    const sum = summarize(samples.get(s.name)!);
    return [
      s.name,
      sum.median.toFixed(0),
      `${sum.min.toFixed(0)}–${sum.max.toFixed(0)}`,
      (sum.median / ortMedian).toFixed(2),
      (32_000 / sum.median).toFixed(0),
    ];
  });
  const m = machineInfo();
  log(`W8 Silero VAD, one 32 ms chunk (B=1, state carried); ${m.cpu}, ${m.cores} cores, load ${formatLoad(m.load)}`);
  log(
    markdownTable(
      ["system", "µs/chunk (median)", "min–max", "× onnxruntime", "× real time"],
      ["left", "right", "right", "right", "right"],
      rows,
    ),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--rounds");
  await w8({ tfjs: args.includes("--tfjs"), ...(at >= 0 ? { rounds: Number(args[at + 1]) } : {}) });
}

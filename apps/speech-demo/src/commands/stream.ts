/**
 * `stream <wav>`: real-time phone recognition, frame by frame: the WAV is fed in 10 ms chunks (paced like a
 * microphone with `--realtime`), and every frame's phone is printed with its compute latency.
 */
import type { BackendName } from "../backends.js";
import type { Context } from "../cli/context.js";
import { CliError } from "../cli/errors.js";
import { readWavFeatures } from "../data.js";
import { duration } from "../format.js";
import { latencyStats, type StreamRun, streamAudio } from "../tasks/streaming.js";
import { openModel } from "./common.js";

/** Options of `stream`. */
export interface StreamOptions {
  readonly model?: string;
  readonly backend: BackendName;
  readonly realtime?: boolean;
  /** Print only every n-th frame (default every frame). */
  readonly every?: number;
}

/** Runs `stream`. @throws CliError for a bad WAV, model or backend, or a model that cannot stream. */
export async function streamCommand(wav: string, options: StreamOptions, { io }: Context): Promise<StreamRun> {
  const audio = await readWavFeatures(wav);
  const m = await openModel(options.model, options.backend, "classify");
  if (m.cmvnMode === "utterance") {
    await m.exe.dispose();
    throw new CliError(
      "NOT_STREAMABLE",
      `${m.path}: trained with --cmvn utterance, which needs the whole recording's statistics before the first frame; use predict, or train with --cmvn global to stream`,
    );
  }
  const every = options.every ?? 1;
  io.out(
    `streaming ${wav} (${duration(audio.seconds)}) through model ${m.zooId} on backend ${options.backend}${options.realtime ? ", paced in real time" : ""}`,
  );
  io.out("frame  time (s)  phone  latency (ms)");
  let run: StreamRun;
  try {
    run = await streamAudio(m.exe, m.cmvn, audio.samples, {
      realtime: options.realtime === true,
      classes: m.labels.length,
      onFrame: (f) => {
        if (f.index % every !== 0) return;
        io.out(
          `${String(f.index).padStart(5)}  ${(f.index / 100).toFixed(2).padStart(8)}  ${m.labels[f.phone]!.padEnd(5)}  ${f.latencyMs.toFixed(3).padStart(12)}`,
        );
      },
    });
  } finally {
    await m.exe.dispose();
  }
  const s = latencyStats(run.frames);
  io.out(
    `${run.frames.length} frames; compute latency per frame: mean ${s.mean.toFixed(3)} ms, median ${s.p50.toFixed(3)} ms, p95 ${s.p95.toFixed(3)} ms, max ${s.max.toFixed(3)} ms`,
  );
  io.out(
    `algorithmic latency: 25 ms analysis window + ${run.lookaheadFrames * 10} ms Δ/ΔΔ look-ahead; the recurrent model itself adds none`,
  );
  return run;
}

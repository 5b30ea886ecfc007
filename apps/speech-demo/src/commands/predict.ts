/**
 * `predict <wav>`: per-frame phones for a WAV file (any sample rate; resampled to 16 kHz), printed as phone
 * segments or, with `--frames`, one line per frame. When a TIMIT-style `.phn` file sits beside the WAV, the
 * frame accuracy against it is printed too.
 */
import { access } from "node:fs/promises";
import { frameLabels, PHONE_CLASSES } from "@recurrent/speech";
import { readPhnFile } from "@recurrent/speech/node";
import type { BackendName } from "../backends.js";
import type { Context } from "../cli/context.js";
import { CliError, describeError } from "../cli/errors.js";
import { NUM_CLASSES, NUM_FEATURES, readWavFeatures } from "../data.js";
import { duration, pct, runs } from "../format.js";
import { argmax, runUtterances } from "../tasks/infer.js";
import { openModel } from "./common.js";

/** Options of `predict`. */
export interface PredictOptions {
  readonly model?: string;
  readonly backend: BackendName;
  /** One line per frame instead of segments. */
  readonly frames?: boolean;
}

/** What `predict` found. */
export interface PredictResult {
  /** Predicted class per frame. */
  readonly phones: Int32Array;
  /** Accuracy against the `.phn` file beside the WAV, when there is one. */
  readonly accuracy?: number;
}

/** Runs `predict`. @throws CliError `FILE` for an unreadable WAV; model and backend errors. */
export async function predictCommand(wav: string, options: PredictOptions, { io }: Context): Promise<PredictResult> {
  const audio = await readWavFeatures(wav);
  const m = await openModel(options.model, options.backend, "classify");
  let logits: Float32Array;
  try {
    [logits] = (await runUtterances(m.exe, [m.cmvn.apply(audio.frames).data], NUM_FEATURES)) as [Float32Array];
  } finally {
    await m.exe.dispose();
  }
  const T = audio.frames.shape[0]!;
  const phones = new Int32Array(T);
  for (let t = 0; t < T; t++) phones[t] = argmax(logits, t * NUM_CLASSES, NUM_CLASSES);
  io.out(
    `${wav}: ${duration(audio.seconds)} at ${audio.sampleRate} Hz → ${T} frames; model ${m.zooId} (${m.path}), backend ${options.backend}`,
  );
  if (options.frames) {
    io.out("frame  time (s)  phone");
    for (let t = 0; t < T; t++) {
      io.out(`${String(t).padStart(5)}  ${(t / 100).toFixed(2).padStart(8)}  ${PHONE_CLASSES[phones[t]!]}`);
    }
  } else {
    io.out("start (s)  end (s)  phone");
    for (const r of runs(phones)) {
      io.out(
        `${(r.start / 100).toFixed(2).padStart(9)}  ${(r.end / 100).toFixed(2).padStart(7)}  ${PHONE_CLASSES[r.label]}`,
      );
    }
  }
  const phn = wav.replace(/\.wav$/i, ".phn");
  if (phn === wav || !(await exists(phn))) return { phones };
  let labels: Int32Array;
  try {
    labels = frameLabels(await readPhnFile(phn), T, { uncovered: "sil" });
  } catch (err) {
    throw new CliError("FILE", `${phn}: cannot use the alignment beside the WAV: ${describeError(err)}`);
  }
  let ok = 0;
  for (let t = 0; t < T; t++) if (labels[t] === phones[t]) ok++;
  io.out(`frame accuracy against ${phn}: ${pct(ok / T)} (${ok}/${T})`);
  return { phones, accuracy: ok / T };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * `demo` (the README's main command) and `demo --full`: trains and compares the zoo on both tasks, streams a
 * real WAV file through the best streamable model, exports the best model to ONNX and checks it in
 * onnxruntime, prints the summary tables and writes the HTML report.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PHONE_CLASSES } from "@recurrent/speech";
import { corpusAudio } from "@recurrent/speech/node";
import { type BackendName, openBackend } from "../backends.js";
import type { Context } from "../cli/context.js";
import { CliError, describeError } from "../cli/errors.js";
import { causalStatics, loadData, NUM_FEATURES, readWavFeatures } from "../data.js";
import {
  appendCache,
  executeRun,
  type RunPlan,
  type RunRecord,
  type RunSettings,
  readCache,
  runKey,
  type Trained,
} from "../experiment.js";
import { findings } from "../findings.js";
import { duration, pct } from "../format.js";
import { loadTrained, saveTrained } from "../model-file.js";
import { findModel, isBidirectional } from "../models.js";
import { REFERENCE_MODELS, type ReferenceRun, referenceCells, runReference } from "../reference.js";
import { type ReportData, renderReport } from "../report/html.js";
import { evaluateShipped, type ShippedEvaluation, shippedTable } from "../shipped.js";
import { asText, bestClassifier, classifyTable, nextFrameTable } from "../summary.js";
import { evaluateClassifier } from "../tasks/classify.js";
import { runUtterances } from "../tasks/infer.js";
import { exportAndCheck } from "../tasks/onnx-check.js";
import { onnxMetadata } from "../tasks/onnx-metadata.js";
import { latencyStats, streamAudio } from "../tasks/streaming.js";

/** Options of `demo`. */
export interface DemoOptions {
  readonly full: boolean;
  /** Output folder (report, ONNX file, models, run cache). */
  readonly out: string;
  readonly backend: Exclude<BackendName, "onnx">;
  readonly steps?: number;
  readonly seeds?: readonly number[];
  readonly fractions?: readonly number[];
  readonly models?: readonly string[];
  /** Models trained on every fraction (the others on all data only). */
  readonly curveModels?: readonly string[];
  readonly nextFrameModels?: readonly string[];
  readonly batchSize: number;
  readonly lr: number;
  readonly horizon: number;
  readonly trainUtterances?: number;
  readonly testUtterances?: number;
  /** The WAV file to stream (default: a test-split recording shipped with the corpus). */
  readonly wav?: string;
  readonly onnx: boolean;
}

/** The compact and full presets. */
export const PRESETS = {
  compact: {
    steps: 150,
    seeds: [1],
    fractions: [0.1, 1],
    models: ["ffn", "lstm", "blstm-sum"],
    curveModels: ["ffn", "lstm"],
    nextFrameModels: ["ffn", "lstm"],
  },
  // The classifiers of --full are the ~250 k-parameter reference setups (reference.ts); `steps` is the
  // next-frame runs'.
  full: {
    steps: 300,
    seeds: [1, 2],
    fractions: [0.25, 1],
    models: ["ffn", "rnn", "lstm", "gru", "blstm-sum", "blstm-concat"],
    curveModels: ["ffn", "lstm", "blstm-sum"],
    nextFrameModels: ["ffn", "rnn", "lstm", "gru", "conv-lstm"],
  },
} as const;

/** What the demo produced (tests read it). */
export interface DemoResult {
  readonly reportPath: string;
  readonly records: readonly RunRecord[];
  readonly report: ReportData;
}

/** The utterance shown in the report and streamed by default: a shipped recording that is in the test split. */
const VIEW_ID = "confbridge-unmuted";

/** The run plan, seed-major so that a cut-short full run has complete seeds. */
export function planRuns(o: {
  seeds: readonly number[];
  fractions: readonly number[];
  models: readonly string[];
  curveModels: readonly string[];
  nextFrameModels: readonly string[];
}): RunPlan[] {
  const plans: RunPlan[] = [];
  const small = [...o.fractions].filter((f) => f !== 1).sort((a, b) => b - a);
  for (const seed of o.seeds) {
    for (const model of o.models) plans.push({ task: "classify", model, fraction: 1, seed });
    for (const model of o.curveModels)
      for (const f of small) plans.push({ task: "classify", model, fraction: f, seed });
    for (const model of o.nextFrameModels) plans.push({ task: "next-frame", model, fraction: 1, seed });
  }
  return plans;
}

/** Runs `demo`. @throws CliError for bad options, an unusable backend or an unreadable WAV file. */
export async function demoCommand(options: DemoOptions, ctx: Context): Promise<DemoResult> {
  const { io } = ctx;
  const started = performance.now();
  const preset = options.full ? PRESETS.full : PRESETS.compact;
  const seeds = options.seeds ?? preset.seeds;
  const fractions = [...new Set([...(options.fractions ?? preset.fractions), 1])];
  const models = options.models ?? preset.models;
  const curveModels = (options.curveModels ?? preset.curveModels).filter((m) => models.includes(m));
  const nextFrameModels = options.nextFrameModels ?? preset.nextFrameModels;
  for (const m of models) {
    findModel("classify", m);
    if (options.full && !REFERENCE_MODELS.some((r) => r.id === m))
      throw new CliError(
        "BAD_OPTION",
        `--models: demo --full trains the reference setups ${REFERENCE_MODELS.map((r) => r.id).join(", ")}; "${m}" is not one`,
      );
  }
  for (const m of nextFrameModels) findModel("next-frame", m);
  const steps = options.steps ?? preset.steps;
  const out = resolve(options.out);
  await mkdir(join(out, "models"), { recursive: true });
  const backend = await openBackend(options.backend, "train");
  const evalBackend = await openBackend("js", "infer");
  const data = await loadData();
  const testIds = data.split.test.slice(0, options.testUtterances ?? data.split.test.length);
  const viewId = data.split.test.includes(VIEW_ID) ? VIEW_ID : testIds[0]!;
  const settings: RunSettings = {
    steps,
    batchSize: options.batchSize,
    lr: options.lr,
    horizon: options.horizon,
    ...(options.trainUtterances !== undefined ? { trainUtterances: options.trainUtterances } : {}),
    testIds,
    viewId,
  };
  // --full: the classifiers are the reference setups (one `train --data corpus` run each), run below.
  const plans = options.full
    ? planRuns({ seeds, fractions, models: [], curveModels: [], nextFrameModels })
    : planRuns({ seeds, fractions, models, curveModels, nextFrameModels });
  const reference = options.full
    ? await runReference(referenceCells({ seeds, fractions, models, curveModels }), out, options.backend, ctx)
    : [];
  const cache = options.full ? await readCache(out) : new Map<string, RunRecord>();
  io.err(
    `${options.full ? "full comparison" : "compact demo"}: ${plans.length} training runs of ${steps} steps on backend ${options.backend}` +
      (cache.size > 0 ? ` (${plans.filter((p) => cache.has(runKey(p, settings))).length} already done in ${out})` : ""),
  );
  const kept = new Map<string, Trained>();
  const records: RunRecord[] = await keepReference(reference, seeds[0]!, data, settings, kept);
  for (const [i, plan] of plans.entries()) {
    const keep = plan.fraction === 1 && plan.seed === seeds[0];
    const modelPath = join(out, "models", `${plan.task}-${plan.model}.safetensors`);
    const cached = cache.get(runKey(plan, settings));
    if (cached !== undefined && (!keep || (await loadKept(modelPath, kept, plan)))) {
      records.push(cached);
      continue;
    }
    const { record, trained } = await executeRun(data, plan, settings, backend, evalBackend, io, keep);
    records.push(record);
    const metric =
      record.accuracy !== undefined
        ? `accuracy ${pct(record.accuracy)}`
        : `MSE ${record.mse!.toFixed(4)} (baseline ${record.baselineMse!.toFixed(4)})`;
    io.err(
      `[${i + 1}/${plans.length}] ${plan.task} ${record.label}, ${Math.round(plan.fraction * 100)}% data, seed ${plan.seed}: ${metric}, ${duration(record.seconds)}`,
    );
    if (keep) {
      kept.set(`${plan.task}/${plan.model}`, trained);
      await saveTrained(modelPath, trained.model, trained.weights, {
        task: plan.task,
        zooId: plan.model,
        cmvn: trained.cmvn,
        horizon: plan.task === "next-frame" ? settings.horizon : 0,
        extra: { command: ["recurrent-speech", ...ctx.argv].join(" ") },
      });
    }
    if (options.full) await appendCache(out, record);
  }

  // The shipped full-size models, scored on the same test utterances (the main command's "what the corpus allows").
  const shipped = options.full ? [] : await evaluateShipped(data, testIds, viewId);
  const report = await assemble(ctx, options, { records, kept, data, settings, seeds, fractions, out, shipped });
  const reportPath = join(out, "report.html");
  await writeFile(reportPath, renderReport({ ...report, seconds: (performance.now() - started) / 1000 }));
  printSummary(ctx, report);
  io.out(`total time ${duration((performance.now() - started) / 1000)}`);
  io.out(`report: ${reportPath}`);
  return { reportPath, records, report };
}

async function loadKept(path: string, kept: Map<string, Trained>, plan: RunPlan): Promise<boolean> {
  try {
    const t = await loadTrained(path);
    kept.set(`${plan.task}/${plan.model}`, { model: t.model, weights: t.weights, cmvn: t.cmvn });
    return true;
  } catch {
    return false;
  }
}

interface Assembly {
  readonly records: RunRecord[];
  readonly kept: Map<string, Trained>;
  readonly data: Awaited<ReturnType<typeof loadData>>;
  readonly settings: RunSettings;
  readonly seeds: readonly number[];
  readonly fractions: readonly number[];
  readonly out: string;
  readonly shipped: readonly ShippedEvaluation[];
}

/**
 * The reference runs' records; the first seed's full-data models are kept (streaming, ONNX, the report's
 * utterance and confusion), each scored once more here for its confusion and the view utterance's phones.
 */
async function keepReference(
  runs: readonly ReferenceRun[],
  firstSeed: number,
  data: Awaited<ReturnType<typeof loadData>>,
  settings: RunSettings,
  kept: Map<string, Trained>,
): Promise<RunRecord[]> {
  const backend = await openBackend("js", "infer");
  const records: RunRecord[] = [];
  for (const r of runs) {
    if (r.cell.seed !== firstSeed || r.cell.fraction !== 1) {
      records.push(r.record);
      continue;
    }
    const t = await loadTrained(r.file);
    kept.set(`classify/${r.cell.model.id}`, { model: t.model, weights: t.weights, cmvn: t.cmvn });
    const exe = await backend.compile(t.model, t.weights);
    const ids = [...settings.testIds.filter((id) => id !== settings.viewId), settings.viewId];
    const ev = await evaluateClassifier(exe, data, t.cmvn, ids);
    await exe.dispose();
    records.push({ ...r.record, confusion: [...ev.confusion], viewPrediction: [...ev.predictions.at(-1)!] });
  }
  return records;
}

async function assemble(ctx: Context, options: DemoOptions, a: Assembly): Promise<ReportData> {
  const { io } = ctx;
  const { records, kept, data, settings } = a;
  const first = a.seeds[0];
  const keptRecords = records.filter((r) => r.fraction === 1 && r.seed === first && r.viewPrediction !== undefined);
  const best = bestClassifier(records);
  const bestRecord = records.find((r) => r.task === "classify" && r.model === best?.model && r.confusion);
  const view = data.corpus.utterance(settings.viewId);
  const nfKept = keptRecords.filter((r) => r.task === "next-frame");
  const nfTrained = nfKept.length > 0 ? kept.get(`next-frame/${nfKept[0]!.model}`) : undefined;

  let streaming: ReportData["streaming"];
  const streamable = ["lstm", "gru", "rnn"].find((m) => kept.has(`classify/${m}`));
  if (streamable !== undefined) {
    const t = kept.get(`classify/${streamable}`)!;
    const wav = options.wav ?? (await defaultWav(settings.viewId));
    const audio = await readWavFeatures(wav);
    const exe = await (await openBackend("js", "infer")).compile(t.model, t.weights);
    const run = await streamAudio(exe, t.cmvn, audio.samples);
    const [whole] = (await runUtterances(exe, [t.cmvn.apply(audio.frames).data], NUM_FEATURES)) as [Float32Array];
    await exe.dispose();
    let maxDiff = 0;
    for (let i = 0; i < whole.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(whole[i]! - (run.logits[i] ?? Number.NaN)));
    if (run.logits.length !== whole.length) maxDiff = Number.NaN;
    let refusal: string | undefined;
    const bi = [...kept.entries()].find(([k, v]) => k.startsWith("classify/") && isBidirectional(v.model));
    if (bi !== undefined) {
      const exeBi = await (await openBackend("js", "infer")).compile(bi[1].model, bi[1].weights);
      refusal = await streamAudio(exeBi, bi[1].cmvn, audio.samples.subarray(0, 1600)).then(
        () => undefined,
        (err: unknown) => describeError(err),
      );
      await exeBi.dispose();
    }
    const s = latencyStats(run.frames);
    streaming = {
      // The report names files, never this machine's absolute paths (it is shared as a file).
      wav: basename(wav),
      model: labelOf(records, streamable),
      frames: run.frames.length,
      ...s,
      lookaheadMs: run.lookaheadFrames * 10,
      maxDiffToWhole: maxDiff,
      ...(refusal !== undefined ? { refusal } : {}),
    };
    io.out(`streaming ${wav} through the ${streaming.model}, 10 ms chunks, frame by frame:`);
    for (const f of run.frames.filter((f) => f.index % 25 === 0)) {
      io.out(
        `  frame ${String(f.index).padStart(4)}  ${(f.index / 100).toFixed(2)} s  ${PHONE_CLASSES[f.phone]!.padEnd(4)} latency ${f.latencyMs.toFixed(3)} ms`,
      );
    }
    io.out(
      `  ${run.frames.length} frames: latency mean ${s.mean.toFixed(3)} ms, p95 ${s.p95.toFixed(3)} ms, max ${s.max.toFixed(3)} ms (+ ${streaming.lookaheadMs} ms Δ/ΔΔ look-ahead); max |streamed − whole| ${maxDiff.toExponential(2)}`,
    );
    if (refusal !== undefined) io.out(`  the bidirectional model refuses to stream: ${refusal}`);
  }

  let onnx: ReportData["onnx"];
  const bestTrained = best ? kept.get(`classify/${best.model}`) : undefined;
  if (options.onnx && best !== undefined && bestTrained !== undefined) {
    const ids = settings.testIds.slice(0, 4);
    const check = await exportAndCheck(
      bestTrained.model,
      bestTrained.weights,
      join(a.out, "best.onnx"),
      ids.map((id) => bestTrained.cmvn.apply(data.corpus.features(id)).data),
      NUM_FEATURES,
      { metadata: onnxMetadata({ task: "classify", zooId: best.model, cmvn: bestTrained.cmvn }) },
    );
    onnx = { model: labelOf(records, best.model), ...check, path: relative(a.out, check.path) };
    io.out(
      `ONNX: ${onnx.model} → ${check.path} (${check.bytes} bytes); onnxruntime vs backend-js on ${check.frames} frames: max |difference| ${check.maxAbsDiff.toExponential(2)}, arg-max differs on ${check.argmaxMismatches}`,
    );
  }

  const horizon = settings.horizon;
  return {
    mode: options.full ? "full" : "compact",
    generated: new Date().toISOString(),
    // Absolute arguments (an --out or --wav of this machine) are shown by their last part only.
    command: ["recurrent-speech", ...ctx.argv.map((a) => (isAbsolute(a) ? `…/${basename(a)}` : a))].join(" "),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, Node ${process.version}`,
    seconds: 0,
    settings: {
      ...(options.full
        ? {
            classifiers:
              "about 250 k parameters each; Adam 0.003 (FFN 0.001), constant; 16 whole utterances per batch; clip 1; 15 epochs, the best validation epoch kept",
            "next-frame steps per run": String(settings.steps),
          }
        : { "steps per run": String(settings.steps) }),
      batch: `${settings.batchSize} chunks of 100 frames${options.full ? " (next-frame)" : ""}`,
      "Adam lr": `${settings.lr} (cosine to ${settings.lr / 10})${options.full ? " (next-frame)" : ""}`,
      seeds: a.seeds.join(", "),
      "data fractions": a.fractions.map((f) => `${Math.round(f * 100)}%`).join(", "),
      "training utterances": String(settings.trainUtterances ?? data.split.train.length),
      "test utterances": String(settings.testIds.length),
      "next-frame horizon": `${horizon} frame${horizon > 1 ? "s" : ""}`,
      "training time summed over runs": duration(records.reduce((t, r) => t + r.seconds, 0)),
    },
    records,
    classifyTable: classifyTable(records),
    nextFrameTable: nextFrameTable(records),
    phoneNames: PHONE_CLASSES,
    view: {
      id: view.id,
      text: view.text,
      frames: data.corpus.features(view.id).data,
      labels: data.corpus.labels(view.id).data,
      predictions: keptRecords
        .filter((r) => r.task === "classify")
        .map((r) => ({ label: r.label, phones: r.viewPrediction! })),
    },
    ...(bestRecord?.confusion ? { confusion: { label: bestRecord.label, matrix: bestRecord.confusion } } : {}),
    ...(nfTrained !== undefined
      ? {
          trajectories: {
            id: view.id,
            horizon,
            actual: nfTrained.cmvn.apply(causalStatics(data.corpus.features(view.id))).data,
            predictions: nfKept.map((r) => ({ label: r.label, values: r.viewPrediction! })),
          },
        }
      : {}),
    ...(streaming ? { streaming } : {}),
    ...(onnx ? { onnx } : {}),
    ...(a.shipped.length > 0
      ? { shipped: a.shipped.map((e) => ({ ...e, truth: data.corpus.labels(view.id).data })) }
      : {}),
    findings: findings(records),
  };
}

async function defaultWav(id: string): Promise<string> {
  const audio = await corpusAudio();
  const match = audio.find((x) => x.id === id.replace(/\//g, "-")) ?? audio[0]!;
  return typeof match.wav === "string" ? match.wav : fileURLToPath(match.wav);
}

/** A classifier's label as its runs name it (zoo or reference model). */
function labelOf(records: readonly RunRecord[], model: string): string {
  return records.find((r) => r.task === "classify" && r.model === model)?.label ?? findModel("classify", model).label;
}

function printSummary({ io }: Context, r: ReportData): void {
  io.out("");
  io.out("Frame classification (MFCC-39 → 40 phones), frame accuracy on held-out utterances:");
  for (const line of asText(r.classifyTable)) io.out(`  ${line}`);
  if (r.nextFrameTable.rows.length > 0) {
    io.out("");
    io.out(`Next-frame prediction (13 causal statics → frame t+${r.trajectories?.horizon ?? 1}), test MSE:`);
    for (const line of asText(r.nextFrameTable)) io.out(`  ${line}`);
  }
  if (r.shipped !== undefined && r.shipped.length > 0) {
    io.out("");
    io.out(
      "Shipped full-size models (models/, trained 15 epochs by train --data corpus), on the same test utterances:",
    );
    for (const line of shippedTable(r.shipped)) io.out(`  ${line}`);
  }
  io.out("");
  io.out("Findings:");
  for (const f of r.findings) io.out(`  - ${f}`);
}

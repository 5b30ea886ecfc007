/**
 * `pnpm bench`: measures the workloads on every system, one child process per system and workload (so each
 * row's peak RSS is that workload's), workload by workload, all in this run; PyTorch in a Python child when /usr/bin/python3 has
 * torch. Prints the table, the targets (tf.layers, then PyTorch / onnxruntime), the scaling grid, and appends
 * them to results.md (full runs, or quick runs with `--record`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BenchArgsError, parseArgs, recordedCommand, USAGE } from "./args.js";
import { formatLoad, machineInfo, peerVersions } from "./machine.js";
import { FULL_PLAN, QUICK_PLAN, summarize } from "./measure.js";
import { formatParity, judgeParity } from "./parity.js";
import { measurePeak } from "./peak/peak.js";
import type { WorkloadResult } from "./protocol.js";
import { appendSection, formatSection } from "./results-file.js";
import { mergeRounds } from "./rounds.js";
import { formatScaling, SCALING_GRID, SCALING_SYSTEMS, SCALING_WORKLOAD, type ScalingPoint } from "./scaling.js";
import { BENCH_DIR, NODE_CHILD_FLAGS, runChild, runTorchChild } from "./spawn-child.js";
import { type SystemId, systemInfo } from "./systems/catalog.js";
import { formatDetails, formatNumber, formatTable } from "./table.js";
import { formatVerdicts, judgeTargets } from "./targets.js";
import { detectTorch, type TorchAvailability } from "./torch/detect.js";
import { writeTorchJob } from "./torch/job.js";
import { FULL_SIZES, QUICK_SIZES, type Sizes, WORKLOADS, type WorkloadId, workloadUnit } from "./workloads.js";

const argv = process.argv.slice(2);
let options: ReturnType<typeof parseArgs>;
try {
  options = parseArgs(argv);
} catch (err) {
  if (!(err instanceof BenchArgsError)) throw err;
  console.error(`${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const started = new Date();
const machine = machineInfo();
const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
console.log(
  `${options.quick ? `QUICK run (T=${sizes.T}, ${sizes.frames} frames; not the reference sizes)` : "Full run"}: ` +
    `${options.workloads.join(", ")} on ${options.systems.join(", ")}${options.scaling ? ", scaling grid" : ""}`,
);
console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load average ${formatLoad(machine.load)}`);
if (machine.load[0] > machine.cores) {
  console.log(`note: the load average exceeds ${machine.cores} cores; absolute numbers will be inflated`);
}
console.log(`Node children run with ${NODE_CHILD_FLAGS.join(" ")}`);

const peak = await measurePeak();
const peakText =
  `${peak.gflops.toFixed(1)} GFLOP/s on one core, best of ${peak.runs} runs of a WebAssembly f32x4 ` +
  `${peak.kernel === "fma" ? "relaxed-SIMD fused multiply-add" : "multiply + add"} loop (src/peak); ` +
  "the scaling table's % peak is of that times the cores a row may use (128-bit vectors: native AVX2 code has twice this ceiling)";
console.log(`peak: ${peakText}`);

const wantsTorch = options.systems.some((s) => systemInfo(s).torchThreads !== undefined);
const torch: TorchAvailability | undefined = wantsTorch ? await detectTorch() : undefined;
if (torch !== undefined && !torch.ok) console.log(`PyTorch skipped: ${torch.reason}`);
const scratch = await mkdtemp(join(tmpdir(), "recurrent-bench-"));

/** Measures `workload` on `system` in its own child process. */
async function measureOne(
  system: SystemId,
  workload: WorkloadId,
  at: Sizes | undefined,
  print: boolean,
): Promise<WorkloadResult[]> {
  const info = systemInfo(system);
  const label = info.label;
  if (!info.workloads.includes(workload)) {
    return [{ status: "n/a", system, workload, reason: info.notApplicable[workload] ?? "not applicable" }];
  }
  const childOptions = {
    timeoutMs: (options.quick ? 3 : 30) * 60_000,
    verbose: options.verbose,
    onProgress: (text: string) => print && console.log(`  ${text}`),
    onResult: (r: WorkloadResult) => {
      if (r.status !== "ok") {
        if (r.status !== "n/a") console.log(`  ${label} ${r.workload}: ${r.status}: ${r.reason}`);
        return;
      }
      const s = summarize(r.samples);
      const where = at === undefined ? "" : ` at H=${at.H} T=${at.T} B=${at.B}`;
      const rss = r.peakRssMiB === undefined ? "" : `, peak RSS ${Math.round(r.peakRssMiB)} MiB`;
      console.log(
        `  ${label} ${r.workload}${where}: ${formatNumber(s.median)} ${workloadUnit(r.workload)} ` +
          `(${formatNumber(s.min)}–${formatNumber(s.max)}, ${s.n} runs${rss})`,
      );
    },
  };
  if (info.torchThreads === undefined) {
    // The scaling grid uses the quick repetition plan on every system (the child picks the plan from `quick`).
    const quick = options.quick || at !== undefined;
    return runChild({ system, workloads: [workload], quick, ...(at ? { sizes: at } : {}) }, childOptions);
  }
  if (torch === undefined || !torch.ok) {
    return [{ status: "skipped", system, workload, reason: torch?.reason ?? "PyTorch not checked" }];
  }
  const plan = options.quick || at !== undefined ? QUICK_PLAN : FULL_PLAN;
  const job = await writeTorchJob(system, [workload], at ?? sizes, plan, scratch);
  return runTorchChild(job, childOptions);
}

const rounds: WorkloadResult[] = [];
const points: ScalingPoint[] = [];
try {
  // Workload by workload, every system back to back: a change in the shared machine's load between two rows
  // that a ratio compares then spans seconds, not the whole run.
  for (let round = 1; round <= options.rounds; round++) {
    for (const workload of options.workloads) {
      const of = options.rounds > 1 ? ` (round ${round} of ${options.rounds})` : "";
      console.log(`\n[${workload} ${WORKLOADS[workload].title}${of}]`);
      for (const system of options.systems) rounds.push(...(await measureOne(system, workload, undefined, true)));
    }
  }
  if (options.scaling) {
    console.log(`\n[scaling: ${SCALING_WORKLOAD} on ${SCALING_GRID.length} points, quick repetition plan]`);
    for (const at of SCALING_GRID) {
      const got: WorkloadResult[] = [];
      for (const { id } of SCALING_SYSTEMS.filter((s) => options.systems.includes(s.id))) {
        got.push(...(await measureOne(id, SCALING_WORKLOAD, at, false)));
      }
      points.push({ sizes: at, results: got });
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

const results = mergeRounds(rounds);
const table = formatTable(results, options.workloads, options.systems);
const details = formatDetails(results, options.systems);
const verdicts = formatVerdicts(judgeTargets(results));
const parity = formatParity(judgeParity(results));
const scaling = options.scaling ? formatScaling(points, peak.gflops) : undefined;
const quickNote = options.quick ? ", quick sizes" : "";
console.log(`\n${table}\n\n${details}\n\nTargets (backend-js${quickNote}):\n${verdicts}`);
console.log(`\nTargets of issue #14 (time ratios, < 1 is faster${quickNote}):\n${parity}`);
if (scaling !== undefined) console.log(`\nScaling (W1, LSTM train step; peak ${peakText}):\n${scaling}`);

if (options.record) {
  const path = join(BENCH_DIR, "results.md");
  const durationS = (Date.now() - started.getTime()) / 1000;
  const section = formatSection({
    date: started,
    command: recordedCommand(argv),
    quick: options.quick,
    machine,
    loadAfter: machineInfo().load,
    versions: { ...peerVersions(), torch: torch === undefined ? "not run" : torch.ok ? torch.version : "missing" },
    durationS,
    table,
    verdicts,
    details,
    parity,
    peak: peakText,
    ...(scaling === undefined ? {} : { scaling }),
    ...(options.note === undefined ? {} : { note: options.note }),
  });
  await appendSection(path, section);
  console.log(`\nappended to ${path} (${Math.round(durationS)} s)`);
}

/**
 * `pnpm bench`: measures W1–W5 on every system, one child process per system, all in this run; prints the
 * table and the target verdicts, and appends them to results.md (full runs, or quick runs with `--record`).
 */
import { join } from "node:path";
import { BenchArgsError, parseArgs, USAGE } from "./args.js";
import { formatLoad, machineInfo, peerVersions } from "./machine.js";
import { summarize } from "./measure.js";
import type { WorkloadResult } from "./protocol.js";
import { appendSection, formatSection } from "./results-file.js";
import { BENCH_DIR, runChild } from "./spawn-child.js";
import { systemInfo } from "./systems/catalog.js";
import { formatNumber, formatTable } from "./table.js";
import { formatVerdicts, judgeTargets } from "./targets.js";
import { FULL_SIZES, QUICK_SIZES, workloadUnit } from "./workloads.js";

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
    `${options.workloads.join(", ")} on ${options.systems.join(", ")}`,
);
console.log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load average ${formatLoad(machine.load)}`);
if (machine.load[0] > machine.cores) {
  console.log(`note: the load average exceeds ${machine.cores} cores; absolute numbers will be inflated`);
}

const results: WorkloadResult[] = [];
for (const system of options.systems) {
  const label = systemInfo(system).label;
  console.log(`\n[${label}]`);
  const got = await runChild(
    { system, workloads: options.workloads, quick: options.quick },
    {
      timeoutMs: (options.quick ? 3 : 30) * 60_000,
      verbose: options.verbose,
      onProgress: (text) => console.log(`  ${text}`),
      onResult: (r) => {
        if (r.status !== "ok") {
          if (r.status !== "n/a") console.log(`  ${label} ${r.workload}: ${r.status}: ${r.reason}`);
          return;
        }
        const s = summarize(r.samples);
        const unit = workloadUnit(r.workload);
        console.log(
          `  ${label} ${r.workload}: ${formatNumber(s.median)} ${unit} ` +
            `(${formatNumber(s.min)}–${formatNumber(s.max)}, ${s.n} runs)`,
        );
      },
    },
  );
  results.push(...got);
}

const table = formatTable(results, options.workloads, options.systems);
const verdicts = formatVerdicts(judgeTargets(results));
console.log(`\n${table}\n\nTargets (backend-js${options.quick ? ", quick sizes" : ""}):\n${verdicts}`);

if (options.record) {
  const path = join(BENCH_DIR, "results.md");
  const durationS = (Date.now() - started.getTime()) / 1000;
  const section = formatSection({
    date: started,
    command: ["pnpm bench", ...argv].join(" "),
    quick: options.quick,
    machine,
    loadAfter: machineInfo().load,
    versions: peerVersions(),
    durationS,
    table,
    verdicts,
  });
  await appendSection(path, section);
  console.log(`\nappended to ${path} (${Math.round(durationS)} s)`);
}

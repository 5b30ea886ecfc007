/**
 * The results table (GitHub markdown): one row per measured (workload, system), grouped by workload, with the
 * median, min–max, GFLOP/s from the reference's FLOP formulas and the speed-up over tf.layers cpu.
 */
import { markdownTable } from "./markdown.js";
import { summarize } from "./measure.js";
import type { MeasuredResult, WorkloadResult } from "./protocol.js";
import { BASELINE, type SystemId, systemInfo } from "./systems/catalog.js";
import { WORKLOADS, type WorkloadId, workloadFlops, workloadUnit } from "./workloads.js";

/** `1234.5` → `"1,235"`, `123.4` → `"123"`, `12.34` → `"12.3"`, `1.234` → `"1.23"`. */
export function formatNumber(x: number): string {
  if (x >= 100) return Math.round(x).toLocaleString("en-US");
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** A speed-up: `12.34` → `"12.3×"`, `1.234` → `"1.23×"`, `0.04321` → `"0.043×"`. */
export function formatRatio(r: number): string {
  if (r >= 10) return `${r.toFixed(1)}×`;
  if (r >= 1) return `${r.toFixed(2)}×`;
  return `${Number(r.toPrecision(2))}×`;
}

/** GFLOP/s of a median in the workload's unit (ms per step, or µs per frame for W4). */
export function gflops(workload: WorkloadId, size: number, median: number): number {
  const flops = workloadFlops(workload, size);
  return workloadUnit(workload) === "ms" ? flops / (median * 1e6) : flops / (median * 1e3);
}

/** The measured result of (workload, system), if any. */
export function findMeasured(
  results: readonly WorkloadResult[],
  workload: WorkloadId,
  system: SystemId,
): MeasuredResult | undefined {
  const r = results.find((x) => x.workload === workload && x.system === system);
  return r?.status === "ok" ? r : undefined;
}

/**
 * How many times faster `system` is than `against` on `workload` (ratio of medians; > 1 is faster), or
 * undefined when either was not measured or they measured different sizes.
 */
export function speedup(
  results: readonly WorkloadResult[],
  workload: WorkloadId,
  system: SystemId,
  against: SystemId = BASELINE,
): number | undefined {
  const a = findMeasured(results, workload, system);
  const b = findMeasured(results, workload, against);
  if (a === undefined || b === undefined || a.size !== b.size) return undefined;
  return summarize(b.samples).median / summarize(a.samples).median;
}

function row(results: readonly WorkloadResult[], r: WorkloadResult): string[] {
  const spec = WORKLOADS[r.workload];
  const label = systemInfo(r.system).label;
  if (r.status !== "ok") {
    return [`${r.workload} ${spec.title}`, label, `${r.status}: ${r.reason}`, "–", "–", "–", "–", "–"];
  }
  const unit = workloadUnit(r.workload);
  const s = summarize(r.samples);
  const ratio = speedup(results, r.workload, r.system);
  const sizeNote = spec.kind === "stream" ? `${r.size} frames` : `T=${r.size}`;
  return [
    `${r.workload} ${spec.title} (${sizeNote})`,
    label,
    `${formatNumber(s.median)} ${unit}`,
    `${formatNumber(s.min)}–${formatNumber(s.max)}`,
    gflops(r.workload, r.size, s.median).toFixed(2),
    ratio === undefined ? "–" : formatRatio(ratio),
    r.peakRssMiB === undefined ? "–" : `${Math.round(r.peakRssMiB)} MiB`,
    `${s.n} (+${r.warmups} warm-up)`,
  ];
}

/**
 * The table of `results` for the given workloads and systems, in that order, laid out as the formatter
 * would (see markdown.ts). Peak RSS is the child process's (one process per system and workload). Rows for workloads a system cannot run (`n/a`) are left out and listed in one line
 * under the table, grouped by system and reason.
 */
export function formatTable(
  results: readonly WorkloadResult[],
  workloads: readonly WorkloadId[],
  systems: readonly SystemId[],
): string {
  const header = [
    "workload",
    "system",
    "median",
    "min–max",
    "GFLOP/s",
    `vs ${systemInfo(BASELINE).label}`,
    "peak RSS",
    "timed runs",
  ];
  const rows: string[][] = [];
  // "label (reason)" → workloads, so each system's n/a workloads read as one item.
  const notApplicable = new Map<string, WorkloadId[]>();
  for (const workload of workloads) {
    for (const system of systems) {
      const r = results.find((x) => x.workload === workload && x.system === system);
      if (r === undefined) continue;
      if (r.status !== "n/a") rows.push(row(results, r));
      else {
        const key = `${systemInfo(system).label}|${r.reason}`;
        notApplicable.set(key, [...(notApplicable.get(key) ?? []), workload]);
      }
    }
  }
  const lines = [markdownTable(header, ["left", "left", "right", "right", "right", "right", "right", "left"], rows)];
  if (notApplicable.size > 0) {
    const items = [...notApplicable].map(([key, ids]) => {
      const [label, reason] = key.split("|") as [string, string];
      return `${label} ${ids.join(", ")} (${reason})`;
    });
    lines.push("", `Not applicable: ${items.join("; ")}.`);
  }
  return lines.join("\n");
}

/** One line per system that reported what ran, e.g. `- backend-js: product kernel fma`. */
export function formatDetails(results: readonly WorkloadResult[], systems: readonly SystemId[]): string {
  const lines: string[] = [];
  for (const system of systems) {
    const details = new Set(
      results.flatMap((r) => (r.system === system && r.status === "ok" && r.detail !== undefined ? [r.detail] : [])),
    );
    if (details.size > 0) lines.push(`- ${systemInfo(system).label}: ${[...details].join("; ")}`);
  }
  return lines.join("\n");
}

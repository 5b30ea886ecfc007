/**
 * The scaling table: W1 (LSTM train step) on a sparse grid of hidden sizes, lengths and batches, on backend-js
 * and PyTorch, with GFLOP/s and the fraction of the machine's peak (peak/peak.ts). One axis varies at a time
 * around W1's H=128, T=100, B=32, so ten points cover H 64–512, T 50–400 and B 1–64 in minutes.
 */

import { markdownTable } from "./markdown.js";
import { summarize } from "./measure.js";
import type { WorkloadResult } from "./protocol.js";
import type { SystemId } from "./systems/catalog.js";
import { formatNumber, formatRatio } from "./table.js";
import { B, H, type Sizes, STREAM_FRAMES, T, workloadFlops } from "./workloads.js";

/** The workload the grid varies. */
export const SCALING_WORKLOAD = "W1" as const;

/** The systems measured on the grid, and how many cores each may use (for the fraction of peak). */
export const SCALING_SYSTEMS: readonly { readonly id: SystemId; readonly cores: number }[] = [
  { id: "js", cores: 1 },
  { id: "torch-1", cores: 1 },
  { id: "torch-2", cores: 2 },
];

const point = (h: number, t: number, b: number): Sizes => ({ H: h, T: t, B: b, frames: STREAM_FRAMES });

/** W1's point, then H, T and B varied one at a time. */
export const SCALING_GRID: readonly Sizes[] = [
  point(H, T, B),
  ...[64, 256, 512].map((h) => point(h, T, B)),
  ...[50, 200, 400].map((t) => point(H, t, B)),
  ...[1, 8, 64].map((b) => point(H, T, b)),
];

/** One grid point's results, one per system of {@link SCALING_SYSTEMS} that ran. */
export interface ScalingPoint {
  readonly sizes: Sizes;
  readonly results: readonly WorkloadResult[];
}

/** GFLOP/s of a W1 step at `sizes` taking `ms`. */
export function scalingGflops(sizes: Sizes, ms: number): number {
  return workloadFlops(SCALING_WORKLOAD, sizes.T, sizes.H, sizes.B) / (ms * 1e6);
}

/**
 * The table: per point, each system's median ms, GFLOP/s and % of the peak of the cores it may use
 * (`peakGflops` is one core's), then backend-js over the best PyTorch row.
 */
export function formatScaling(points: readonly ScalingPoint[], peakGflops: number): string {
  const header = ["H", "T", "B", "GFLOP/step"];
  for (const label of ["backend-js", "PyTorch 1 thread", "PyTorch 2 threads"]) {
    header.push(`${label} ms`, "GFLOP/s", "% peak");
  }
  header.push("js / best torch");
  const rows = points.map(({ sizes, results }) => {
    const cells = [String(sizes.H), String(sizes.T), String(sizes.B)];
    cells.push((workloadFlops(SCALING_WORKLOAD, sizes.T, sizes.H, sizes.B) / 1e9).toFixed(2));
    const medians = new Map<SystemId, number>();
    for (const { id, cores } of SCALING_SYSTEMS) {
      const r = results.find((x) => x.system === id);
      if (r?.status !== "ok") {
        cells.push(r === undefined ? "–" : r.status, "–", "–");
        continue;
      }
      const median = summarize(r.samples).median;
      medians.set(id, median);
      const g = scalingGflops(sizes, median);
      cells.push(formatNumber(median), g.toFixed(1), `${((100 * g) / (cores * peakGflops)).toFixed(0)} %`);
    }
    const torch = [medians.get("torch-1"), medians.get("torch-2")].filter((m) => m !== undefined);
    const js = medians.get("js");
    cells.push(js === undefined || torch.length === 0 ? "–" : formatRatio(js / Math.min(...torch)));
    return cells;
  });
  return markdownTable(
    header,
    header.map(() => "right" as const),
    rows,
  );
}

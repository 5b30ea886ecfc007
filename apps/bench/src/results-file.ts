/**
 * results.md: every recorded run is appended as a dated section (machine, versions, table, target verdicts),
 * so the file keeps the history of the kernels' progress next to the peers.
 */
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { formatLoad, type MachineInfo } from "./machine.js";

/** The heading written when results.md does not exist yet. */
export const RESULTS_HEADER = `# Benchmark results

Appended by \`pnpm bench\` (see README.md). Each section is one run: every system was measured in that run, on
that machine, so only ratios within a section are comparable; absolute numbers swing with the machine's load.
`;

/** Everything one section holds. */
export interface RunRecord {
  readonly date: Date;
  readonly command: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly loadAfter: readonly number[];
  readonly versions: Readonly<Record<string, string>>;
  readonly durationS: number;
  readonly table: string;
  readonly verdicts: string;
  /** What each system reported running (kernel, threads), one `- ` line each. */
  readonly details?: string;
  /** The PyTorch / onnxruntime targets table (parity.ts). */
  readonly parity?: string;
  /** The scaling table (scaling.ts). */
  readonly scaling?: string;
  /** How the machine's peak was measured, and what it was. */
  readonly peak?: string;
  /** The run's `--note`. */
  readonly note?: string;
}

/** `2025-01-31 14:05 UTC`. */
export function formatDate(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The markdown section of one run. */
export function formatSection(r: RunRecord): string {
  const m = r.machine;
  const versions = Object.entries(r.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return [
    `## ${formatDate(r.date)} — ${r.quick ? "quick run (T=20, 200 frames: NOT the reference sizes)" : "full run"}`,
    "",
    `- Machine: ${m.cpu} (${m.simd}), ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}`,
    `- Load average (1/5/15 min): ${formatLoad(m.load)} at start, ${formatLoad(r.loadAfter)} at end`,
    `- Peers: ${versions}`,
    `- Command: \`${r.command}\` (${Math.round(r.durationS)} s)`,
    ...(r.note === undefined ? [] : [`- Note: ${r.note}`]),
    ...(r.peak === undefined ? [] : [`- Peak: ${r.peak}`]),
    "",
    r.table,
    "",
    ...(r.details === undefined || r.details === "" ? [] : ["What ran:", "", r.details, ""]),
    "Targets (backend-js):",
    "",
    r.verdicts,
    "",
    ...(r.parity === undefined ? [] : ["Targets of issue #14 (time ratios, < 1 is faster):", "", r.parity, ""]),
    ...(r.scaling === undefined ? [] : ["Scaling (W1, LSTM train step):", "", r.scaling, ""]),
  ].join("\n");
}

/** Appends `section` to the file at `path`, creating it with {@link RESULTS_HEADER} first if needed. */
export async function appendSection(path: string, section: string): Promise<void> {
  const existing = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  if (existing === undefined) await writeFile(path, `${RESULTS_HEADER}\n${section}`);
  else await appendFile(path, `${existing.endsWith("\n") ? "" : "\n"}\n${section}`);
}

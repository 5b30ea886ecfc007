/**
 * The machine a run measured on: what results.md records next to every table.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";

/** CPU, cores, memory, Node, and the load average at the time of the call. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly simd: string;
  readonly load: readonly [number, number, number];
}

/** The CPU model from /proc/cpuinfo (os.cpus() elsewhere) and its vector extensions of interest. */
function cpuModel(): { cpu: string; simd: string } {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim();
    const flags = new Set((/^flags\s*:\s*(.+)$/m.exec(info)?.[1] ?? "").split(/\s+/));
    const simd = ["avx2", "fma", "avx512f"].filter((f) => flags.has(f)).join("+");
    if (model !== undefined) return { cpu: model, simd: simd === "" ? "none of avx2/fma/avx512f" : simd };
  } catch {
    // Not Linux: os.cpus() has the model; flags are unknown.
  }
  return { cpu: cpus()[0]?.model ?? "unknown", simd: "unknown" };
}

/** Reads the machine's description now. */
export function machineInfo(): MachineInfo {
  const [l1, l5, l15] = loadavg() as [number, number, number];
  return {
    ...cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${platform()} ${arch()}`,
    load: [l1, l5, l15],
  };
}

/** `1.23 / 0.98 / 0.50`. */
export function formatLoad(load: readonly number[]): string {
  return load.map((l) => l.toFixed(2)).join(" / ");
}

const require = createRequire(import.meta.url);

/** Installed versions of the peers, as resolved from this package (`"missing"` when not installed). */
export function peerVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "onnxruntime-node", "brain.js"]) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = "missing";
    }
  }
  return out;
}

/**
 * Reads what python/torch_bench.py prints: one JSON message per line, in src/protocol.ts's ChildMessage shape.
 * Every field is checked, because the other side is a different program; anything else it prints (warnings)
 * is not a message.
 */
import type { ChildMessage, WorkloadResult } from "../protocol.js";
import { SYSTEM_IDS, type SystemId } from "../systems/catalog.js";
import { WORKLOAD_IDS, type WorkloadId } from "../workloads.js";

/** A line that looked like a message (JSON object) but is not a valid one; the message says which field. */
export class TorchOutputError extends Error {
  override readonly name = "TorchOutputError";
}

const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function bad(line: string, what: string): never {
  throw new TorchOutputError(`torch_bench.py printed ${what}: ${line.slice(0, 200)}`);
}

function result(line: string, r: Record<string, unknown>): WorkloadResult {
  const system = r.system as SystemId;
  const workload = r.workload as WorkloadId;
  if (!SYSTEM_IDS.includes(system)) bad(line, `an unknown system ${JSON.stringify(r.system)}`);
  if (!WORKLOAD_IDS.includes(workload)) bad(line, `an unknown workload ${JSON.stringify(r.workload)}`);
  if (r.status === "skipped" || r.status === "failed" || r.status === "n/a") {
    if (typeof r.reason !== "string") bad(line, `a ${r.status} result without a reason`);
    return { status: r.status, system, workload, reason: r.reason };
  }
  if (r.status !== "ok") bad(line, `an unknown status ${JSON.stringify(r.status)}`);
  const samples = r.samples;
  if (!Array.isArray(samples) || samples.length === 0 || !samples.every((s) => isFiniteNumber(s) && s >= 0)) {
    bad(line, "samples that are not a non-empty list of non-negative numbers");
  }
  if (!Number.isInteger(r.warmups) || (r.warmups as number) < 0) bad(line, "a warm-up count that is not a count");
  if (!Number.isInteger(r.size) || (r.size as number) <= 0) bad(line, "a size that is not a positive integer");
  if (r.peakRssMiB !== undefined && !isFiniteNumber(r.peakRssMiB)) bad(line, "a peak RSS that is not a number");
  if (r.detail !== undefined && typeof r.detail !== "string") bad(line, "a detail that is not a string");
  return {
    status: "ok",
    system,
    workload,
    samples: samples as number[],
    warmups: r.warmups as number,
    size: r.size as number,
    ...(r.peakRssMiB === undefined ? {} : { peakRssMiB: r.peakRssMiB as number }),
    ...(r.detail === undefined ? {} : { detail: r.detail as string }),
  };
}

/**
 * The message on one stdout line of torch_bench.py, or undefined for a line that is not a JSON object (a
 * warning PyTorch printed).
 * @throws TorchOutputError for a JSON object that is not a valid message (naming the field).
 */
export function parseTorchLine(line: string): ChildMessage | undefined {
  const text = line.trim();
  if (!text.startsWith("{")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const m = value as { type?: unknown; text?: unknown; result?: unknown };
  if (m.type === "progress") {
    if (typeof m.text !== "string") bad(text, "a progress message without text");
    return { type: "progress", text: m.text };
  }
  if (m.type !== "result") bad(text, `a message of unknown type ${JSON.stringify(m.type)}`);
  if (typeof m.result !== "object" || m.result === null) bad(text, "a result message without a result");
  return { type: "result", result: result(text, m.result as Record<string, unknown>) };
}

/**
 * The child process of one system: `node --conditions=@recurrent/source --import tsx src/child.ts '<ChildJob>'`.
 * It loads the system, measures each workload per the plan, and sends one result per workload to main.ts over
 * IPC as soon as it is known.
 */
import { FULL_PLAN, measure, QUICK_PLAN } from "./measure.js";
import type { ChildJob, ChildMessage, WorkloadResult } from "./protocol.js";
import { systemInfo } from "./systems/catalog.js";
import { loadSystem } from "./systems/load.js";
import { reasonOf, SkipError, type System } from "./systems/system.js";
import { FULL_SIZES, QUICK_SIZES, WORKLOADS, type WorkloadId } from "./workloads.js";

/** Sends over IPC (or prints, when run by hand); resolves once the message is handed to the channel. */
function send(message: ChildMessage): Promise<void> {
  const channel = process.send?.bind(process);
  if (channel === undefined) {
    console.log(JSON.stringify(message));
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    channel(message, undefined, {}, (err: Error | null) => (err === null ? resolve() : reject(err)));
  });
}

async function runJob(job: ChildJob): Promise<void> {
  const info = systemInfo(job.system);
  const sizes = job.sizes ?? (job.quick ? QUICK_SIZES : FULL_SIZES);
  const plan = job.quick ? QUICK_PLAN : FULL_PLAN;
  let system: System | undefined;
  let unavailable: "skipped" | "failed" | undefined;
  let unavailableReason = "";
  const result = (r: WorkloadResult) => send({ type: "result", result: r });
  const base = (workload: WorkloadId) => ({ system: job.system, workload });

  for (const workload of job.workloads) {
    const na = info.notApplicable[workload];
    if (!info.workloads.includes(workload)) {
      await result({ ...base(workload), status: "n/a", reason: na ?? "not applicable" });
      continue;
    }
    if (system === undefined && unavailable === undefined) {
      try {
        system = await loadSystem(job.system);
      } catch (err) {
        unavailable = err instanceof SkipError ? "skipped" : "failed";
        unavailableReason = reasonOf(err);
      }
    }
    if (system === undefined) {
      await result({ ...base(workload), status: unavailable ?? "failed", reason: unavailableReason });
      continue;
    }
    await send({ type: "progress", text: `${info.label} ${workload}: preparing` });
    try {
      const loaded = system;
      const step = loaded.measure === undefined ? await loaded.prepare(workload, sizes) : undefined;
      try {
        const timings =
          step === undefined ? await loaded.measure!(workload, sizes, plan) : await measure(() => step.run(), plan);
        // W4 is reported per frame in µs; a repetition streams `sizes.frames` frames.
        const stream = WORKLOADS[workload].kind === "stream";
        const samples = timings.repsMs.map((ms) => (stream ? (ms * 1000) / sizes.frames : ms));
        await result({
          ...base(workload),
          status: "ok",
          samples,
          warmups: timings.warmupsMs.length,
          size: stream ? sizes.frames : sizes.T,
          // resourceUsage().maxRSS is in KiB; the peak of this process, which measured this workload only.
          ...(loaded.ownsMemory === false ? {} : { peakRssMiB: process.resourceUsage().maxRSS / 1024 }),
          ...(loaded.detail === undefined ? {} : { detail: loaded.detail() }),
        });
      } finally {
        await step?.dispose();
      }
    } catch (err) {
      await result({
        ...base(workload),
        status: err instanceof SkipError ? "skipped" : "failed",
        reason: reasonOf(err),
      });
    }
  }
  await system?.dispose();
}

const arg = process.argv[2];
if (arg === undefined) {
  console.error("usage: child.ts '<ChildJob JSON>' (started by main.ts)");
  process.exit(2);
}
await runJob(JSON.parse(arg) as ChildJob);
// tfjs-wasm and onnxruntime keep handles open; every message has been handed over, so leave explicitly.
process.disconnect?.();
process.exit(0);

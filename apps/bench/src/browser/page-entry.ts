/**
 * The page side of the Chromium harness (systems/chromium.ts bundles this file with esbuild and adds it to a
 * blank page): backend-js through the same public API and the same prepare/measure code as the Node child, so
 * the browser numbers differ only by the engine. Timing happens inside the page.
 */
import { jsBackend, productKernel } from "@recurrent/backend-js";
import { measure, type RepetitionPlan, type Timings } from "../measure.js";
import { recurrentSystem } from "../systems/recurrent.js";
import type { Sizes, WorkloadId } from "../workloads.js";

/** What the page returns per workload. */
export interface PageResult extends Timings {
  readonly kernel: string;
}

const system = recurrentSystem(jsBackend());

async function benchWorkload(id: WorkloadId, sizes: Sizes, plan: RepetitionPlan): Promise<PageResult> {
  const step = await system.prepare(id, sizes);
  try {
    const timings = await measure(() => step.run(), plan);
    return { ...timings, kernel: productKernel() };
  } finally {
    await step.dispose();
  }
}

(globalThis as { benchWorkload?: typeof benchWorkload }).benchWorkload = benchWorkload;

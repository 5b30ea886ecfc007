/**
 * The job main.ts hands python/torch_bench.py: the same workload definitions the Node children use, plus one
 * .safetensors file per workload holding the model's initial weights as a PyTorch state dict (from
 * `initWeights(model, { seed: 1 })` through `toTorchStateDict`, the values backend-js starts from) and the
 * inputs and targets (`data.x`, `data.target`, `data.frames`: the seeded values of data.ts).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeSafetensors, initWeights, type Tensor, toTorchStateDict } from "@recurrent/core";
import { uniformSequence } from "../data.js";
import type { RepetitionPlan } from "../measure.js";
import { type SystemId, systemInfo } from "../systems/catalog.js";
import { benchModel, torchMapping } from "../systems/recurrent.js";
import {
  D,
  FFN_CONTEXT,
  FFN_HIDDEN,
  outputsOf,
  type Sizes,
  WORKLOADS,
  type WorkloadId,
  type WorkloadSpec,
} from "../workloads.js";

/** One workload as torch_bench.py reads it. */
export interface TorchWorkload {
  readonly id: WorkloadId;
  readonly kind: WorkloadSpec["kind"];
  readonly cell: WorkloadSpec["cell"];
  readonly bidirectional: boolean;
  readonly D: number;
  readonly H: number;
  readonly O: number;
  readonly B: number;
  readonly T: number;
  readonly frames: number;
  readonly context: number;
  readonly hidden: readonly number[];
  /** The .safetensors file of weights and data. */
  readonly tensors: string;
}

/** The argument of torch_bench.py. */
export interface TorchJob {
  readonly system: SystemId;
  readonly label: string;
  readonly threads: number;
  readonly plan: RepetitionPlan;
  readonly workloads: readonly TorchWorkload[];
}

/** The tensors of one workload: state dict keys, then `data.*`. */
export function torchTensors(id: WorkloadId, sizes: Sizes): Record<string, Tensor> {
  const spec = WORKLOADS[id];
  const model = benchModel(spec, sizes.H);
  const state = toTorchStateDict(model, initWeights(model, { seed: 1 }), torchMapping(spec));
  const data: Record<string, Tensor> =
    spec.kind === "stream"
      ? { "data.frames": uniformSequence(sizes.frames, 1, D, 3) }
      : { "data.x": uniformSequence(sizes.T, sizes.B, D, 1) };
  if (spec.kind === "train") data["data.target"] = uniformSequence(sizes.T, sizes.B, outputsOf(spec), 2);
  return { ...state, ...data };
}

/**
 * Writes each workload's tensors under `dir` and returns the job.
 * @throws Error when `system` is not a PyTorch system of the catalogue.
 */
export async function writeTorchJob(
  system: SystemId,
  workloads: readonly WorkloadId[],
  sizes: Sizes,
  plan: RepetitionPlan,
  dir: string,
): Promise<TorchJob> {
  const info = systemInfo(system);
  if (info.torchThreads === undefined) throw new Error(`internal: "${system}" is not a PyTorch system`);
  const items: TorchWorkload[] = [];
  for (const id of workloads) {
    const spec = WORKLOADS[id];
    const tensors = join(dir, `${id}-H${sizes.H}-T${sizes.T}-B${sizes.B}.safetensors`);
    await writeFile(tensors, encodeSafetensors(torchTensors(id, sizes)));
    items.push({
      id,
      kind: spec.kind,
      cell: spec.cell,
      bidirectional: spec.bidirectional,
      D,
      H: sizes.H,
      O: outputsOf(spec),
      B: sizes.B,
      T: sizes.T,
      frames: sizes.frames,
      context: FFN_CONTEXT,
      hidden: FFN_HIDDEN,
      tensors,
    });
  }
  return { system, label: info.label, threads: info.torchThreads, plan, workloads: items };
}

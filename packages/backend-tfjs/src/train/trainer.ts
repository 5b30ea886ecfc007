import type { TrainConfig, Trainer, ValidModel, Weights } from "@recurrent/core";
import type { Runtime } from "../runtime.js";
export async function createTrainer(_rt: Runtime, _m: ValidModel, _w: Weights, _c: TrainConfig): Promise<Trainer> {
  throw new Error("todo");
}

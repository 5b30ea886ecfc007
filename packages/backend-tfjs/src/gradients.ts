/** `Backend.gradients`: the loss on one batch and its gradients for every weight and float feed, no update. */
import {
  BackendError,
  type Gradients,
  outputsOf,
  type Tensor,
  type TrainBatch,
  type TrainConfig,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import { checkFeeds } from "./engine/feeds.js";
import { lossAndGradients } from "./engine/loss-and-gradients.js";
import { checkWeights } from "./engine/weights.js";
import { type Runtime, readSync, tidyHost } from "./runtime.js";

/** The value the loss reads, checked. @throws BackendError BAD_CONFIG when the model has no such value. */
export function lossOutput(model: ValidModel, output: string | undefined): string {
  const name = output ?? model.outputs[0]!;
  const values = model.nodes.flatMap((n) => outputsOf(n));
  if (!values.includes(name)) {
    throw new BackendError(
      "BAD_CONFIG",
      `loss output "${name}" is not a value of model "${model.name}"; graph outputs: ${model.outputs.join(", ")}`,
    );
  }
  return name;
}

/**
 * @throws BackendError WEIGHTS, feed errors (see `checkFeeds`), target errors (see the losses), BAD_CONFIG.
 */
export async function computeGradients(
  rt: Runtime,
  model: ValidModel,
  weights: Weights,
  batch: TrainBatch,
  config: Pick<TrainConfig, "loss" | "output">,
): Promise<Gradients> {
  const checkedWeights = checkWeights(model, weights, "gradients");
  const output = lossOutput(model, config.output);
  const feeds = checkFeeds(model, batch.inputs);
  await rt.activate();
  const { tf } = rt;
  return tidyHost(tf, () => {
    const params = new Map([...checkedWeights].map(([k, w]) => [k, rt.upload(w)]));
    const r = lossAndGradients(tf, model, params, feeds, batch.target, config.loss, { output, inputGrads: true });
    const download = (grads: ReadonlyMap<string, ReturnType<typeof rt.upload>>) => {
      const out: Record<string, Tensor> = {};
      for (const [key, g] of grads) out[key] = { shape: [...g.shape], data: readSync(g) };
      return out;
    };
    return { loss: readSync(r.loss)[0]!, weights: download(r.weightGrads), inputs: download(r.inputGrads) };
  });
}

/**
 * `Backend.gradients` on tfjs: core's `computeGradients` checks the weights and the loss output; this uploads
 * them and runs tfjs autodiff over one batch, no update.
 */
import type { Gradients, Tensor, TrainBatch, TrainConfig, ValidModel, Weights } from "@recurrent/core";
import { computeGradients as computeChecked } from "@recurrent/core/engine";
import { checkFeeds } from "./engine/feeds.js";
import { lossAndGradients } from "./engine/loss-and-gradients.js";
import { type Runtime, readSync, tidyHost } from "./runtime.js";

/**
 * @throws BackendError WEIGHTS / NON_FINITE (a weight), BAD_CONFIG (the output), feed errors (see `checkFeeds`),
 *   target errors (see the losses).
 */
export function computeGradients(
  rt: Runtime,
  model: ValidModel,
  weights: Weights,
  batch: TrainBatch,
  config: Pick<TrainConfig, "loss" | "output">,
): Promise<Gradients> {
  return computeChecked(model, weights, batch, config, async ({ weights: checked, loss, output }) => {
    const feeds = checkFeeds(model, batch.inputs);
    await rt.activate();
    const { tf } = rt;
    return tidyHost(tf, () => {
      const params = new Map([...checked].map(([k, w]) => [k, rt.upload(w)]));
      const r = lossAndGradients(tf, model, params, feeds, batch.target, loss, { output, inputGrads: true });
      const download = (grads: ReadonlyMap<string, ReturnType<typeof rt.upload>>) => {
        const out: Record<string, Tensor> = {};
        for (const [key, g] of grads) out[key] = { shape: [...g.shape], data: readSync(g) };
        return out;
      };
      return { loss: readSync(r.loss)[0]!, weights: download(r.weightGrads), inputs: download(r.inputGrads) };
    });
  });
}

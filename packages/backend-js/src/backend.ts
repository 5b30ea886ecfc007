/**
 * The JS backend object: `compile` for inference, `gradients` for checks, `trainer` (from `src/train/`).
 */
import type {
  Backend,
  Executable,
  FeedSizes,
  Feeds,
  Gradients,
  LayerNode,
  Outputs,
  Tensor,
  TrainBatch,
  TrainConfig,
  Trainer,
  TrainingBackend,
  ValidModel,
  Weights,
} from "@recurrent/core";
import { checkEngineWeights, computeGradients, createExecutable, type InferenceEngine } from "@recurrent/core/engine";
import { lossAndGradients } from "./engine/loss-and-gradients.js";
import { compileProgram, type Program } from "./engine/program.js";
import { createTrainer } from "./train/index.js";

const INFERENCE = { record: false } as const;

/**
 * The engine behind core's Executable shell (which checks fetch and feeds first, so `forward` does not check
 * them again). Synchronous, so a streamed frame costs no extra await.
 */
class JsInference implements InferenceEngine {
  readonly #program: Program;

  constructor(program: Program) {
    this.#program = program;
  }

  run(feeds: Feeds, fetch: readonly string[], checked: FeedSizes): Outputs {
    const tape = this.#program.forward(feeds, INFERENCE, checked);
    let total = 0;
    for (let i = 0; i < fetch.length; i++) total += tape.value(fetch[i]!).data.length;
    // Copies, since the engine reuses its buffers on the next run and returned tensors belong to the caller:
    // each exactly its value's size, all views on one new buffer, because allocating an ArrayBuffer costs about
    // a microsecond, which is a tenth of a streamed frame.
    const buffer = new ArrayBuffer(total * Float32Array.BYTES_PER_ELEMENT);
    const out: Record<string, Tensor> = {};
    let offset = 0;
    for (let i = 0; i < fetch.length; i++) {
      const name = fetch[i]!;
      const v = tape.value(name);
      const data = new Float32Array(buffer, offset * Float32Array.BYTES_PER_ELEMENT, v.data.length);
      data.set(v.data);
      offset += v.data.length;
      out[name] = { shape: v.shape.slice(), data };
    }
    return out;
  }

  dispose(): void {}
}

function toTensors(
  arrays: ReadonlyMap<string, Float32Array>,
  shapeOf: (key: string) => readonly number[],
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [key, data] of arrays) out[key] = { shape: [...shapeOf(key)], data: data.slice() };
  return out;
}

class JsBackend implements Backend {
  readonly name = "js";

  supports(_node: LayerNode): true {
    return true;
  }

  async compile(model: ValidModel, weights: Weights): Promise<Executable> {
    checkEngineWeights(model, weights, "compile");
    return createExecutable(model, new JsInference(compileProgram(model, weights, { frozen: true })));
  }

  async trainer(model: ValidModel, weights: Weights, config: TrainConfig): Promise<Trainer> {
    return createTrainer(model, weights, config);
  }

  gradients(
    model: ValidModel,
    weights: Weights,
    batch: TrainBatch,
    config: Pick<TrainConfig, "loss" | "output">,
  ): Promise<Gradients> {
    return computeGradients(model, weights, batch, config, ({ weights: checked, loss, output }) => {
      const program = compileProgram(model, Object.fromEntries(checked));
      const result = lossAndGradients(program, batch, loss, { output });
      const feedShape = (key: string) => (batch.inputs[key] as Tensor).shape;
      return {
        loss: result.loss,
        weights: toTensors(result.weightGrads, (key) => program.weightShapes.get(key)!),
        inputs: toTensors(result.inputGrads, feedShape),
      };
    });
  }
}

/**
 * The pure TypeScript backend (name `"js"`): runs every op of the IR, computes gradients and trains.
 * A factory with no side effects; each call returns an independent backend.
 * @example
 * const exe = await jsBackend().compile(assertValid(model, weights), weights);
 * const { out } = await exe.run({ mfcc: x, lengths });
 */
export function jsBackend(): TrainingBackend {
  return new JsBackend();
}

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
import { resolveThreads } from "./threads/threads-option.js";
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
  readonly #threads: number;

  constructor(threads: number) {
    this.#threads = threads;
  }

  supports(_node: LayerNode): true {
    return true;
  }

  async compile(model: ValidModel, weights: Weights): Promise<Executable> {
    checkEngineWeights(model, weights, "compile");
    return createExecutable(model, new JsInference(compileProgram(model, weights, { frozen: true })));
  }

  async trainer(model: ValidModel, weights: Weights, config: TrainConfig): Promise<Trainer> {
    return createTrainer(model, weights, config, { threads: this.#threads });
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

/** Options of {@link jsBackend}. */
export interface JsBackendOptions {
  /**
   * Threads a trainer uses, the calling one included (integer ≥ 1). Default: the available cores, at most 4.
   * A batch of B ≥ 32 samples is cut into `min(8, floor(B / 16))` shards whatever the count, so results are
   * bit-identical for any value; 1 runs every shard on the calling thread. Workers are Node `worker_threads`,
   * or module Web Workers in a cross-origin-isolated page; where neither can run (or SharedArrayBuffer is
   * missing, as in a page served without COOP/COEP headers) it is always 1.
   */
  readonly threads?: number;
}

/**
 * The pure TypeScript backend (name `"js"`): runs every op of the IR, computes gradients and trains.
 * A factory with no side effects; each call returns an independent backend. Workers start with a trainer's
 * first sharded step and stop when it is disposed.
 * @throws BackendError BAD_CONFIG when `options.threads` is not an integer ≥ 1.
 * @example
 * const exe = await jsBackend().compile(assertValid(model, weights), weights);
 * const { out } = await exe.run({ mfcc: x, lengths });
 */
export function jsBackend(options: JsBackendOptions = {}): TrainingBackend {
  return new JsBackend(resolveThreads(options.threads));
}

/**
 * The JS backend object: `compile` for inference, `gradients` for checks, `trainer` (from `src/train/`).
 */
import {
  type Backend,
  BackendError,
  type Executable,
  type Feeds,
  type Gradients,
  type LayerNode,
  type Outputs,
  outputsOf,
  type RunOptions,
  type Tensor,
  type TrainBatch,
  type TrainConfig,
  type Trainer,
  type TrainingBackend,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import { lossAndGradients } from "./engine/loss-and-gradients.js";
import { compileProgram, type Program } from "./engine/program.js";
import { createTrainer } from "./train/index.js";

const INFERENCE = { record: false } as const;

class JsExecutable implements Executable {
  readonly model: ValidModel;
  readonly #program: Program;
  readonly #values: ReadonlySet<string>;
  #disposed = false;

  constructor(program: Program) {
    this.#program = program;
    this.model = program.model;
    this.#values = new Set(program.model.nodes.flatMap((n) => outputsOf(n)));
  }

  async run(feeds: Feeds, options?: RunOptions): Promise<Outputs> {
    return this.runSync(feeds, options);
  }

  /** {@link JsExecutable.run} without the promise (streaming and benchmarks call it per frame). */
  runSync(feeds: Feeds, options?: RunOptions): Outputs {
    if (this.#disposed) throw new BackendError("DISPOSED", `executable of model "${this.model.name}" was disposed`);
    const fetch = options?.fetch ?? this.model.outputs;
    for (let i = 0; i < fetch.length; i++) {
      const name = fetch[i]!;
      if (!this.#values.has(name)) {
        throw new BackendError(
          "BAD_CONFIG",
          `cannot fetch "${name}": model "${this.model.name}" has no such value; values: ${[...this.#values].join(", ")}`,
        );
      }
    }
    const tape = this.#program.forward(feeds, INFERENCE);
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

  async dispose(): Promise<void> {
    this.#disposed = true;
  }
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
    return new JsExecutable(compileProgram(model, weights, { frozen: true }));
  }

  async trainer(model: ValidModel, weights: Weights, config: TrainConfig): Promise<Trainer> {
    return createTrainer(model, weights, config);
  }

  async gradients(
    model: ValidModel,
    weights: Weights,
    batch: TrainBatch,
    config: Pick<TrainConfig, "loss" | "output">,
  ): Promise<Gradients> {
    const program = compileProgram(model, weights);
    const result = lossAndGradients(program, batch, config.loss, config.output ? { output: config.output } : {});
    const feedShape = (key: string) => (batch.inputs[key] as Tensor).shape;
    return {
      loss: result.loss,
      weights: toTensors(result.weightGrads, (key) => program.weightShapes.get(key)!),
      inputs: toTensors(result.inputGrads, feedShape),
    };
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

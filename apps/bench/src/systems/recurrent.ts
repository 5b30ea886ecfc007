/**
 * The workloads on any Recurrent `Backend` (backend-js, backend-tfjs, onnxBackend), through the public API
 * only: `trainer().step` for W1/W2/W5 (one untimed step in `prepare`), `compile().run` for W3,
 * `stream(exe).push` per frame for W4.
 */
import {
  assertValid,
  type Backend,
  dense,
  frameStack,
  initWeights,
  input,
  rnn,
  sequential,
  stream,
  type Tensor,
  type ValidModel,
} from "@recurrent/core";
import { fullLengths, uniformSequence } from "../data.js";
import {
  D,
  FFN_CONTEXT,
  FFN_HIDDEN,
  H,
  outputsOf,
  type Sizes,
  WORKLOADS,
  type WorkloadId,
  type WorkloadSpec,
} from "../workloads.js";
import { type PreparedStep, SkipError, type System } from "./system.js";

/** Id of the recurrent node in every bench model (the ONNX state inputs are `rnn/h_0`, `rnn/c_0`). */
export const RNN_ID = "rnn";

/**
 * A workload's model: `x [time, batch, 39]` → rnn (`units`, default 128, sequences) → dense 39 per frame
 * (`out`); for W7, `x` → frameStack ±20 → dense 140 relu (`hidden1`) → dense 140 relu (`hidden2`) → dense 40.
 */
export function benchModel(spec: WorkloadSpec, units: number = H): ValidModel {
  const out = dense("out", { units: outputsOf(spec) });
  if (spec.cell === "ffn") {
    const [h1, h2] = FFN_HIDDEN;
    return assertValid(
      sequential(spec.id, [
        input("x", D),
        frameStack("window", { left: FFN_CONTEXT }),
        dense("hidden1", { units: h1, activation: "relu" }),
        dense("hidden2", { units: h2, activation: "relu" }),
        out,
      ]),
    );
  }
  const layer = rnn(RNN_ID, {
    cell: spec.cell,
    units,
    ...(spec.bidirectional ? { direction: "bidirectional" as const, merge: "sum" as const } : {}),
  });
  return assertValid(sequential(spec.id, [input("x", D), layer, out]));
}

/** The node ids of a workload's model, each mapped to itself: PyTorch names its modules the same (torch.ts). */
export function torchMapping(spec: WorkloadSpec): Record<string, string> {
  const ids = spec.cell === "ffn" ? ["hidden1", "hidden2", "out"] : [RNN_ID, "out"];
  return Object.fromEntries(ids.map((id) => [id, id]));
}

/** The frames of a W4 repetition, as `[1, D]` tensors (B = 1). */
export function streamFrames(frames: number): Tensor[] {
  const x = uniformSequence(frames, 1, D, 3);
  return Array.from({ length: frames }, (_, f) => ({ shape: [1, D], data: x.data.subarray(f * D, (f + 1) * D) }));
}

async function prepareOn(backend: Backend, workload: WorkloadId, sizes: Sizes): Promise<PreparedStep> {
  const spec = WORKLOADS[workload];
  const model = benchModel(spec, sizes.H);
  const weights = initWeights(model, { seed: 1 });
  const x = uniformSequence(sizes.T, sizes.B, D, 1);
  const lengths = fullLengths(sizes.T, sizes.B);
  if (spec.kind === "train") {
    if (backend.trainer === undefined) throw new SkipError(`backend "${backend.name}" has no trainer()`);
    const trainer = await backend.trainer(model, weights, { loss: "mse", optimizer: { kind: "adam", lr: 1e-3 } });
    const batch = { inputs: { x, lengths }, target: uniformSequence(sizes.T, sizes.B, outputsOf(spec), 2) };
    // One untimed step: what a trainer starts lazily (backend-js's workers, which compile their own programs)
    // then exists before the warm-ups, as PyTorch's thread pool does when its child starts timing.
    await trainer.step(batch);
    return {
      async run() {
        const { loss } = await trainer.step(batch);
        if (!Number.isFinite(loss)) throw new Error(`${workload}: train step returned loss ${loss}`);
      },
      dispose: () => trainer.dispose(),
    };
  }
  const exe = await backend.compile(model, weights);
  if (spec.kind === "forward") {
    return {
      async run() {
        await exe.run({ x, lengths });
      },
      dispose: () => exe.dispose(),
    };
  }
  const frames = streamFrames(sizes.frames);
  const s = stream(exe);
  return {
    async run() {
      s.reset();
      for (const frame of frames) await s.push(frame);
    },
    dispose: () => exe.dispose(),
  };
}

/**
 * A {@link System} over `backend`. With `skipOnError`, an error while compiling or building the trainer
 * becomes a skip (an optional backend still being written); errors while timing stay failures.
 */
export function recurrentSystem(backend: Backend, options: { skipOnError?: boolean } = {}): System {
  return {
    async prepare(workload, sizes) {
      try {
        return await prepareOn(backend, workload, sizes);
      } catch (err) {
        if (options.skipOnError === true && !(err instanceof SkipError)) {
          throw new SkipError(`compile failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        throw err;
      }
    },
    async dispose() {},
  };
}

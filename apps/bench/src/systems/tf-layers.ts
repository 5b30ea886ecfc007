/**
 * The tf.layers peer, driven directly as a tfjs user would: `tf.sequential` of `tf.layers.lstm` / `gru` (or
 * `bidirectional(lstm, mergeMode "sum")`) returning sequences and `timeDistributed(dense)`, batch-major
 * `[B, T, D]` as tf.layers needs. Train steps are `model.trainOnBatch` with Adam (lr 1e-3) and MSE; W3 is
 * `predict` + reading the result; W4 is a `stateful` copy of the model (`batchInputShape [1, 1, D]`) given one
 * frame per `predict`, its states reset before each repetition. The recurrent kernel is initialized with
 * `glorotUniform` instead of tfjs's orthogonal default (see `buildModel`).
 */
import type * as TF from "@tensorflow/tfjs";
import { toBatchMajor, uniformSequence } from "../data.js";
import { B, D, H, O, type Sizes, WORKLOADS, type WorkloadSpec } from "../workloads.js";
import type { PreparedStep, System } from "./system.js";

type Tf = typeof TF;

/** The workload's model; `batchInputShape` fixes B and T (W4: `[1, 1, D]`, stateful). */
function buildModel(tf: Tf, spec: WorkloadSpec, batchInputShape: [number, number, number], stateful: boolean) {
  const model = tf.sequential();
  const cell = (extra: Record<string, unknown>) => {
    // tfjs's default orthogonal recurrent init runs a QR that takes over a minute on cpu under load; weight
    // values do not change the timing, so a cheap init keeps the untimed setup short.
    const args = { units: H, returnSequences: true, recurrentInitializer: "glorotUniform" as const, ...extra };
    return spec.cell === "lstm" ? tf.layers.lstm(args) : tf.layers.gru(args);
  };
  if (spec.bidirectional) {
    model.add(tf.layers.bidirectional({ layer: cell({}) as TF.layers.RNN, mergeMode: "sum", batchInputShape }));
  } else {
    model.add(cell({ batchInputShape, stateful }));
  }
  model.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: O }) }));
  return model;
}

function prepare(tf: Tf, spec: WorkloadSpec, sizes: Sizes): PreparedStep {
  if (spec.kind === "stream") {
    const model = buildModel(tf, spec, [1, 1, D], true);
    const frames = uniformSequence(sizes.frames, 1, D, 3).data;
    return {
      async run() {
        model.resetStates();
        for (let f = 0; f < sizes.frames; f++) {
          const x = tf.tensor3d(frames.subarray(f * D, (f + 1) * D), [1, 1, D]);
          const y = model.predict(x) as TF.Tensor;
          y.dataSync();
          x.dispose();
          y.dispose();
        }
      },
      async dispose() {
        model.dispose();
      },
    };
  }
  const model = buildModel(tf, spec, [B, sizes.T, D], false);
  const xs = tf.tensor3d(toBatchMajor(uniformSequence(sizes.T, B, D, 1)), [B, sizes.T, D]);
  const ys = tf.tensor3d(toBatchMajor(uniformSequence(sizes.T, B, O, 2)), [B, sizes.T, O]);
  const free = async () => {
    model.dispose();
    xs.dispose();
    ys.dispose();
  };
  if (spec.kind === "forward") {
    return {
      async run() {
        const y = model.predict(xs) as TF.Tensor;
        await y.data();
        y.dispose();
      },
      dispose: free,
    };
  }
  model.compile({ optimizer: tf.train.adam(1e-3), loss: "meanSquaredError" });
  return {
    async run() {
      const loss = await model.trainOnBatch(xs, ys);
      if (typeof loss !== "number" || !Number.isFinite(loss)) throw new Error(`trainOnBatch returned ${loss}`);
    },
    dispose: free,
  };
}

/** tf.layers on tfjs's `cpu` backend or on `wasm` (SIMD; one thread in Node). */
export async function loadTfLayers(device: "cpu" | "wasm"): Promise<System> {
  const tf = await import("@tensorflow/tfjs");
  if (device === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.setBackend(device))) throw new Error(`tf.setBackend("${device}") failed`);
  await tf.ready();
  return {
    async prepare(workload, sizes) {
      return prepare(tf, WORKLOADS[workload], sizes);
    },
    async dispose() {},
  };
}

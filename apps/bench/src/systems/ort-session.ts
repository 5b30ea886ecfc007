/**
 * The onnxruntime-node peer: the model exported by `exportOnnx` (plain state inputs) opened in a bare
 * `InferenceSession` with one intra-op thread, and `session.run` called directly. W3 runs `[T, B]` at once;
 * W4 wraps each frame in an `ort.Tensor`, runs, and feeds the returned `rnn/h`, `rnn/c` back as
 * `rnn/h_0`, `rnn/c_0`.
 */
import { initWeights } from "@recurrent/core";
import { exportOnnx, stateInputName } from "@recurrent/onnx";
import { fullLengths, uniformSequence } from "../data.js";
import { B, D, H, type Sizes, WORKLOADS, type WorkloadId } from "../workloads.js";
import { benchModel, RNN_ID } from "./recurrent.js";
import { type PreparedStep, SkipError, type System } from "./system.js";

type Ort = typeof import("onnxruntime-node");

async function prepare(ort: Ort, workload: WorkloadId, sizes: Sizes): Promise<PreparedStep> {
  const spec = WORKLOADS[workload];
  if (spec.kind === "train") throw new SkipError("onnxruntime-node runs inference only");
  const model = benchModel(spec);
  const bytes = exportOnnx(model, initWeights(model, { seed: 1 })); // state inputs are plain graph inputs
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    logSeverityLevel: 3,
  });
  const h0 = stateInputName(RNN_ID, "h");
  const c0 = stateInputName(RNN_ID, "c");
  const expected = ["x", "lengths", h0, c0];
  if (expected.some((name) => !session.inputNames.includes(name))) {
    throw new Error(`exported model inputs are ${session.inputNames.join(", ")}; expected ${expected.join(", ")}`);
  }
  const zeros = (b: number) => new ort.Tensor("float32", new Float32Array(b * H), [1, b, H]);
  const dispose = () => session.release();
  if (spec.kind === "forward") {
    const feeds = {
      x: new ort.Tensor("float32", uniformSequence(sizes.T, B, D, 1).data, [sizes.T, B, D]),
      lengths: new ort.Tensor("int32", fullLengths(sizes.T, B), [B]),
      [h0]: zeros(B),
      [c0]: zeros(B),
    };
    return {
      async run() {
        await session.run(feeds);
      },
      dispose,
    };
  }
  const frames = uniformSequence(sizes.frames, 1, D, 3).data;
  const lengths = new ort.Tensor("int32", fullLengths(1, 1), [1]);
  const hOut = `${RNN_ID}/h`;
  const cOut = `${RNN_ID}/c`;
  return {
    async run() {
      let h: InstanceType<Ort["Tensor"]> = zeros(1);
      let c: InstanceType<Ort["Tensor"]> = zeros(1);
      for (let f = 0; f < sizes.frames; f++) {
        const x = new ort.Tensor("float32", frames.subarray(f * D, (f + 1) * D), [1, 1, D]);
        const out = await session.run({ x, lengths, [h0]: h, [c0]: c });
        h = out[hOut]!;
        c = out[cOut]!;
      }
    },
    dispose,
  };
}

/** onnxruntime-node, CPU execution provider. */
export async function loadOrtSession(): Promise<System> {
  const ort = await import("onnxruntime-node");
  return {
    prepare: (workload, sizes) => prepare(ort, workload, sizes),
    async dispose() {},
  };
}

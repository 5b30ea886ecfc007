/**
 * The brain.js peer: `recurrent.LSTMTimeStep` (W1, W3) and `GRUTimeStep` (W2) with 39 inputs, one hidden layer
 * of 128 and 39 outputs. brain.js has no batches: it learns one sequence at a time, predicting each next frame,
 * with its own update after every sequence (RMSprop with element clipping, not Adam). So a "step" here is what
 * `net.train(32 sequences, { iterations: 1 })` does per iteration — `trainPattern` on each of the 32 sequences
 * of T frames — without re-formatting the data each time. W3 is `runArrayOfArray` (what `run` dispatches to)
 * on each of the 32 sequences. FLOPs are counted as W1's / W2's / W3's.
 */
import { sampleFrames, uniformSequence } from "../data.js";
import { B, D, H, O, type Sizes, WORKLOADS, type WorkloadId } from "../workloads.js";
import { type PreparedStep, SkipError, type System } from "./system.js";

type Brain = typeof import("brain.js");

function prepare(brain: Brain, workload: WorkloadId, sizes: Sizes): PreparedStep {
  const spec = WORKLOADS[workload];
  if (spec.kind === "stream" || spec.bidirectional) throw new SkipError(`brain.js cannot run ${workload}`);
  const Net = spec.cell === "lstm" ? brain.recurrent.LSTMTimeStep : brain.recurrent.GRUTimeStep;
  const net = new Net({ inputSize: D, hiddenLayers: [H], outputSize: O });
  const x = uniformSequence(sizes.T, B, D, 1);
  const sequences = Array.from({ length: B }, (_, n) => sampleFrames(x, n));
  // One train call on plain arrays sizes and initializes the network (brain.js's own entry point), untimed.
  net.train([sequences[0]!.map((f) => Array.from(f))], { iterations: 1, errorThresh: 0, log: false });
  const dispose = async () => {};
  if (spec.kind === "forward") {
    return {
      async run() {
        for (const seq of sequences) net.runArrayOfArray(seq);
      },
      dispose,
    };
  }
  return {
    async run() {
      let error = 0;
      for (const seq of sequences) error += net.trainPattern(seq, true);
      if (!Number.isFinite(error)) throw new Error(`brain.js trainPattern error ${error}`);
    },
    dispose,
  };
}

/** brain.js 2.0.0-beta.24 on the CPU (its gpu.js peer is imported but unused by the recurrent nets). */
export async function loadBrain(): Promise<System> {
  const mod = (await import("brain.js")) as Brain & { default?: Brain };
  const brain = mod.recurrent === undefined && mod.default !== undefined ? mod.default : mod;
  return {
    async prepare(workload, sizes) {
      return prepare(brain, workload, sizes);
    },
    async dispose() {},
  };
}

/**
 * What a training worker does with each message, whatever starts it (worker.ts on Node's `worker_threads`,
 * web-worker.ts in a browser's Web Worker): compiles the model once per shard slot and runs the shards it is
 * sent. No `node:` import, so a browser worker can load it.
 */
import { assertValid, BackendError, feedPlan, type ValidModel } from "@recurrent/core";
import { setKernelMode, setProductKernel } from "../math/wasm/simd-support.js";
import type {
  BackwardReply,
  ErrorReply,
  ForwardReply,
  FromWorker,
  InitMessage,
  StepMessage,
  StepReply,
  ToWorker,
  WeightLayout,
} from "./protocol.js";
import { weightViews } from "./protocol.js";
import { ShardRunner } from "./shard-runner.js";

let runner: ShardRunner | undefined;
let layout: WeightLayout | undefined;
let model: ValidModel | undefined;
/** Slots of the last forward, in message order. */
let slots: number[] = [];

function init(message: InitMessage): void {
  layout = message.layout;
  model = assertValid(message.graph);
  const shapes = new Map(layout.keys.map((key, i) => [key, layout!.shapes[i]!]));
  runner = new ShardRunner(model, message.options, message.output, weightViews(layout, message.weights), shapes);
}

/** Every weight's gradient in one array laid out like the shared weights (transferred back). */
function pack(weightGrads: ReadonlyMap<string, Float32Array>): Float32Array {
  const packed = new Float32Array(layout!.total);
  layout!.keys.forEach((key, k) => {
    const g = weightGrads.get(key);
    if (g !== undefined) packed.set(g, layout!.offsets[k]!);
  });
  return packed;
}

function step(message: StepMessage): StepReply {
  setKernelMode(message.mode);
  setProductKernel(message.product);
  const plan = feedPlan(model!);
  const done = message.shards.map((s) => {
    const sizes = { plan, batch: s.batch, dims: s.dims };
    const r = runner!.step(s.slot, { feeds: s.feeds, seed: s.seed, sizes }, message.carry, s.target, message.count);
    return { sum: r.sum, frames: r.frames, states: r.states, grads: pack(r.grads) };
  });
  return {
    kind: "step",
    id: message.id,
    sums: done.map((d) => d.sum),
    frames: done.map((d) => d.frames),
    states: done.map((d) => d.states),
    grads: done.map((d) => d.grads),
  };
}

function handle(message: ToWorker): ForwardReply | BackwardReply | StepReply | undefined {
  if (message.kind === "init") {
    init(message);
    return undefined;
  }
  if (runner === undefined || layout === undefined) throw new Error("training worker: a step came before init");
  if (message.kind === "step") return step(message);
  if (message.kind === "forward") {
    setKernelMode(message.mode);
    setProductKernel(message.product);
    slots = message.shards.map((s) => s.slot);
    const done = message.shards.map((s) => runner!.forward(s.slot, s.feeds, s.seed, message.carry));
    return {
      kind: "forward",
      id: message.id,
      // Copies: a view would clone its whole underlying buffer (the tape's, or WebAssembly memory).
      outputs: done.map(({ output }) => ({
        shape: [...output.shape],
        data: output.data.slice(),
        lengths: output.lengths?.slice(),
      })),
      states: done.map(({ states }) => states),
    };
  }
  const grads = message.seeds.map((seed, i) => pack(runner!.backward(slots[i]!, seed)));
  return { kind: "backward", id: message.id, grads };
}

/**
 * Handles one message and posts the reply (if any) with `post`: gradients are transferred, a failure is sent
 * back as an {@link ErrorReply} (a BackendError keeps its code) and the worker keeps serving.
 */
export function serve(message: ToWorker, post: (reply: FromWorker, transfer: ArrayBuffer[]) => void): void {
  try {
    const reply = handle(message);
    if (reply === undefined) return;
    const transfer =
      reply.kind === "backward" || reply.kind === "step" ? reply.grads.map((g) => g.buffer as ArrayBuffer) : [];
    post(reply, transfer);
  } catch (err) {
    const reply: ErrorReply = {
      kind: "error",
      id: "id" in message ? message.id : -1,
      code: err instanceof BackendError ? err.code : undefined,
      message: err instanceof Error ? err.message : String(err),
    };
    post(reply, []);
  }
}

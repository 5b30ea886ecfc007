/**
 * Truncated backpropagation through time: a batch's time axis is cut into chunks of k steps; each chunk is one
 * forward/backward/update, starting from the final states of the previous chunk (detached: fed as plain
 * `<rnnId>/h`, `<rnnId>/c` initial-state feeds, so no gradient flows back across a chunk boundary). The planning
 * (may this model be truncated?) and the slicing are plain data work shared by every training backend; running
 * each chunk through an engine stays in the backend.
 */
import type { Feeds, TrainBatch } from "../backend/backend.js";
import { BackendError } from "../backend/errors.js";
import { stateOutputs } from "../ir/nodes.js";
import type { ValidModel } from "../ir/valid-model.js";
import type { IntTensor, Tensor } from "../tensor/tensor.js";
import type { LossConfig } from "./config.js";

function refuse(reason: string, nodeId?: string): BackendError {
  return new BackendError(
    "BAD_CONFIG",
    `train config: truncateSteps cannot apply to this model: ${reason}; hint: drop truncateSteps (full BPTT) or ` +
      "use a causal, frame-by-frame model (forward rnn layers with returnSequences, per-frame loss)",
    nodeId,
  );
}

/**
 * Checks that chunking the time axis and carrying states reproduces the model's forward pass exactly.
 * @throws BackendError BAD_CONFIG naming the node: a bidirectional or reverse rnn (it needs the whole sequence), an
 *   rnn with wired initial states or without returnSequences, lastStep / pool / repeat (they join or make the time
 *   axis), a frameStack or conv1d whose window crosses chunk boundaries, sequence inputs on different time axes, or
 *   a loss output that is not a sequence.
 */
export function checkTruncatable(model: ValidModel, output: string): void {
  const times = new Set<unknown>();
  for (const node of model.nodes) {
    const at = `node "${node.id}" (${node.op})`;
    switch (node.op) {
      case "rnn":
        if (node.direction !== "forward") {
          throw refuse(`${at} is ${node.direction}; it must see the whole sequence before its first output`, node.id);
        }
        if (node.inputs.slice(1).some((name) => name !== "")) {
          throw refuse(
            `${at} has wired initial states; chunks after the first must start from carried states`,
            node.id,
          );
        }
        if (!node.returnSequences) throw refuse(`${at} returns only its last step (returnSequences false)`, node.id);
        break;
      case "lastStep":
      case "pool":
      case "repeat":
        throw refuse(`${at} joins or creates the time axis, so one chunk cannot stand for the sequence`, node.id);
      case "frameStack":
        if (node.left + node.right > 0) throw refuse(`${at} looks across frames, which chunk boundaries cut`, node.id);
        break;
      case "conv1d":
        if (node.kernelSize > 1) throw refuse(`${at} looks across frames, which chunk boundaries cut`, node.id);
        if ((node.stride ?? 1) > 1) throw refuse(`${at} has stride ${node.stride}, so chunks would not align`, node.id);
        break;
      case "pad":
        if (node.before + node.after > 0) throw refuse(`${at} pads the time axis of each chunk`, node.id);
        break;
      case "input":
        if (model.info.lengthsOf.has(node.id)) times.add(model.info.shapes.get(node.id)?.[0]);
        break;
      case "dense":
      case "activation":
      case "dropout":
      case "magnitude":
      case "concat":
      case "add":
        break;
      default:
        node satisfies never;
    }
  }
  if (times.size > 1) throw refuse(`sequence inputs run on ${times.size} different time axes`);
  if (!model.info.lengthsOf.has(output)) throw refuse(`the loss output "${output}" is not a sequence [time, batch, D]`);
}

/** One chunk of a batch: steps `start .. start+steps-1`; its tensors are views into the batch's. */
export interface TrainChunk {
  readonly start: number;
  readonly steps: number;
  readonly batch: TrainBatch;
}

function sliceTime<T extends Tensor | IntTensor>(t: T, start: number, steps: number): T {
  const frame = t.shape.slice(1).reduce((a, b) => a * b, 1);
  const data = t.data.subarray(start * frame, (start + steps) * frame);
  return { shape: [steps, ...t.shape.slice(1)], data } as unknown as T;
}

/**
 * Cuts a batch into chunks of at most `k` steps along the time axis of length `T`. Sequence input feeds and the
 * target are sliced (views, no copy), lengths feeds become each sample's valid steps inside the chunk (0 when it
 * ended earlier: its state then passes through unchanged), state feeds go to the first chunk only, other feeds to
 * every chunk. The model must pass {@link checkTruncatable} and the batch {@link checkTrainBatch} (with
 * `truncating`), whose `T` is the `T` here; throws nothing itself. `k` is the chunk size (`truncateSteps`, >= 1).
 */
export function chunkTrainBatch(model: ValidModel, batch: TrainBatch, T: number, k: number): TrainChunk[] {
  const sequenceInputs = new Set<string>();
  const lengthsFeeds = new Set<string>();
  const stateFeeds = new Set<string>();
  for (const node of model.nodes) {
    if (node.op === "input" && model.info.lengthsOf.has(node.id)) {
      sequenceInputs.add(node.id);
      const lengths = model.info.lengthsOf.get(node.id);
      if (lengths !== undefined) lengthsFeeds.add(lengths);
    }
    if (node.op === "rnn") for (const name of stateOutputs(node)) stateFeeds.add(name);
  }
  const chunks: TrainChunk[] = [];
  for (let start = 0; start < T; start += k) {
    const steps = Math.min(k, T - start);
    const inputs: Record<string, Tensor | Int32Array> = {};
    for (const [name, feed] of Object.entries(batch.inputs as Feeds)) {
      if (feed instanceof Int32Array) {
        inputs[name] = lengthsFeeds.has(name) ? feed.map((L) => Math.max(0, Math.min(L - start, steps))) : feed;
      } else if (sequenceInputs.has(name)) {
        inputs[name] = sliceTime(feed, start, steps);
      } else if (!stateFeeds.has(name) || start === 0) {
        inputs[name] = feed;
      }
    }
    chunks.push({ start, steps, batch: { inputs, target: sliceTime(batch.target, start, steps) } });
  }
  return chunks;
}

/**
 * How much a chunk's (mean) loss counts in its batch's mean: `frames`, the chunk's valid frames (per sample, its
 * lengths value in the chunk for the loss output's sequence; `steps` when no lengths are fed), and `weight`, those
 * frames again, or for softmax cross-entropy with `classWeights` the sum of the class weights of the labels at
 * them (binary cross-entropy's mean is over frames, so its weight is the frames). A chunk of
 * {@link chunkTrainBatch}; throws nothing.
 */
export function trainChunkWeight(
  model: ValidModel,
  chunk: TrainChunk,
  output: string,
  loss: LossConfig,
): { readonly frames: number; readonly weight: number } {
  const lengthsName = model.info.lengthsOf.get(output);
  const lengths = lengthsName === undefined ? undefined : chunk.batch.inputs[lengthsName];
  const B = chunk.batch.target.shape[1]!;
  // Only softmax cross-entropy divides by the summed class weights; binary cross-entropy weighs each frame but
  // divides by the frames (and its float targets are no class indices).
  const classWeights = loss.kind === "softmaxCrossEntropy" ? loss.classWeights : undefined;
  let frames = 0;
  let weight = 0;
  for (let b = 0; b < B; b++) {
    const valid = lengths instanceof Int32Array ? lengths[b]! : chunk.steps;
    frames += valid;
    if (classWeights) for (let t = 0; t < valid; t++) weight += classWeights[chunk.batch.target.data[t * B + b]!] ?? 0;
  }
  return { frames, weight: classWeights ? weight : frames };
}

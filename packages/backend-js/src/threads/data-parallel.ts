/**
 * Data-parallel gradients for the trainer: the batch is cut into shards fixed by its size (shards.ts), the
 * calling thread and `threads − 1` workers run forward on their shards, the calling thread computes the loss of
 * the whole batch from the joined outputs (so the loss and its normaliser are exactly the single-program ones),
 * the shards backpropagate their slice of its gradient, and their weight gradients are summed in shard order.
 * The sum, and so every update, is bit-identical for any thread count; with one thread the shards run one after
 * the other on the calling thread.
 */
import {
  checkModelFeeds,
  type FeedPlan,
  type FeedSizes,
  feedPlan,
  type LossConfig,
  type Rng,
  type Tensor,
  type TrainBatch,
  type ValidModel,
  zeroPaddedFeeds,
} from "@recurrent/core";
import type { Program, ProgramOptions } from "../engine/program.js";
import type { Value } from "../engine/value.js";
import { runLoss } from "../loss/loss.js";
import { kernelMode, productKernelChoice } from "../math/wasm/simd-support.js";
import {
  type BackwardReply,
  type ForwardReply,
  type ShardJob,
  type StepJob,
  type StepReply,
  type WeightLayout,
  weightLayout,
  weightViews,
} from "./protocol.js";
import { type MseCount, mseCountOf } from "./shard-loss.js";
import { ShardRunner } from "./shard-runner.js";
import {
  assignShards,
  joinBatch,
  joinValues,
  type Shard,
  shardable,
  shardFeeds,
  shardsOf,
  sliceBatch,
} from "./shards.js";
import { WorkerPool } from "./worker-pool.js";

/** What {@link DataParallel.gradients} returns besides the gradients it writes. */
export interface ShardedResult {
  readonly loss: number;
  /** Every rnn's final states for the whole batch, when asked for. */
  readonly states: Readonly<Record<string, Tensor>>;
}

export class DataParallel {
  readonly #model: ValidModel;
  readonly #program: Program;
  readonly #options: ProgramOptions;
  readonly #loss: LossConfig;
  readonly #output: string;
  readonly #threads: number;
  readonly #layout: WeightLayout;
  readonly #local: ShardRunner;
  #pool: WorkerPool | undefined;
  #shared: Map<string, Float32Array> | undefined;
  /** No workers could start: every shard runs here (same results, one core). */
  #alone = false;
  #nextId = 0;

  /**
   * @param program the trainer's program: its live weights are read before each step.
   * @param options what `program` was compiled with (each shard's program is compiled the same way).
   * @param threads threads to use, this one included (≥ 1; resolved by the caller).
   */
  constructor(
    model: ValidModel,
    program: Program,
    options: ProgramOptions,
    config: { readonly loss: LossConfig; readonly output: string },
    threads: number,
  ) {
    this.#model = model;
    this.#program = program;
    this.#options = options;
    this.#loss = config.loss;
    this.#output = config.output;
    this.#threads = threads;
    this.#layout = weightLayout(program.weights, program.weightShapes);
    this.#local = new ShardRunner(model, options, config.output, program.weights, program.weightShapes);
  }

  /**
   * Forward, the loss of the whole batch and backward over the batch's shards, summed in shard order into
   * `into` (one array per trained weight key; keys absent from it are not summed). Undefined when the batch is
   * a single shard: the caller then runs its own program, which gives the same result.
   * @throws BackendError on bad feeds or a bad target, before anything is written to `into`.
   */
  gradients(
    batch: TrainBatch,
    rng: Rng,
    carry: boolean,
    into: ReadonlyMap<string, Float32Array>,
  ): Promise<ShardedResult> | undefined {
    const plan = feedPlan(this.#model);
    if (!shardable(plan)) return undefined;
    const sizes = checkModelFeeds(this.#model, batch.inputs);
    const shards = shardsOf(sizes.batch);
    if (shards.length === 1) return undefined;
    // One dropout stream per shard, drawn in shard order: the masks do not depend on where a shard runs.
    const seeds = shards.map(() => rng.next());
    const mse = mseCountOf(this.#model, plan, batch, this.#loss, this.#output);
    if (mse !== undefined) return this.#runSteps(shards, plan, sizes, seeds, batch, carry, into, mse);
    const jobs = (list: readonly Shard[]): ShardJob[] =>
      list.map((s, slot) => ({ slot, feeds: shardFeeds(plan, batch.inputs, s), seed: seeds[s.index]! }));
    return this.#run(shards, jobs, batch, carry, into);
  }

  async #run(
    shards: readonly Shard[],
    jobs: (list: readonly Shard[]) => ShardJob[],
    batch: TrainBatch,
    carry: boolean,
    into: ReadonlyMap<string, Float32Array>,
  ): Promise<ShardedResult> {
    const groups = assignShards(shards, this.#alone ? 1 : this.#threads);
    // Runners with shards come first (contiguous assignment), so worker w takes group w + 1.
    const remote = groups.slice(1).filter((g) => g.length > 0);
    const pool = remote.length > 0 ? this.#startPool() : undefined;
    const links = pool?.take(remote.length) ?? [];
    const mine = pool === undefined ? shards : groups[0]!;
    if (pool !== undefined) {
      for (const [key, view] of this.#shared!) view.set(this.#program.weights.get(key)!);
    }
    const id = this.#nextId++;
    const mode = kernelMode();
    const product = productKernelChoice();
    const forwards =
      pool === undefined
        ? []
        : remote.map((group, w) =>
            links[w]!.request<ForwardReply>({ kind: "forward", id, mode, product, carry, shards: jobs(group) }),
          );
    // Our shards run while the workers run theirs; a failure here still waits for theirs (a worker's next
    // message must not overtake a step in flight).
    let local: ReturnType<ShardRunner["forward"]>[];
    try {
      local = jobs(mine).map((job) => this.#local.forward(job.slot, job.feeds, job.seed, carry));
    } catch (err) {
      await Promise.allSettled(forwards);
      throw err;
    }
    const replies = await Promise.all(forwards);
    const outputs: Value[] = local.map((s) => s.output);
    const states = local.map((s) => s.states);
    for (const reply of replies) {
      for (const o of reply.outputs) outputs.push(o);
      for (const s of reply.states) states.push(s);
    }
    const sizes = shards.map((s) => s.size);
    const y = joinValues(outputs, sizes);
    const { value, grad } = runLoss(this.#loss, y, batch.target, this.#output);
    const axis = y.shape.length === 3 ? 1 : 0;
    const seedOf = (s: Shard) => sliceBatch(grad, y.shape, axis, s.start, s.size);
    const backwards = (pool === undefined ? [] : remote).map((group, w) =>
      links[w]!.request<BackwardReply>({ kind: "backward", id, seeds: group.map(seedOf) }),
    );
    const grads: ((key: string) => Float32Array | undefined)[] = [];
    try {
      for (const [slot, s] of mine.entries()) {
        const g = this.#local.backward(slot, seedOf(s));
        grads.push((key) => g.get(key));
      }
    } catch (err) {
      await Promise.allSettled(backwards);
      throw err;
    }
    for (const reply of await Promise.all(backwards)) {
      for (const packed of reply.grads) {
        const views = weightViews(this.#layout, packed.buffer);
        grads.push((key) => views.get(key));
      }
    }
    sumInOrder(into, grads);
    return { loss: value, states: carry ? joinStates(states, sizes) : {} };
  }

  /**
   * The one-message step (shard-loss.ts): every shard runs forward, its part of the MSE (normalised by the
   * whole batch's count) and backward where it is, so a worker gets one message per step and nothing is joined
   * here but the loss sums, in shard order. The feeds were checked as a whole; shards skip the checks.
   */
  async #runSteps(
    shards: readonly Shard[],
    plan: FeedPlan,
    sizes: FeedSizes,
    seeds: readonly number[],
    batch: TrainBatch,
    carry: boolean,
    into: ReadonlyMap<string, Float32Array>,
    mse: MseCount,
  ): Promise<ShardedResult> {
    const count = mse.frames * mse.features;
    const feeds = zeroPaddedFeeds(this.#model, batch.inputs);
    const target = batch.target as Tensor;
    const axis = target.shape.length === 3 ? 1 : 0;
    const b = plan.symbols.indexOf("batch");
    const jobs = (list: readonly Shard[]): StepJob[] =>
      list.map((s, slot) => ({
        slot,
        feeds: shardFeeds(plan, feeds, s),
        seed: seeds[s.index]!,
        target: {
          shape: target.shape.map((d, i) => (i === axis ? s.size : d)),
          data: sliceBatch(target.data, target.shape, axis, s.start, s.size),
        },
        batch: s.size,
        dims: sizes.dims.map((d, i) => (i === b ? s.size : d)),
      }));
    const groups = assignShards(shards, this.#alone ? 1 : this.#threads);
    const remote = groups.slice(1).filter((g) => g.length > 0);
    const pool = remote.length > 0 ? this.#startPool() : undefined;
    const links = pool?.take(remote.length) ?? [];
    const mine = pool === undefined ? shards : groups[0]!;
    if (pool !== undefined) {
      for (const [key, view] of this.#shared!) view.set(this.#program.weights.get(key)!);
    }
    const id = this.#nextId++;
    const [mode, product] = [kernelMode(), productKernelChoice()];
    const replies =
      pool === undefined
        ? []
        : remote.map((group, w) =>
            links[w]!.request<StepReply>({ kind: "step", id, mode, product, carry, count, shards: jobs(group) }),
          );
    const sums: number[] = [];
    const frames: number[] = [];
    const states: Readonly<Record<string, Tensor>>[] = [];
    const grads: ((key: string) => Float32Array | undefined)[] = [];
    try {
      for (const job of jobs(mine)) {
        const sized = { plan, batch: job.batch, dims: job.dims };
        const r = this.#local.step(
          job.slot,
          { feeds: job.feeds, seed: job.seed, sizes: sized },
          carry,
          job.target,
          count,
        );
        sums.push(r.sum);
        frames.push(r.frames);
        states.push(r.states);
        grads.push((key) => r.grads.get(key));
      }
    } catch (err) {
      await Promise.allSettled(replies);
      throw err;
    }
    for (const reply of await Promise.all(replies)) {
      sums.push(...reply.sums);
      frames.push(...reply.frames);
      states.push(...reply.states);
      for (const packed of reply.grads) {
        const views = weightViews(this.#layout, packed.buffer);
        grads.push((key) => views.get(key));
      }
    }
    const seen = frames.reduce((a, f) => a + f, 0);
    if (seen !== mse.frames) {
      throw new Error(`internal: the shards' outputs have ${seen} valid frames, the feeds ${mse.frames}`);
    }
    sumInOrder(into, grads);
    const sum = sums.reduce((a, s) => a + s, 0);
    return {
      loss: count === 0 ? 0 : sum / count,
      states: carry
        ? joinStates(
            states,
            shards.map((s) => s.size),
          )
        : {},
    };
  }

  /** The workers, started on first use; undefined (and every later step alone) when they cannot start. */
  #startPool(): WorkerPool | undefined {
    if (this.#pool !== undefined || this.#alone) return this.#pool;
    const buffer = new SharedArrayBuffer(this.#layout.total * Float32Array.BYTES_PER_ELEMENT);
    const { format, name, nodes, outputs } = this.#model;
    this.#pool = WorkerPool.create({
      kind: "init",
      graph: { format, name, nodes, outputs },
      options: this.#options,
      output: this.#output,
      layout: this.#layout,
      weights: buffer,
    });
    if (this.#pool === undefined) this.#alone = true;
    else this.#shared = weightViews(this.#layout, buffer);
    return this.#pool;
  }

  /** Workers running now: as many as the largest batch so far needed, at most `threads − 1`. */
  get workers(): number {
    return this.#pool?.size ?? 0;
  }

  /** Stops the workers. */
  async dispose(): Promise<void> {
    await this.#pool?.terminate();
    this.#pool = undefined;
  }
}

/** `into[key] = g₀ + g₁ + …` in shard order, float32 after each addition (the same bits wherever shards ran). */
function sumInOrder(
  into: ReadonlyMap<string, Float32Array>,
  grads: readonly ((key: string) => Float32Array | undefined)[],
): void {
  for (const [key, sum] of into) {
    sum.set(grads[0]!(key)!);
    for (let s = 1; s < grads.length; s++) addInto(sum, grads[s]!(key)!);
  }
}

/** `sum += g` elementwise (its own function: V8 then optimizes the loop alone, not the closures around it). */
function addInto(sum: Float32Array, g: Float32Array): void {
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + g[i]!;
}

function joinStates(
  parts: readonly Readonly<Record<string, Tensor>>[],
  sizes: readonly number[],
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const key of Object.keys(parts[0]!)) {
    const first = parts[0]![key]!;
    const B = sizes.reduce((a, b) => a + b, 0);
    const data = joinBatch(
      parts.map((p) => p[key]!.data),
      sizes,
      first.shape,
      1,
    );
    out[key] = { shape: [first.shape[0]!, B, first.shape[2]!], data };
  }
  return out;
}

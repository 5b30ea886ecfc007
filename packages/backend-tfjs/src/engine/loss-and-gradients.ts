/**
 * Forward, loss and reverse-mode gradients through tfjs autodiff, for `Backend.gradients` and the trainer.
 * Runs inside the caller's `tf.tidy`.
 */
import {
  type IntTensor,
  type LossConfig,
  type LossKind,
  type Rng,
  stateOutputs,
  type Tensor,
  type ValidModel,
} from "@recurrent/core";
import { prepareLoss } from "../loss/loss.js";
import type { Tf, TfTensor } from "../tf.js";
import type { CheckedFeeds } from "./feeds.js";
import { forward, uploadFeeds } from "./forward.js";
import { concreteShape } from "./shapes.js";

/** Options of {@link lossAndGradients}. */
export interface LossAndGradientsOptions {
  /** The graph output the loss reads. */
  readonly output: string;
  /** Dropout active (default false); then `rng` is required. */
  readonly training?: boolean;
  readonly rng?: Rng;
  /** Also differentiate with respect to every float feed (default false). */
  readonly inputGrads?: boolean;
  /** Also return every rnn's final states (kept: the caller must dispose them). */
  readonly states?: boolean;
  /**
   * Weight keys to leave out: no gradient is computed for them (tfjs then skips every backward op that only they
   * need, such as the whole backward pass below a frozen encoder) and `weightGrads` has no entry for them.
   */
  readonly frozen?: ReadonlySet<string>;
  /** Cache for tensors derived from frozen nodes' weights (see `ForwardOptions.derived`). */
  readonly derived?: { readonly cache: Map<string, TfTensor>; readonly nodes: ReadonlySet<string> };
}

/** Result of {@link lossAndGradients}; tensors belong to the caller's scope unless noted. */
export interface LossAndGradients {
  /** Scalar loss. */
  readonly loss: TfTensor;
  /** d loss / d weight by key (zeros where the loss does not depend on the weight), frozen weights left out. */
  readonly weightGrads: ReadonlyMap<string, TfTensor>;
  /** d loss / d feed for inputs (by input id) and fed states (by key), when asked. */
  readonly inputGrads: ReadonlyMap<string, TfTensor>;
  /** Final states `<rnnId>/h|c` when asked, kept out of every scope: dispose them. */
  readonly states: ReadonlyMap<string, TfTensor>;
}

/** The values a loss reads that may not be reachable from every source: their gradient is then zero. */
function orZeros(tf: Tf, grad: TfTensor | undefined, like: TfTensor): TfTensor {
  return grad ?? tf.zeros(like.shape);
}

/**
 * @throws BackendError from the loss (target shape, labels) or the kernels.
 */
export function lossAndGradients(
  tf: Tf,
  model: ValidModel,
  params: ReadonlyMap<string, TfTensor>,
  checked: CheckedFeeds,
  target: Tensor | IntTensor,
  loss: LossKind | LossConfig,
  options: LossAndGradientsOptions,
): LossAndGradients {
  const lengthsName = model.info.lengthsOf.get(options.output);
  const lossFn = prepareLoss(
    loss,
    concreteShape(model, checked, options.output),
    target,
    lengthsName === undefined ? undefined : checked.lengths.get(lengthsName)?.host,
    options.output,
  );
  const feeds = uploadFeeds(tf, checked);
  const feedSources = options.inputGrads ? [...feeds.inputs, ...feeds.states] : [];
  const weightKeys = [...params.keys()].filter((key) => !options.frozen?.has(key));
  const sources = [...weightKeys.map((key) => params.get(key)!), ...feedSources.map(([, t]) => t)];
  const states = new Map<string, TfTensor>();
  const run = () => {
    const values = forward(tf, model, params, feeds, {
      training: options.training ?? false,
      ...(options.rng ? { rng: options.rng } : {}),
      ...(options.derived ? { derived: options.derived.cache, derivedNodes: options.derived.nodes } : {}),
    });
    if (options.states) {
      for (const node of model.nodes) {
        if (node.op !== "rnn") continue;
        for (const key of stateOutputs(node)) {
          states.set(key, tf.keep(values.get(key)!));
        }
      }
    }
    const lengths = lengthsName === undefined ? undefined : feeds.lengths.get(lengthsName);
    return lossFn(tf, values.get(options.output)!, lengths) as ReturnType<
      Parameters<ReturnType<Tf["engine"]>["gradients"]>[0]
    >;
  };
  // allowNoGradients: a weight or feed the loss does not reach (another output's head, a shape-only input) gets 0.
  let result: ReturnType<ReturnType<Tf["engine"]>["gradients"]>;
  try {
    result = tf.engine().gradients(run, sources, undefined, true);
  } catch (e) {
    for (const t of states.values()) t.dispose();
    throw e;
  }
  const { value, grads } = result;
  const weightGrads = new Map(weightKeys.map((key, i) => [key, orZeros(tf, grads[i], sources[i]!)]));
  const inputGrads = new Map(
    feedSources.map(([key, t], j) => [key, orZeros(tf, grads[weightKeys.length + j], t)] as const),
  );
  return { loss: value, weightGrads, inputGrads, states };
}

/**
 * Turns a fixture into what a backend takes: a validated model, weights, feeds, the loss target and config.
 */
import {
  assertValid,
  type Feeds,
  type IntTensor,
  type LossConfig,
  type Tensor,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import type { Fixture, FixtureTensor } from "./fixture.js";

/** A fixture ready to run. */
export interface MaterializedFixture {
  /** The fixture's graph after `assertValid(graph, weights)`. */
  readonly model: ValidModel;
  readonly weights: Weights;
  /** Inputs by id, lengths (`Int32Array`) by lengths-feed name, fed states by `<rnnId>/h|c`. */
  readonly feeds: Feeds;
  /** MSE and binary cross-entropy: float `Tensor` shaped like the loss output; softmax cross-entropy: `IntTensor` labels. */
  readonly target: Tensor | IntTensor;
  /** The loss config for `Backend.gradients` / `trainer`. */
  readonly loss: LossConfig;
  /** The graph output the loss reads. */
  readonly output: string;
}

/** A fixture tensor as a core float32 tensor. */
export function toTensor(t: FixtureTensor): Tensor {
  return { shape: [...t.shape], data: Float32Array.from(t.data) };
}

/**
 * Builds weights, feeds and target from a fixture and validates its graph against the weights.
 * @throws IrError (from core) when the graph or a weight shape is invalid.
 */
export function materializeFixture(fixture: Fixture): MaterializedFixture {
  const weights: Record<string, Tensor> = {};
  for (const [key, t] of Object.entries(fixture.weights)) weights[key] = toTensor(t);
  const feeds: Record<string, Tensor | Int32Array> = {};
  for (const [key, t] of Object.entries(fixture.feeds.inputs)) feeds[key] = toTensor(t);
  for (const [key, lengths] of Object.entries(fixture.feeds.lengths)) feeds[key] = Int32Array.from(lengths);
  for (const [key, t] of Object.entries(fixture.feeds.states)) feeds[key] = toTensor(t);
  const target: Tensor | IntTensor =
    fixture.target.dtype === "int32"
      ? { shape: [...fixture.target.shape], data: Int32Array.from(fixture.target.data) }
      : toTensor(fixture.target);
  const { kind, classWeights, fromLogits } = fixture.loss;
  return {
    model: assertValid(fixture.graph, weights),
    weights,
    feeds,
    target,
    loss: {
      kind,
      ...(classWeights === undefined ? {} : { classWeights: [...classWeights] }),
      ...(fromLogits === undefined ? {} : { fromLogits }),
    },
    output: fixture.loss.output,
  };
}

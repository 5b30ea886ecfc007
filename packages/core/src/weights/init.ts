/**
 * Random initialization of a validated model's parameters, following each {@link ParamSpec}'s `init`.
 */
import type { InitSpec, ParamSpec } from "../ir/params.js";
import type { ValidModel } from "../ir/valid-model.js";
import { formatShape, sizeOf, type Tensor } from "../tensor/tensor.js";
import { orthogonalFactor } from "./orthogonal.js";
import { createRng, type Rng } from "./random.js";
import { type Weights, weightKey } from "./weights.js";

/** Options of {@link initWeights}. */
export interface InitOptions {
  /** Any finite number; the same seed gives bit-identical weights on every platform. */
  readonly seed: number;
}

/**
 * Fresh weights for every parameter of `model` (keys `nodeId/param`, shapes from `model.info.params`):
 * - `glorotUniform`: U(−l, l) with l = √(6 / (fanIn + fanOut));
 * - `orthogonal`: each of the `blocks` row blocks `[H, H]` is an independent orthogonal matrix, made like
 *   `torch.nn.init.orthogonal_` (QR of a standard Gaussian matrix, signs fixed by diag(R));
 * - `zeros`; `gateBias`: zeros except one gate block (LSTM forget gate of `bias_ih` = 1).
 *
 * Each weight draws from its own stream `createRng(seed, "nodeId/param")`, so adding or removing a node does not
 * change the other nodes' weights.
 * @throws RangeError when `options.seed` is not a finite number, or a spec's shape does not fit its init
 *   (a validated model never has such specs).
 */
export function initWeights(model: ValidModel, options: InitOptions): Weights {
  const seed: unknown = options?.seed;
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new RangeError(
      `initWeights: options.seed must be a finite number, got ${typeof seed === "number" ? seed : typeof seed}; ` +
        "pass e.g. { seed: 1 }",
    );
  }
  const out: [string, Tensor][] = [];
  for (const [nodeId, specs] of model.info.params) {
    for (const spec of specs) {
      const key = weightKey(nodeId, spec.name);
      out.push([key, initParam(key, spec, createRng(seed, key))]);
    }
  }
  return Object.fromEntries(out);
}

/**
 * One parameter initialized by its spec (exported for backends that add parameters, and for tests).
 * @throws RangeError when the shape does not fit the init kind (e.g. an orthogonal block that is not square).
 */
export function initParam(key: string, spec: ParamSpec, rng: Rng): Tensor {
  const shape = [...spec.shape];
  const data = new Float32Array(sizeOf(shape));
  const init: InitSpec = spec.init;
  switch (init.kind) {
    case "zeros":
      break;
    case "glorotUniform": {
      const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
      if (!Number.isFinite(limit)) {
        throw new RangeError(`initWeights: "${key}" has fanIn ${init.fanIn} + fanOut ${init.fanOut}, expected > 0`);
      }
      for (let i = 0; i < data.length; i++) data[i] = (2 * rng.next() - 1) * limit;
      break;
    }
    case "orthogonal":
      fillOrthogonal(key, shape, init.blocks, data, rng);
      break;
    case "gateBias": {
      const size = blockSize(key, shape, init.blocks, "gateBias");
      if (!Number.isInteger(init.block) || init.block < 0 || init.block >= init.blocks) {
        throw new RangeError(`initWeights: "${key}" gate block ${init.block} is outside 0..${init.blocks - 1}`);
      }
      data.fill(init.value, init.block * size, (init.block + 1) * size);
      break;
    }
    default:
      init satisfies never;
  }
  return { shape, data };
}

function blockSize(key: string, shape: readonly number[], blocks: number, kind: string): number {
  const rows = shape[0] ?? 0;
  if (!Number.isInteger(blocks) || blocks < 1 || rows % blocks !== 0) {
    throw new RangeError(
      `initWeights: "${key}" (${kind}) has ${rows} rows in ${formatShape(shape)}, expected a multiple of ${blocks} blocks`,
    );
  }
  return (rows / blocks) * sizeOf(shape.slice(1));
}

function fillOrthogonal(key: string, shape: readonly number[], blocks: number, data: Float32Array, rng: Rng): void {
  blockSize(key, shape, blocks, "orthogonal");
  const n = shape[1] ?? 0;
  if (shape.length !== 2 || (shape[0] ?? 0) !== blocks * n) {
    throw new RangeError(
      `initWeights: "${key}" (orthogonal) has shape ${formatShape(shape)}, expected [${blocks}·H, H] (square blocks)`,
    );
  }
  const gaussian = new Float64Array(n * n);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < gaussian.length; i++) gaussian[i] = rng.normal();
    data.set(orthogonalFactor(gaussian, n), b * n * n);
  }
}

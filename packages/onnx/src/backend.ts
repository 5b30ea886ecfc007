/**
 * `onnxBackend()`: an inference-only backend that exports the model (src/export) and runs it in
 * onnxruntime-node's CPU execution provider. No `trainer` / `gradients`.
 */
import {
  type Backend,
  BackendError,
  type Dim,
  type Executable,
  type Feeds,
  type LayerNode,
  type Outputs,
  type Tensor,
  type ValidModel,
  type Weights,
} from "@recurrent/core";
import { checkEngineWeights, createExecutable, type InferenceEngine } from "@recurrent/core/engine";
import type { InferenceSession } from "onnxruntime-node";
import { OnnxExportError } from "./export/errors.js";
import { exportOnnxModel, exportSupport, type OnnxModel } from "./export/index.js";
import { toOrtFeeds } from "./feeds.js";
import { loadOnnxRuntime, type OrtModule } from "./ort.js";

/** Options of {@link onnxBackend}. */
export interface OnnxBackendOptions {
  /** Opset of the exported model; default 17. */
  readonly opset?: number;
  /** onnxruntime's intra-op threads; default onnxruntime's (one per core). */
  readonly intraOpNumThreads?: number;
}

/** A compiled session with the signature it was exported with. */
interface Compiled {
  readonly onnx: OnnxModel;
  readonly session: InferenceSession;
  readonly ort: OrtModule;
}

/** The engine behind core's Executable shell (which checks fetch, feeds, batch 0 and dispose first). */
class OnnxEngine implements InferenceEngine {
  readonly #weights: Weights;
  readonly #options: OnnxBackendOptions;
  readonly #lengthsTime: ReadonlyMap<string, Dim>;
  /** The main session, then sessions exposing extra values asked for by `fetch`, keyed by their sorted names. */
  readonly #sessions = new Map<string, Promise<Compiled>>();

  constructor(
    readonly model: ValidModel,
    weights: Weights,
    options: OnnxBackendOptions,
    main: Compiled,
  ) {
    this.#weights = weights;
    this.#options = options;
    this.#sessions.set("", Promise.resolve(main));
    const lengthsTime = new Map<string, Dim>();
    for (const node of model.nodes) {
      if (node.op === "input" && node.lengths !== undefined && node.shape.length === 3) {
        lengthsTime.set(node.lengths, node.shape[0] as Dim);
      }
    }
    this.#lengthsTime = lengthsTime;
  }

  async run(feeds: Feeds, fetch: readonly string[]): Promise<Outputs> {
    const main = await (this.#sessions.get("") as Promise<Compiled>);
    const extra = fetch.filter((name) => !main.onnx.outputs.has(name));
    const { onnx, session, ort } = extra.length === 0 ? main : await this.#withOutputs(extra);
    const ortFeeds = toOrtFeeds(ort, onnx.inputs, this.#lengthsTime, feeds, this.model);
    const results = await session.run(ortFeeds, [...fetch]);
    const out: Record<string, Tensor> = {};
    for (const name of fetch) {
      const r = results[name];
      if (r === undefined || !(r.data instanceof Float32Array))
        throw new Error(`internal: onnxruntime returned no "${name}"`);
      out[name] = { shape: r.dims.map(Number), data: r.data };
    }
    return out;
  }

  #withOutputs(extra: readonly string[]): Promise<Compiled> {
    const key = [...new Set(extra)].sort().join("\n");
    let compiled = this.#sessions.get(key);
    if (compiled === undefined) {
      compiled = compile(this.model, this.#weights, this.#options, extra);
      this.#sessions.set(key, compiled);
    }
    return compiled;
  }

  async dispose(): Promise<void> {
    const sessions = await Promise.all(this.#sessions.values());
    await Promise.all(sessions.map((s) => s.session.release()));
  }
}

async function compile(
  model: ValidModel,
  weights: Weights,
  options: OnnxBackendOptions,
  extraOutputs: readonly string[],
): Promise<Compiled> {
  let onnx: OnnxModel;
  try {
    onnx = exportOnnxModel(model, weights, {
      extraOutputs,
      ...(options.opset === undefined ? {} : { opset: options.opset }),
    });
  } catch (err) {
    if (!(err instanceof OnnxExportError)) throw err;
    const code = err.code === "WEIGHTS" ? "WEIGHTS" : err.code === "BAD_OPTIONS" ? "BAD_CONFIG" : "UNSUPPORTED";
    throw new BackendError(code, err.message, err.nodeId);
  }
  const ort = await loadOnnxRuntime();
  const session = await ort.InferenceSession.create(onnx.bytes, {
    logSeverityLevel: 3,
    ...(options.intraOpNumThreads === undefined ? {} : { intraOpNumThreads: options.intraOpNumThreads }),
  });
  return { onnx, session, ort };
}

/**
 * The ONNX backend: `compile` exports the model (opset 17 unless asked) and opens an onnxruntime-node session.
 * onnxruntime-node is an optional peer dependency, imported by the first `compile`: `compile` rejects with a
 * BackendError `NO_BACKEND` saying how to install it when it is missing.
 * Runs take the feeds every backend takes: inputs by id, `Int32Array` lengths by feed name (required for every
 * lengths feed the model declares, as everywhere: MISSING_FEED otherwise), initial states `<rnnId>/h`,
 * `<rnnId>/c` (absent: zeros); `fetch` may name any value of the graph.
 */
export function onnxBackend(options: OnnxBackendOptions = {}): Backend {
  return {
    name: "onnx",
    supports: (node: LayerNode) => exportSupport(node),
    async compile(model: ValidModel, weights: Weights): Promise<Executable> {
      checkEngineWeights(model, weights, "compile");
      const engine = new OnnxEngine(model, weights, options, await compile(model, weights, options, []));
      return createExecutable(model, engine);
    },
  };
}

/**
 * `openOnnx(model, bytes)`: runs an ONNX file that was already written (not a fresh export) as an Executable of
 * the model it came from, so a check can run exactly the bytes it wrote. Node only (onnxruntime-node).
 */
import {
  BackendError,
  CELL_SPECS,
  type Dim,
  type Executable,
  type Outputs,
  type Tensor,
  type ValidModel,
} from "@recurrent/core";
import type { OnnxBackendOptions } from "./backend.js";
import type { OnnxInput } from "./export/index.js";
import { stateInputName } from "./export/rnn.js";
import { toOrtFeeds } from "./feeds.js";
import { loadOnnxRuntime } from "./ort.js";

type Session = Awaited<ReturnType<Awaited<ReturnType<typeof loadOnnxRuntime>>["InferenceSession"]["create"]>>;

/**
 * The file's inputs as the model's feeds: state inputs `<id>/h_0` are fed as `<id>/h`, int32 inputs are lengths.
 * @throws BackendError BAD_CONFIG when the file's inputs or outputs are not those of `model`.
 */
function signatureOf(model: ValidModel, session: Session): OnnxInput[] {
  const stateFeed = new Map<string, string>();
  const expected = new Set<string>();
  for (const node of model.nodes) {
    if (node.op === "input") {
      expected.add(node.id);
      const lengths = model.info.lengthsOf.get(node.id);
      if (lengths !== undefined) expected.add(lengths);
    }
    if (node.op !== "rnn") continue;
    CELL_SPECS[node.cell].states.forEach((state, k) => {
      const wired = node.inputs[k + 1];
      if (wired !== undefined && wired !== "") return;
      stateFeed.set(stateInputName(node.id, state), `${node.id}/${state}`);
    });
  }
  for (const name of stateFeed.keys()) expected.add(name);
  const found = [...session.inputNames];
  const missingOutputs = model.outputs.filter((o) => !session.outputNames.includes(o));
  if (found.length !== expected.size || found.some((n) => !expected.has(n)) || missingOutputs.length > 0) {
    throw new BackendError(
      "BAD_CONFIG",
      `the ONNX file does not belong to model "${model.name}": it has inputs [${found.join(", ")}] and outputs ` +
        `[${session.outputNames.join(", ")}], the model needs inputs [${[...expected].join(", ")}] and outputs ` +
        `[${model.outputs.join(", ")}]`,
    );
  }
  return session.inputMetadata.map((meta): OnnxInput => {
    const shape = meta.isTensor ? meta.shape.map((d) => (typeof d === "number" && d >= 0 ? d : String(d))) : [];
    const feed = stateFeed.get(meta.name);
    if (feed !== undefined) return { name: meta.name, kind: "state", feed, shape };
    const kind = meta.isTensor && meta.type === "int32" ? "lengths" : "input";
    return { name: meta.name, kind, feed: meta.name, shape };
  });
}

/**
 * Opens ONNX bytes written by `exportOnnx(model, …)` on onnxruntime-node. `run` takes the feeds every backend
 * takes (inputs by id, lengths, initial states `<id>/h`, `<id>/c`, zeros when absent); `fetch` may name the file's
 * outputs only (a value the file does not return would need a new export).
 * @throws BackendError NO_BACKEND when onnxruntime-node is missing; BAD_CONFIG when the file's inputs and outputs
 *   are not the model's; onnxruntime's error when the bytes are not a model it can load.
 */
export async function openOnnx(
  model: ValidModel,
  bytes: Uint8Array,
  options: OnnxBackendOptions = {},
): Promise<Executable> {
  const ort = await loadOnnxRuntime();
  const session = await ort.InferenceSession.create(bytes, {
    logSeverityLevel: 3,
    ...(options.intraOpNumThreads === undefined ? {} : { intraOpNumThreads: options.intraOpNumThreads }),
  });
  let inputs: OnnxInput[];
  try {
    inputs = signatureOf(model, session);
  } catch (err) {
    await session.release();
    throw err;
  }
  const lengthsTime = new Map<string, Dim>();
  for (const node of model.nodes) {
    if (node.op === "input" && node.lengths !== undefined && node.shape.length === 3) {
      lengthsTime.set(node.lengths, node.shape[0] as Dim);
    }
  }
  let disposed = false;
  return {
    model,
    async run(feeds, runOptions = {}): Promise<Outputs> {
      if (disposed) throw new BackendError("DISPOSED", "run(): the executable was disposed");
      const fetch = runOptions.fetch ?? model.outputs;
      const absent = fetch.find((name) => !session.outputNames.includes(name));
      if (absent !== undefined) {
        throw new BackendError(
          "BAD_CONFIG",
          `fetch "${absent}" is not an output of the ONNX file; it returns ${session.outputNames.join(", ")}`,
        );
      }
      const results = await session.run(toOrtFeeds(ort, inputs, lengthsTime, feeds, model), [...fetch]);
      const out: Record<string, Tensor> = {};
      for (const name of fetch) {
        const r = results[name];
        if (r === undefined || !(r.data instanceof Float32Array)) {
          throw new Error(`internal: onnxruntime returned no "${name}"`);
        }
        out[name] = { shape: r.dims.map(Number), data: r.data };
      }
      return out;
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}

/**
 * Which values of a graph change per frame, which are fixed over a stream, which recurrent states must be
 * carried between pushes — and which nodes make a graph impossible to stream, and why.
 */
import { BackendError } from "../backend/errors.js";
import { directionsOf, type Graph, type InputNode, type LayerNode, stateOutputs } from "../ir/nodes.js";

/** A state that travels from one push to the next: fetched as `fetch`, fed back as `feed`. */
export interface Carried {
  readonly fetch: string;
  readonly feed: string;
  /** Units and directions of the state `[directions, B, units]`, to build zeros for a wired state input. */
  readonly units: number;
  readonly directions: number;
  /** The graph input the state is wired from (then it must be fed even on the first push). */
  readonly wired: boolean;
}

/** What `stream()` needs to know about a graph. */
export interface StreamPlan {
  /** The one sequence input frames are pushed to. */
  readonly input: InputNode;
  readonly carried: readonly Carried[];
  /** Graph outputs that are per frame (their time axis is dropped for a one-frame push). */
  readonly sequenceOutputs: ReadonlySet<string>;
  /** Inputs fixed over the stream, to be given once in `options.inputs`. */
  readonly vectorInputs: readonly string[];
}

/** Per frame; fixed over the stream; or an rnn state (changes with every push but is not per frame). */
type Kind = "sequence" | "static" | "state";

/**
 * Works out what streams and what is carried.
 * @throws BackendError `STREAM` naming the node and why when the graph cannot stream (see `stream()`).
 */
export function planStream(model: Graph): StreamPlan {
  const refuse = (node: LayerNode, why: string, hint: string): never => {
    throw new BackendError(
      "STREAM",
      `stream(): model "${model.name}" cannot stream: node "${node.id}" (${node.op}) ${why}. Hint: ${hint}`,
      node.id,
    );
  };
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const stateWiring = new Map<string, string>();
  for (const node of model.nodes) {
    if (node.op !== "rnn") continue;
    node.inputs.slice(1).forEach((source, i) => {
      if (source === "") return;
      const slot = stateOutputs(node)[i] ?? `${node.id}/?`;
      if (byId.get(source)?.op !== "input") {
        refuse(
          node,
          `takes its initial state from "${source}", which changes within a sequence`,
          "stream a model whose recurrent states start from zeros or from a graph input",
        );
      }
      if (stateWiring.has(source)) {
        refuse(
          node,
          `shares the state input "${source}" with ${stateWiring.get(source)}`,
          "give each state its own input",
        );
      }
      stateWiring.set(source, slot);
    });
  }
  const kinds = new Map<string, Kind>();
  const kind = (name: string | undefined): Kind => (name === undefined ? "static" : (kinds.get(name) ?? "static"));
  const sequenceInputs: InputNode[] = [];
  const vectorInputs: string[] = [];
  const carried: Carried[] = [];
  for (const node of model.nodes) {
    let k: Kind;
    switch (node.op) {
      case "input":
        k = !stateWiring.has(node.id) && node.shape.length === 3 ? "sequence" : "static";
        if (k === "sequence") sequenceInputs.push(node);
        else if (!stateWiring.has(node.id)) vectorInputs.push(node.id);
        break;
      case "dense":
      case "activation":
      case "dropout":
      case "magnitude":
        k = kind(node.inputs[0]);
        break;
      case "pad":
        if (node.before + node.after > 0)
          refuse(
            node,
            `pads the time axis (${node.before} frame(s) before, ${node.after} after), which a stream of pushed frames does not have`,
            "run each fixed-size chunk with run() and carry the states (as Silero VAD does)",
          );
        k = "sequence";
        break;
      case "frameStack":
        if (node.right > 0)
          refuse(
            node,
            `needs ${node.right} future frame(s) for every output frame`,
            "use right: 0, or run the whole sequence with run()",
          );
        if (node.left > 0)
          refuse(
            node,
            `needs the ${node.left} previous frame(s), which belong to earlier pushes`,
            "use a recurrent layer for past context, or run the whole sequence",
          );
        k = "sequence";
        break;
      case "conv1d": {
        const span = (node.kernelSize - 1) * node.dilation;
        if ((node.stride ?? 1) > 1)
          refuse(
            node,
            `has stride ${node.stride}: its frames are not the pushed frames`,
            "run each fixed-size chunk with run() and carry the states (as Silero VAD does)",
          );
        if (span > 0 && node.padding !== "causal")
          refuse(
            node,
            `(kernel ${node.kernelSize}, padding "${node.padding}") needs future frames`,
            "run the whole sequence with run()",
          );
        if (span > 0)
          refuse(
            node,
            `(kernel ${node.kernelSize}, causal) needs the ${span} previous frame(s), which belong to earlier pushes`,
            "run the whole sequence with run()",
          );
        k = "sequence";
        break;
      }
      case "rnn": {
        if (node.direction === "bidirectional") {
          refuse(
            node,
            "is bidirectional: its backward direction starts from the last frame, so it must see the whole sequence first",
            'use direction "forward" for a streaming model, or run the whole sequence with run()',
          );
        }
        if (node.direction === "reverse")
          refuse(
            node,
            "runs in reverse: it starts from the last frame",
            'use direction "forward" for a streaming model',
          );
        if (!node.returnSequences)
          refuse(
            node,
            "returns only its final state (returnSequences: false)",
            "stream with returnSequences: true and read the last frame",
          );
        stateOutputs(node).forEach((fetch, i) => {
          const source = node.inputs[1 + i];
          const wired = source !== undefined && source !== "";
          carried.push({
            fetch,
            feed: wired ? source : fetch,
            units: node.units,
            directions: directionsOf(node),
            wired,
          });
          kinds.set(fetch, "state");
        });
        k = "sequence";
        break;
      }
      case "lastStep":
      case "pool":
        refuse(
          node,
          "reduces over the whole sequence",
          "stream the per-frame values before it, or run the whole sequence",
        );
        k = "static";
        break;
      case "repeat":
        if (node.steps !== undefined)
          refuse(node, `repeats over a fixed ${node.steps} steps, not the pushed frames`, "run it with run()");
        if (kind(node.inputs[0]) !== "static" || kind(node.inputs[1]) !== "sequence") {
          refuse(node, "repeats a value that is not fixed over the stream", "run it with run()");
        }
        k = "sequence";
        break;
      case "concat":
      case "add":
        k = node.inputs.some((name) => kind(name) === "sequence")
          ? "sequence"
          : node.inputs.some((name) => kind(name) === "state")
            ? "state"
            : "static";
        break;
      default:
        node satisfies never;
        k = "static";
    }
    kinds.set(node.id, k);
  }
  const input = sequenceInputs[0];
  if (input === undefined || sequenceInputs.length > 1) {
    throw new BackendError(
      "STREAM",
      `stream(): model "${model.name}" has ${sequenceInputs.length} sequence inputs (${sequenceInputs.map((n) => n.id).join(", ")}); stream() pushes frames of exactly one`,
    );
  }
  return {
    input,
    carried,
    vectorInputs,
    sequenceOutputs: new Set(model.outputs.filter((name) => kind(name) === "sequence")),
  };
}

/**
 * PyTorch state dicts ↔ Recurrent weights. Recurrent's parameters already use PyTorch's names, layouts and gate
 * orders, so the mapping only renames keys; no tensor is transposed or reordered.
 */
import { isResetAfter, type LayerNode, type RnnNode } from "../ir/nodes.js";
import type { ValidModel } from "../ir/valid-model.js";
import { formatShape, sizeOf, type Tensor } from "../tensor/tensor.js";
import { type Weights, weightKey } from "../weights/weights.js";

/**
 * Which PyTorch module feeds which Recurrent node(s): keys are module prefixes as they appear in the state
 * dict (`"encoder.lstm"`, or `""` for a bare module's own state dict), values a node id or, for a stacked
 * `nn.LSTM/GRU/RNN` with `num_layers = L`, the L rnn node ids in layer order.
 */
export type TorchMapping = Readonly<Record<string, string | readonly string[]>>;

/** Why a state dict and a model do not match. */
export type TorchIssueCode =
  | "UNKNOWN_NODE"
  | "BAD_MAPPING"
  | "UNMAPPED_NODE"
  | "MISSING_KEY"
  | "EXTRA_KEY"
  | "SHAPE_MISMATCH"
  | "BAD_TENSOR";

/** One mismatch between a state dict (or weights) and the model. */
export interface TorchIssue {
  readonly code: TorchIssueCode;
  readonly message: string;
}

/** The state dict cannot be mapped; `issues` lists every problem, `code` is the first one's. */
export class TorchMappingError extends Error {
  override readonly name = "TorchMappingError";
  readonly code: TorchIssueCode;
  constructor(
    readonly issues: readonly TorchIssue[],
    what: string,
  ) {
    super(
      `${what} (${issues.length} issue${issues.length === 1 ? "" : "s"}):\n${issues.map((i) => `  - ${i.code}: ${i.message}`).join("\n")}`,
    );
    this.code = issues[0]?.code ?? "BAD_MAPPING";
  }
}

interface Pair {
  readonly torchKey: string;
  readonly weightKey: string;
  readonly shape: readonly number[];
  /** Layer index within a stacked torch RNN (0 otherwise). */
  readonly layer: number;
}

const RNN_PARAM = /^(weight_ih|weight_hh|bias_ih|bias_hh)(_reverse)?$/;

const join = (prefix: string, name: string) => (prefix === "" ? name : `${prefix}.${name}`);

/** Expands the mapping into (torch key, weight key, shape) pairs, collecting mapping mistakes. */
function plan(model: ValidModel, mapping: TorchMapping, issues: TorchIssue[]): Pair[] {
  const nodes = new Map<string, LayerNode>(model.nodes.map((n) => [n.id, n]));
  const mappedFrom = new Map<string, string>();
  const pairs: Pair[] = [];
  for (const [prefix, target] of Object.entries(mapping)) {
    const ids: readonly string[] = typeof target === "string" ? [target] : target;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === "string")) {
      issues.push({
        code: "BAD_MAPPING",
        message: `prefix "${prefix}" must map to a node id or a non-empty array of rnn node ids`,
      });
      continue;
    }
    ids.forEach((id, layer) => {
      const node = nodes.get(id);
      const specs = model.info.params.get(id) ?? [];
      if (node === undefined) {
        const known = [...model.info.params.keys()].join(", ");
        issues.push({
          code: "UNKNOWN_NODE",
          message: `prefix "${prefix}" maps to node "${id}", which is not in the model; nodes with parameters: ${known}`,
        });
        return;
      }
      if (mappedFrom.has(id)) {
        issues.push({
          code: "BAD_MAPPING",
          message: `node "${id}" is mapped twice (from "${mappedFrom.get(id)}" and "${prefix}")`,
        });
        return;
      }
      mappedFrom.set(id, prefix);
      if (specs.length === 0) {
        issues.push({
          code: "BAD_MAPPING",
          message: `prefix "${prefix}" maps to node "${id}" (${node.op}), which has no parameters`,
        });
        return;
      }
      if (node.op !== "rnn" && ids.length > 1) {
        issues.push({
          code: "BAD_MAPPING",
          message: `prefix "${prefix}" maps to ${ids.length} nodes, but "${id}" is a ${node.op} node; only a stacked torch RNN maps to several (rnn) nodes`,
        });
        return;
      }
      if (node.op === "rnn") checkRnnCell(node, prefix, issues);
      for (const spec of specs) {
        const match = node.op === "rnn" ? RNN_PARAM.exec(spec.name) : null;
        const torchName = match ? `${match[1]}_l${layer}${match[2] ?? ""}` : spec.name;
        pairs.push({
          torchKey: join(prefix, torchName),
          weightKey: weightKey(id, spec.name),
          shape: spec.shape,
          layer,
        });
      }
    });
  }
  for (const [id, specs] of model.info.params) {
    if (specs.length > 0 && !mappedFrom.has(id)) {
      issues.push({
        code: "UNMAPPED_NODE",
        message: `node "${id}" has parameters (${specs.map((s) => s.name).join(", ")}) but no mapping entry points at it`,
      });
    }
  }
  return pairs;
}

function checkRnnCell(node: RnnNode, prefix: string, issues: TorchIssue[]): void {
  if (node.cell === "gru" && !isResetAfter(node)) {
    issues.push({
      code: "BAD_MAPPING",
      message: `node "${node.id}" is a GRU with resetAfter: false, but torch "${prefix}" (nn.GRU) applies the reset gate after the recurrent matmul; use resetAfter: true`,
    });
  }
}

function checkTensor(
  key: string,
  t: Tensor | undefined,
  expected: readonly number[],
  layer: number,
  issues: TorchIssue[],
  source: string,
): t is Tensor {
  if (t === undefined) return false;
  if (!Array.isArray(t.shape) || !(t.data instanceof Float32Array) || t.data.length !== sizeOf(t.shape)) {
    issues.push({
      code: "BAD_TENSOR",
      message: `${source} "${key}" is not a float32 tensor whose data matches its shape`,
    });
    return false;
  }
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    const concatHint =
      layer > 0 && /weight_ih/.test(key) && t.shape[1] === 2 * (expected[1] ?? 0)
        ? `; PyTorch feeds layer ${layer} both directions concatenated, so the previous rnn node needs merge: "concat"`
        : "";
    issues.push({
      code: "SHAPE_MISMATCH",
      message: `${source} "${key}" has shape ${formatShape(t.shape)}, expected ${formatShape(expected)}${concatHint}`,
    });
    return false;
  }
  return true;
}

/**
 * Maps a PyTorch state dict (e.g. decoded with `decodeSafetensors`) onto `model`'s weights.
 *
 * Conventions (keys are `<prefix>.<name>`, or `<name>` for the prefix `""`):
 * - `nn.LSTM` / `nn.GRU` / `nn.RNN` with `num_layers = L`: mapping `{ "lstm": ["l0", …, "l{L−1}"] }` sends
 *   `weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}` (and their `_reverse` twins when
 *   `bidirectional=True`) to rnn node k's `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh` (`_reverse`) unchanged
 *   (gate orders i,f,g,o and r,z,n are PyTorch's). A one-layer module may map to a plain id. PyTorch
 *   concatenates the two directions between layers, so stacked bidirectional nodes need `merge: "concat"`;
 *   `nn.GRU` is reset-after, so GRU nodes need `resetAfter: true`; `bias=False` and `proj_size` have no
 *   Recurrent equivalent (missing / extra keys).
 * - `nn.Linear` → dense node, `nn.Conv1d` → conv1d node: `weight` and `bias` as they are (same layouts).
 *
 * Tensors are copied.
 * @throws TorchMappingError listing every issue: unknown or doubly-mapped node ids, nodes with parameters that
 *   nothing maps to, torch keys missing from the state dict, state-dict keys nothing maps (extra), shape
 *   mismatches (expected vs found).
 */
export function fromTorchStateDict(
  model: ValidModel,
  stateDict: Readonly<Record<string, Tensor>>,
  mapping: TorchMapping,
): Weights {
  const issues: TorchIssue[] = [];
  const pairs = plan(model, mapping, issues);
  const out: [string, Tensor][] = [];
  const used = new Set<string>();
  for (const p of pairs) {
    used.add(p.torchKey);
    const t = Object.hasOwn(stateDict, p.torchKey) ? stateDict[p.torchKey] : undefined;
    if (t === undefined) {
      issues.push({
        code: "MISSING_KEY",
        message: `torch key "${p.torchKey}" (for "${p.weightKey}", shape ${formatShape(p.shape)}) is not in the state dict`,
      });
    } else if (checkTensor(p.torchKey, t, p.shape, p.layer, issues, "torch tensor")) {
      out.push([p.weightKey, { shape: [...t.shape], data: Float32Array.from(t.data) }]);
    }
  }
  const extra = Object.keys(stateDict).filter((k) => !used.has(k));
  for (const key of extra) {
    const prefix = Object.keys(mapping).find((p) => p === "" || key.startsWith(`${p}.`));
    const why =
      prefix === undefined
        ? "no mapping prefix covers it"
        : `prefix "${prefix}" is mapped but its nodes have no such parameter (another layer index, proj_size?)`;
    issues.push({ code: "EXTRA_KEY", message: `state dict key "${key}" is not used: ${why}` });
  }
  if (issues.length > 0)
    throw new TorchMappingError(issues, `Cannot map the PyTorch state dict onto model "${model.name}"`);
  return Object.fromEntries(out);
}

/**
 * The inverse of {@link fromTorchStateDict}: Recurrent weights renamed to a PyTorch state dict for the same
 * mapping (load it in Python with `module.load_state_dict`). Tensors are copied.
 * @throws TorchMappingError for mapping mistakes, or weights missing / of the wrong shape.
 */
export function toTorchStateDict(model: ValidModel, weights: Weights, mapping: TorchMapping): Record<string, Tensor> {
  const issues: TorchIssue[] = [];
  const out: [string, Tensor][] = [];
  for (const p of plan(model, mapping, issues)) {
    const t = Object.hasOwn(weights, p.weightKey) ? weights[p.weightKey] : undefined;
    if (t === undefined) {
      issues.push({
        code: "MISSING_KEY",
        message: `weight "${p.weightKey}" (for torch "${p.torchKey}", shape ${formatShape(p.shape)}) is missing`,
      });
    } else if (checkTensor(p.weightKey, t, p.shape, 0, issues, "weight")) {
      out.push([p.torchKey, { shape: [...t.shape], data: Float32Array.from(t.data) }]);
    }
  }
  if (issues.length > 0)
    throw new TorchMappingError(issues, `Cannot build a PyTorch state dict for model "${model.name}"`);
  return Object.fromEntries(out);
}

/**
 * The model zoo: the windowed feed-forward net of the article and the recurrent models it is compared with,
 * for both tasks, at comparable parameter budgets (about 30 k for classification, about 9 k for next-frame
 * prediction). Every model reads a sequence `[T, B, D]` and returns one value per frame.
 */
import {
  add,
  assertValid,
  conv1d,
  dense,
  frameStack,
  type Graph,
  graph,
  input,
  type LayerNode,
  rnn,
  sequential,
  type ValidModel,
} from "@recurrent/core";
import { CliError } from "./cli/errors.js";

/** The two tasks of the demo. */
export type TaskName = "classify" | "next-frame";
export const TASKS: readonly TaskName[] = ["classify", "next-frame"];

/** One entry of the zoo. */
export interface ModelSpec {
  /** Command-line name, e.g. `blstm-sum`. */
  readonly id: string;
  /** Human label for tables and charts. */
  readonly label: string;
  /** Whether it can run frame by frame (no bidirectional layer, no look-ahead window). */
  readonly streamable: boolean;
  /** The graph for `inputs` features per frame and `outputs` values per frame. */
  build(inputs: number, outputs: number): Graph;
}

/** The value every model reads (time-major `[T, B, D]`, lengths fed as `lengths`). */
export const INPUT = "frames";
/** The value every model returns. */
export const OUTPUT = "out";

const x = () => input(INPUT, 0);
const seq = (name: string, layers: readonly LayerNode[], D: number): Graph =>
  sequential(name, [{ ...x(), shape: ["time", "batch", D] }, ...layers]);

/**
 * Frame classification (39-dim MFCC → 40 phone logits per frame). Budgets within 26–32 k parameters; the
 * windowed FFN spends most of its budget on the 41-frame window (1599 inputs) as in the article.
 */
export const CLASSIFY_MODELS: readonly ModelSpec[] = [
  {
    id: "ffn",
    label: "windowed FFN (41×39)",
    streamable: false,
    build: (D, O) =>
      seq(
        "ffn",
        [
          frameStack("window", { left: 20, right: 20 }),
          dense("hidden1", { units: 16, activation: "relu" }),
          dense("hidden2", { units: 48, activation: "relu" }),
          dense(OUTPUT, { units: O }),
        ],
        D,
      ),
  },
  {
    id: "rnn",
    label: "simple RNN",
    streamable: true,
    build: (D, O) => seq("rnn", [rnn("rnn", { cell: "simple", units: 128 }), dense(OUTPUT, { units: O })], D),
  },
  {
    id: "lstm",
    label: "LSTM",
    streamable: true,
    build: (D, O) => seq("lstm", [rnn("lstm", { cell: "lstm", units: 64 }), dense(OUTPUT, { units: O })], D),
  },
  {
    id: "gru",
    label: "GRU",
    streamable: true,
    build: (D, O) => seq("gru", [rnn("gru", { cell: "gru", units: 72 }), dense(OUTPUT, { units: O })], D),
  },
  {
    id: "blstm-sum",
    label: "BiLSTM (sum)",
    streamable: false,
    build: (D, O) =>
      seq(
        "blstm-sum",
        [
          rnn("blstm", { cell: "lstm", units: 42, direction: "bidirectional", merge: "sum" }),
          dense(OUTPUT, { units: O }),
        ],
        D,
      ),
  },
  {
    id: "blstm-concat",
    label: "BiLSTM (concat)",
    streamable: false,
    build: (D, O) =>
      seq(
        "blstm-concat",
        [
          rnn("blstm", { cell: "lstm", units: 40, direction: "bidirectional", merge: "concat" }),
          dense(OUTPUT, { units: O }),
        ],
        D,
      ),
  },
  {
    id: "deep",
    label: "dense→BiLSTM→dense",
    streamable: false,
    build: (D, O) =>
      seq(
        "deep",
        [
          dense("front", { units: 48, activation: "relu" }),
          rnn("blstm", { cell: "lstm", units: 36, direction: "bidirectional", merge: "sum" }),
          dense(OUTPUT, { units: O }),
        ],
        D,
      ),
  },
  {
    id: "conv-lstm",
    label: "conv1d→LSTM",
    streamable: false,
    build: (D, O) =>
      seq(
        "conv-lstm",
        [
          conv1d("conv", { filters: 32, kernelSize: 5, padding: "same", activation: "relu" }),
          rnn("lstm", { cell: "lstm", units: 52 }),
          dense(OUTPUT, { units: O }),
        ],
        D,
      ),
  },
];

/**
 * A residual next-frame predictor: `out = x + f(x)`, so an untrained model starts near the "repeat the last
 * frame" baseline and learns the change. Every part is causal (forward recurrences, left-only windows).
 */
function residual(name: string, D: number, body: (from: string) => LayerNode[], last: string, O: number): Graph {
  if (O !== D) throw new CliError("BAD_MODEL", `next-frame model "${name}" predicts its own input: ${O} ≠ ${D}`);
  const layers = body(INPUT);
  return graph(
    name,
    [
      { ...x(), shape: ["time", "batch", D] },
      ...layers,
      dense("change", { units: O }, last),
      add(OUTPUT, INPUT, "change"),
    ],
    [OUTPUT],
  );
}

/** Next-frame prediction (13 causal statics → the next frame's 13); unidirectional models only, ≈ 9 k each. */
export const NEXT_FRAME_MODELS: readonly ModelSpec[] = [
  {
    id: "ffn",
    label: "causal windowed FFN (41×13)",
    streamable: false,
    build: (D, O) =>
      residual(
        "nf-ffn",
        D,
        (from) => [
          frameStack("window", { left: 40, right: 0 }, from),
          dense("hidden", { units: 16, activation: "relu" }, "window"),
        ],
        "hidden",
        O,
      ),
  },
  {
    id: "rnn",
    label: "simple RNN",
    streamable: true,
    build: (D, O) => residual("nf-rnn", D, (from) => [rnn("rnn", { cell: "simple", units: 80 }, from)], "rnn", O),
  },
  {
    id: "lstm",
    label: "LSTM",
    streamable: true,
    build: (D, O) => residual("nf-lstm", D, (from) => [rnn("lstm", { cell: "lstm", units: 40 }, from)], "lstm", O),
  },
  {
    id: "gru",
    label: "GRU",
    streamable: true,
    build: (D, O) => residual("nf-gru", D, (from) => [rnn("gru", { cell: "gru", units: 46 }, from)], "gru", O),
  },
  {
    id: "conv-lstm",
    label: "causal conv1d→LSTM",
    streamable: false,
    build: (D, O) =>
      residual(
        "nf-conv-lstm",
        D,
        (from) => [
          conv1d("conv", { filters: 24, kernelSize: 5, padding: "causal", activation: "relu" }, from),
          rnn("lstm", { cell: "lstm", units: 32 }, "conv"),
        ],
        "lstm",
        O,
      ),
  },
];

/** The zoo of a task. */
export function modelsOf(task: TaskName): readonly ModelSpec[] {
  return task === "classify" ? CLASSIFY_MODELS : NEXT_FRAME_MODELS;
}

/**
 * A zoo entry by id.
 * @throws CliError `BAD_OPTION` naming the known ids.
 */
export function findModel(task: TaskName, id: string): ModelSpec {
  const spec = modelsOf(task).find((m) => m.id === id);
  if (spec === undefined) {
    throw new CliError(
      "BAD_OPTION",
      `unknown ${task} model "${id}"; choose one of ${modelsOf(task)
        .map((m) => m.id)
        .join(", ")}`,
    );
  }
  return spec;
}

/** Builds and validates a zoo model for `inputs` → `outputs` features per frame. */
export function buildModel(spec: ModelSpec, inputs: number, outputs: number): ValidModel {
  return assertValid(spec.build(inputs, outputs));
}

/** The number of trainable parameters of a validated model. */
export function paramCount(model: ValidModel): number {
  let n = 0;
  for (const specs of model.info.params.values()) {
    for (const p of specs) n += p.shape.reduce((a, b) => a * b, 1);
  }
  return n;
}

/** Whether the model has a layer that must see the whole sequence (bidirectional or reverse recurrence). */
export function isBidirectional(model: ValidModel): boolean {
  return model.nodes.some((n) => n.op === "rnn" && n.direction !== "forward");
}

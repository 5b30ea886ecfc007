import { type Cell, dense, input, type Merge, rnn } from "@recurrent/core";
import { type Case, defineCase } from "../case.js";

interface BiOptions {
  readonly cell: Cell;
  readonly merge: Merge;
  readonly tied?: boolean;
  readonly returnSequences?: boolean;
  readonly resetAfter?: boolean;
  /** Default [5, 1, 3, 4] (T = 5). */
  readonly lengths?: readonly number[];
}

function biCase(name: string, description: string, o: BiOptions): Case {
  return defineCase({
    name,
    description,
    graph: [
      input("x", 3),
      rnn("bi", {
        cell: o.cell,
        units: 3,
        direction: "bidirectional",
        merge: o.merge,
        tiedDirections: o.tied ?? false,
        returnSequences: o.returnSequences ?? true,
        ...(o.resetAfter === undefined ? {} : { resetAfter: o.resetAfter }),
      }),
      dense("out", { units: 2 }),
    ],
    batch: 4,
    time: { time: 5 },
    lengths: { lengths: o.lengths ?? [5, 1, 3, 4] },
  });
}

/** Bidirectional layers: every merge, tied directions, sequences and merged final states. */
export const bidirectionalCases: readonly Case[] = [
  biCase("bilstm-sum", "bidirectional LSTM, sum merge", { cell: "lstm", merge: "sum" }),
  biCase("bilstm-concat", "bidirectional LSTM, concat merge [forward | backward]", { cell: "lstm", merge: "concat" }),
  biCase("bilstm-ave", "bidirectional LSTM, ave merge", { cell: "lstm", merge: "ave" }),
  biCase("bilstm-mul", "bidirectional LSTM, mul merge", { cell: "lstm", merge: "mul" }),
  biCase("bigru-sum-length-zero", "bidirectional GRU reset-after, sum merge, a length-0 sample", {
    cell: "gru",
    merge: "sum",
    lengths: [0, 1, 3, 5],
  }),
  biCase("bigru-reset-before-concat", "bidirectional GRU reset-before, concat merge", {
    cell: "gru",
    merge: "concat",
    resetAfter: false,
  }),
  biCase("bilstm-tied-sum", "bidirectional LSTM with tied directions (one weight set), sum", {
    cell: "lstm",
    merge: "sum",
    tied: true,
  }),
  biCase("bigru-tied-concat", "bidirectional GRU with tied directions, concat", {
    cell: "gru",
    merge: "concat",
    tied: true,
  }),
  biCase("simple-rnn-tied-ave", "bidirectional simple RNN with tied directions, ave", {
    cell: "simple",
    merge: "ave",
    tied: true,
  }),
  biCase("bilstm-final-concat", "bidirectional LSTM, returnSequences=false: merged final states, concat", {
    cell: "lstm",
    merge: "concat",
    returnSequences: false,
  }),
  biCase("bilstm-final-sum-length-zero", "bidirectional LSTM, returnSequences=false, sum, a length-0 sample", {
    cell: "lstm",
    merge: "sum",
    returnSequences: false,
    lengths: [5, 1, 0, 4],
  }),
  biCase("bigru-final-ave", "bidirectional GRU, returnSequences=false, ave", {
    cell: "gru",
    merge: "ave",
    returnSequences: false,
  }),
  biCase("bilstm-tied-final-mul", "bidirectional LSTM, tied, returnSequences=false, mul", {
    cell: "lstm",
    merge: "mul",
    tied: true,
    returnSequences: false,
  }),
];

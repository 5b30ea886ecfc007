import { describe, expect, test } from "vitest";
import { dense, graph, input, lstm, sequential } from "./builders.js";
import { IrError } from "./errors.js";
import type { LayerNode } from "./nodes.js";
import { assertValid, validate } from "./validate.js";

const chain = (...layers: LayerNode[]) => sequential("g", [input("x", 3), ...layers]);

describe("assertValid", () => {
  const bad = () =>
    graph(
      "speech-lstm",
      [
        input("frames", 40),
        lstm("lstm_1", { units: 128 }, "frames"),
        dense("hidden", { units: 64 }, "lstm_1"),
        dense("out", { units: 40 }, "lstm_2"),
        dense("tail", { units: 2, activation: "soft" as never }, "out"),
      ],
      ["tail"],
    );

  test("throws one IrError listing every issue, then an excerpt around the first failing node", () => {
    let error: unknown;
    try {
      assertValid(bad());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IrError);
    const e = error as IrError;
    expect(e.code).toBe("INVALID_GRAPH");
    // Issues come in node order: "out" (node 3) before "tail" (node 4).
    expect(e.issues.map((i) => [i.code, i.nodeId])).toEqual([
      ["UNKNOWN_INPUT", "out"],
      ["BAD_OPTION", "tail"],
    ]);
    const lines = e.message.split("\n");
    expect(lines[0]).toBe('Graph "speech-lstm" is invalid (2 issues):');
    expect(lines[1]).toMatch(/^ {2}- UNKNOWN_INPUT at node "out" \(dense\): input "lstm_2" is not defined/);
    expect(e.message).toMatch(/^ {2}- BAD_OPTION at node "tail" \(dense\): option "activation" is "soft"/m);
    // The excerpt marks the first failing node, shows inferred shapes, and leaves out default options.
    expect(e.message).toMatch(/^ {2}> 3 \| out {4}= dense\(lstm_2\) units=40$/m);
    expect(e.message).toMatch(/^ {4}1 \| lstm_1 = rnn\(frames\) cell=lstm units=128 +→ \[time, batch, 128\]$/m);
    expect(e.message).toMatch(/^ {4}4 \| tail {3}= dense\(out\) units=2 activation=soft$/m);
  });

  test("returns the model in topological order with shapes, lengths and parameters", () => {
    const g = graph("g", [dense("out", { units: 2 }, "l"), lstm("l", { units: 4 }, "x"), input("x", 3)], ["out"]);
    const model = assertValid(g);
    expect(model.nodes.map((n) => n.id)).toEqual(["x", "l", "out"]);
    expect(model.info.shapes.get("out")).toEqual(["time", "batch", 2]);
    expect(model.info.lengthsOf.get("out")).toBe("lengths");
    // LSTM: 4 gate blocks of 4 units over 3 input features; dense [2, 4].
    expect(model.info.params.get("l")?.map((p) => [p.name, p.shape])).toEqual([
      ["weight_ih", [16, 3]],
      ["weight_hh", [16, 4]],
      ["bias_ih", [16]],
      ["bias_hh", [16]],
    ]);
    expect(model.info.params.get("out")?.map((p) => p.shape)).toEqual([[2, 4], [2]]);
    expect(model.info.params.has("x")).toBe(false);
    expect(validate(model)).toEqual([]);
  });

  test("the model does not change when the caller edits its graph afterwards", () => {
    const g = chain(dense("d", { units: 2 }));
    const model = assertValid(g);
    ((g.nodes[1] as LayerNode).inputs as string[]).push("x");
    expect(model.nodes[1]?.inputs).toEqual(["x"]);
  });
});

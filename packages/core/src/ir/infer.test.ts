import { describe, expect, test } from "vitest";
import {
  activation,
  add,
  concat,
  conv1d,
  dense,
  dropout,
  frameStack,
  graph,
  gru,
  input,
  lastStep,
  lstm,
  pool,
  repeat,
  rnn,
  sequential,
  simpleRnn,
  stateInput,
  vectorInput,
} from "./builders.js";
import { inferShapes } from "./infer.js";
import type { Graph } from "./nodes.js";

/** Infers a graph that must have no issues, and returns its shapes. */
function shapesOf(g: Graph) {
  const result = inferShapes(g);
  expect(result.issues).toEqual([]);
  return result;
}

describe("inputs", () => {
  test("sequence, vector and state inputs", () => {
    const { shapes, lengthsOf } = shapesOf(
      graph(
        "g",
        [input("x", 39), vectorInput("v", 7), stateInput("h", 16, 2), input("y", 3, { time: "t2", lengths: "l2" })],
        ["x"],
      ),
    );
    expect(shapes.get("x")).toEqual(["time", "batch", 39]);
    expect(shapes.get("v")).toEqual(["batch", 7]);
    expect(shapes.get("h")).toEqual([2, "batch", 16]);
    expect(lengthsOf.get("x")).toBe("lengths");
    expect(lengthsOf.get("y")).toBe("l2");
    expect(lengthsOf.has("v")).toBe(false);
    expect(lengthsOf.has("h")).toBe(false);
  });

  test("lengths: false declares a sequence input with no lengths feed, down to the rnn's output", () => {
    const x = input("x", 8, { lengths: false });
    expect(x).toEqual({ op: "input", id: "x", inputs: [], shape: ["time", "batch", 8] });
    expect(Object.hasOwn(x, "lengths")).toBe(false);
    const { shapes, lengthsOf } = shapesOf(sequential("g", [x, lstm("l", { units: 4 })]));
    expect(shapes.get("l")).toEqual(["time", "batch", 4]);
    expect(lengthsOf.has("x")).toBe(true);
    expect(lengthsOf.get("x")).toBeUndefined();
    expect(lengthsOf.get("l")).toBeUndefined();
  });

  test("a lengths-free input and one with lengths on the same time symbol are refused", () => {
    const issues = inferShapes(
      graph("g", [input("a", 2), input("b", 2, { lengths: false }), add("s", "a", "b")], ["s"]),
    ).issues;
    expect(issues.map((i) => i.code)).toContain("TIME_MISMATCH");
  });
});

describe("per-frame ops keep the sequence or vector", () => {
  test("dense, activation, dropout on a sequence", () => {
    const { shapes, lengthsOf } = shapesOf(
      sequential("g", [input("x", 39), dense("d", { units: 10 }), activation("a", "relu"), dropout("p", 0.5)]),
    );
    expect(shapes.get("d")).toEqual(["time", "batch", 10]);
    expect(shapes.get("a")).toEqual(["time", "batch", 10]);
    expect(shapes.get("p")).toEqual(["time", "batch", 10]);
    expect(lengthsOf.get("p")).toBe("lengths");
  });

  test("dense on a vector", () => {
    const { shapes, lengthsOf } = shapesOf(sequential("g", [vectorInput("v", 7), dense("d", { units: 3 })]));
    expect(shapes.get("d")).toEqual(["batch", 3]);
    expect(lengthsOf.has("d")).toBe(false);
  });

  test("frameStack of ±20 frames of 39 MFCCs gives 41·39 = 1599 features", () => {
    const { shapes } = shapesOf(sequential("g", [input("mfcc", 39), frameStack("w", { left: 20 })]));
    expect(shapes.get("w")).toEqual(["time", "batch", 1599]);
  });

  test("asymmetric frameStack: (left + right + 1)·D", () => {
    const { shapes } = shapesOf(sequential("g", [input("x", 4), frameStack("w", { left: 2, right: 0 })]));
    expect(shapes.get("w")).toEqual(["time", "batch", 12]);
  });

  test("conv1d maps features to filters", () => {
    const { shapes } = shapesOf(sequential("g", [input("x", 4), conv1d("c", { filters: 6, kernelSize: 3 })]));
    expect(shapes.get("c")).toEqual(["time", "batch", 6]);
  });
});

describe("rnn", () => {
  test("forward lstm: sequence output and states [1, batch, units]", () => {
    const { shapes, lengthsOf } = shapesOf(sequential("g", [input("x", 3), lstm("l", { units: 4 })]));
    expect(shapes.get("l")).toEqual(["time", "batch", 4]);
    expect(shapes.get("l/h")).toEqual([1, "batch", 4]);
    expect(shapes.get("l/c")).toEqual([1, "batch", 4]);
    expect(lengthsOf.get("l")).toBe("lengths");
    expect(lengthsOf.has("l/h")).toBe(false);
  });

  test("bidirectional concat doubles the features, sum keeps them; states have 2 directions", () => {
    const { shapes } = shapesOf(
      graph(
        "g",
        [
          input("x", 3),
          rnn("cat", { cell: "gru", units: 5, direction: "bidirectional", merge: "concat" }, "x"),
          rnn("sum", { cell: "gru", units: 5, direction: "bidirectional" }, "x"),
        ],
        ["cat", "sum"],
      ),
    );
    expect(shapes.get("cat")).toEqual(["time", "batch", 10]);
    expect(shapes.get("sum")).toEqual(["time", "batch", 5]);
    expect(shapes.get("cat/h")).toEqual([2, "batch", 5]);
    expect(shapes.has("cat/c")).toBe(false);
  });

  test("returnSequences false gives the merged final state [batch, H']", () => {
    const { shapes, lengthsOf } = shapesOf(
      sequential("g", [
        input("x", 3),
        simpleRnn("r", { units: 6, direction: "bidirectional", merge: "concat", returnSequences: false }),
      ]),
    );
    expect(shapes.get("r")).toEqual(["batch", 12]);
    expect(shapes.get("r/h")).toEqual([2, "batch", 6]);
    expect(lengthsOf.has("r")).toBe(false);
  });

  test("initial states from state inputs", () => {
    const { shapes } = shapesOf(
      graph(
        "g",
        [input("x", 3), stateInput("h0", 4), stateInput("c0", 4), lstm("l", { units: 4 }, "x", "h0", "c0")],
        ["l"],
      ),
    );
    expect(shapes.get("l")).toEqual(["time", "batch", 4]);
  });

  test("a skipped h0 with a given c0", () => {
    const { issues } = inferShapes(
      graph("g", [input("x", 3), stateInput("c0", 4), lstm("l", { units: 4 }, "x", "", "c0")], ["l"]),
    );
    expect(issues).toEqual([]);
  });
});

describe("many-to-one and one-to-many", () => {
  test("lastStep and pool give vectors", () => {
    const { shapes } = shapesOf(
      graph("g", [input("x", 3), lastStep("last", "x"), pool("mean", "mean", "x"), pool("max", "max", "x")], ["last"]),
    );
    for (const id of ["last", "mean", "max"]) expect(shapes.get(id)).toEqual(["batch", 3]);
  });

  test("repeat with fixed steps has a numeric time and no lengths feed", () => {
    const { shapes, lengthsOf } = shapesOf(sequential("g", [vectorInput("v", 8), repeat("r", { steps: 5 })]));
    expect(shapes.get("r")).toEqual([5, "batch", 8]);
    expect(lengthsOf.has("r")).toBe(true);
    expect(lengthsOf.get("r")).toBeUndefined();
  });

  test("repeat like a sequence takes its time axis and lengths", () => {
    const { shapes, lengthsOf } = shapesOf(
      graph("g", [vectorInput("v", 8), input("y", 2, { time: "yt", lengths: "yl" }), repeat("r", {}, "v", "y")], ["r"]),
    );
    expect(shapes.get("r")).toEqual(["yt", "batch", 8]);
    expect(lengthsOf.get("r")).toBe("yl");
  });
});

describe("joins", () => {
  test("concat adds feature dims, add keeps the shape", () => {
    const { shapes } = shapesOf(
      graph(
        "g",
        [input("x", 3), dense("a", { units: 4 }, "x"), concat("c", "x", "a", "a"), add("s", "a", "a")],
        ["c", "s"],
      ),
    );
    expect(shapes.get("c")).toEqual(["time", "batch", 11]);
    expect(shapes.get("s")).toEqual(["time", "batch", 4]);
  });

  test("concat of vectors", () => {
    const { shapes } = shapesOf(graph("g", [vectorInput("a", 2), vectorInput("b", 5), concat("c", "a", "b")], ["c"]));
    expect(shapes.get("c")).toEqual(["batch", 7]);
  });
});

describe("graphs", () => {
  const seq2seq = () =>
    graph(
      "seq2seq",
      [
        input("src", 39, { lengths: "srcLengths", time: "srcTime" }),
        lstm("enc", { units: 64, returnSequences: false }, "src"),
        input("tgt", 39, { lengths: "tgtLengths", time: "tgtTime" }),
        lstm("dec", { units: 64 }, "tgt", "enc/h", "enc/c"),
        dense("out", { units: 39 }, "dec"),
      ],
      ["out"],
    );

  test("encoder states feed the decoder; each sequence keeps its own time axis and lengths", () => {
    const { shapes, lengthsOf } = shapesOf(seq2seq());
    expect(shapes.get("enc")).toEqual(["batch", 64]);
    expect(shapes.get("enc/c")).toEqual([1, "batch", 64]);
    expect(shapes.get("out")).toEqual(["tgtTime", "batch", 39]);
    expect(lengthsOf.get("out")).toBe("tgtLengths");
    expect(lengthsOf.get("src")).toBe("srcLengths");
  });

  test("nodes in any order are inferred and returned producers first", () => {
    const g = seq2seq();
    const shuffled = { ...g, nodes: [...g.nodes].reverse() };
    const { shapes, order } = shapesOf(shuffled);
    expect(shapes.get("out")).toEqual(["tgtTime", "batch", 39]);
    const position = new Map(order.map((n, i) => [n.id, i]));
    for (const node of order) {
      for (const name of node.inputs) {
        const producer = name.split("/")[0] as string;
        expect(position.get(producer)).toBeLessThan(position.get(node.id) as number);
      }
    }
  });

  test("an ordered graph keeps its order", () => {
    const g = seq2seq();
    expect(shapesOf(g).order.map((n) => n.id)).toEqual(g.nodes.map((n) => n.id));
  });

  test("a gru decoder takes only h", () => {
    const { shapes } = shapesOf(
      graph(
        "g",
        [
          input("a", 3, { time: "ta", lengths: "la" }),
          gru("enc", { units: 8 }, "a"),
          input("b", 3, { time: "tb", lengths: "lb" }),
          gru("dec", { units: 8 }, "b", "enc/h"),
        ],
        ["dec"],
      ),
    );
    expect(shapes.get("dec")).toEqual(["tb", "batch", 8]);
  });
});

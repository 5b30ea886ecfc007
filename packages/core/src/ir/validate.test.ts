import { describe, expect, test } from "vitest";
import {
  add,
  concat,
  dense,
  dropout,
  frameStack,
  graph,
  gru,
  input,
  lastStep,
  lstm,
  repeat,
  rnn,
  sequential,
  stateInput,
  vectorInput,
} from "./builders.js";
import type { Issue, IssueCode } from "./errors.js";
import { GRAPH_FORMAT, type LayerNode, OPS } from "./nodes.js";
import { validate } from "./validate.js";

/** The issues of `g` with `code`; fails when there is none. */
function issuesWith(g: unknown, code: IssueCode): Issue[] {
  const found = validate(g).filter((issue) => issue.code === code);
  expect(found, `expected a ${code} issue in ${JSON.stringify(validate(g))}`).not.toEqual([]);
  return found;
}
const first = (g: unknown, code: IssueCode) => issuesWith(g, code)[0] as Issue;
/** A node with arbitrary (possibly wrong) fields, as JSON would give. */
const raw = (fields: Record<string, unknown>) => fields as unknown as LayerNode;
const chain = (...layers: LayerNode[]) => sequential("g", [input("x", 3), ...layers]);

describe("graph structure", () => {
  test.each([42, null, "graph", [], undefined])("BAD_GRAPH for a non-object graph %s", (g) => {
    expect(validate(g).map((i) => i.code)).toEqual(["BAD_GRAPH"]);
  });

  test("BAD_GRAPH names a field of the wrong type", () => {
    expect(first({ format: GRAPH_FORMAT, name: 3, nodes: [], outputs: ["x"] }, "BAD_GRAPH").message).toMatch(/name/);
    expect(first({ format: GRAPH_FORMAT, name: "g", nodes: {}, outputs: ["x"] }, "BAD_GRAPH").message).toMatch(/nodes/);
    expect(first({ ...chain(), outputs: "x" }, "BAD_GRAPH").message).toMatch(/outputs/);
  });

  test("BAD_GRAPH for a node that is not an object, has no id, or bad inputs", () => {
    expect(first({ ...chain(), nodes: [input("x", 3), 7] }, "BAD_GRAPH").message).toMatch(/node 1 is 7/);
    expect(first(chain(raw({ op: "dense", id: "", inputs: ["x"], units: 2 })), "BAD_GRAPH").message).toMatch(/id ""/);
    const badInputs = first(
      graph("g", [input("x", 3), raw({ op: "lastStep", id: "l", inputs: "x" })], ["l"]),
      "BAD_GRAPH",
    );
    expect(badInputs.nodeId).toBe("l");
    expect(badInputs.message).toMatch(/inputs is "x"/);
  });

  test("BAD_FORMAT when format is missing or another version", () => {
    expect(first({ ...chain(), format: "recurrent.graph/0" }, "BAD_FORMAT").message).toMatch(/"recurrent.graph\/1"/);
    const { format: _, ...noFormat } = chain();
    expect(first(noFormat, "BAD_FORMAT").hint).toMatch(/graph\(\) or sequential\(\)/);
  });

  test("NO_OUTPUTS and UNKNOWN_OUTPUT", () => {
    expect(first({ ...chain(), outputs: [] }, "NO_OUTPUTS").message).toMatch(/no outputs/);
    const unknown = first({ ...chain(lstm("lstm", { units: 2 })), outputs: ["lstm/hh"] }, "UNKNOWN_OUTPUT");
    expect(unknown.message).toMatch(/"lstm\/hh"/);
    expect(unknown.hint).toMatch(/did you mean "lstm\/h"/);
  });
});

describe("node ids and wiring", () => {
  test("UNKNOWN_OP lists the ops and suggests the closest", () => {
    const issue = first(chain(raw({ op: "dens", id: "d", inputs: ["x"], units: 2 })), "UNKNOWN_OP");
    expect(issue.nodeId).toBe("d");
    expect(issue.message).toContain(OPS.join(", "));
    expect(issue.hint).toMatch(/did you mean "dense"/);
  });

  test("DUPLICATE_ID for two nodes with one id", () => {
    const g = graph("g", [input("x", 3), dense("d", { units: 2 }, "x"), dense("d", { units: 3 }, "x")], ["d"]);
    expect(first(g, "DUPLICATE_ID").message).toMatch(/value "d" is already produced/);
  });

  test("DUPLICATE_ID when a node id collides with an rnn state value", () => {
    const g = graph("g", [input("x", 3), lstm("l", { units: 2 }, "x"), dense("l/c", { units: 3 }, "x")], ["l"]);
    const issue = first(g, "DUPLICATE_ID");
    expect(issue.nodeId).toBe("l/c");
    expect(issue.message).toContain('"l/c"');
  });

  test("UNKNOWN_INPUT names the missing value and lists the defined ones", () => {
    const g = graph(
      "g",
      [input("frames", 3), lstm("lstm_1", { units: 2 }, "frames"), dense("out", { units: 4 }, "lstm_2")],
      ["out"],
    );
    const issue = first(g, "UNKNOWN_INPUT");
    expect(issue.nodeId).toBe("out");
    expect(issue.message).toMatch(
      /input "lstm_2" is not defined; defined values: frames, lstm_1, lstm_1\/h, lstm_1\/c/,
    );
    expect(issue.hint).toMatch(/did you mean "lstm_1"/);
  });

  test("CYCLE names the nodes of the loop, once", () => {
    const g = graph(
      "g",
      [input("x", 3), add("a", "x", "b"), dense("b", { units: 3 }, "a"), dense("out", { units: 2 }, "b")],
      ["out"],
    );
    const cycles = issuesWith(g, "CYCLE");
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.message).toMatch(/"a".*"b"|"b".*"a"/);
    expect(validate(g).map((i) => i.code)).toEqual(["CYCLE"]);
  });

  test("CYCLE for a node reading itself, e.g. an rnn fed its own state", () => {
    const g = graph("g", [input("x", 3), lstm("l", { units: 2 }, "x", "l/h")], ["l"]);
    expect(first(g, "CYCLE").nodeId).toBe("l");
  });

  test("ARITY per op", () => {
    const twoIntoDense = graph("g", [input("x", 3), dense("d", { units: 2 }, "x", "x")], ["d"]);
    expect(first(twoIntoDense, "ARITY").message).toMatch(/dense takes 1 input, got 2/);
    expect(first(chain(concat("c")), "ARITY").message).toMatch(/at least 2/);
    const cIntoGru = graph("g", [input("x", 3), stateInput("h", 2), gru("r", { units: 2 }, "x", "h", "h")], ["r"]);
    expect(first(cIntoGru, "ARITY").hint).toMatch(/only an lstm has c0/);
    const skipped = graph("g", [input("x", 3), dense("d", { units: 2 }, "")], ["d"]);
    expect(first(skipped, "ARITY").message).toMatch(/input 0 is empty/);
  });
});

describe("options", () => {
  test.each([0, -3, 2.5, "8", null])("BAD_OPTION for units %s", (units) => {
    const issue = first(chain(raw({ ...dense("d", { units: 1 }), units })), "BAD_OPTION");
    expect(issue.nodeId).toBe("d");
    expect(issue.message).toMatch(/option "units" is .*expected a positive integer/);
  });

  test("BAD_OPTION for merge on a unidirectional layer", () => {
    const issue = first(chain(lstm("l", { units: 4, merge: "concat" })), "BAD_OPTION");
    expect(issue.nodeId).toBe("l");
    expect(issue.message).toMatch(/"merge" applies only to a bidirectional layer/);
  });

  test("BAD_OPTION for frameStack with negative context", () => {
    const issue = first(chain(frameStack("w", { left: -1, right: 2 })), "BAD_OPTION");
    expect(issue.message).toMatch(/"left" is -1, expected a non-negative integer/);
  });

  test("BAD_OPTION for other ranges, enums and misplaced options", () => {
    expect(first(chain(dropout("p", 1)), "BAD_OPTION").message).toMatch(/"rate" is 1, expected a number in \[0, 1\)/);
    expect(first(chain(rnn("r", { cell: "lsmt" as never, units: 2 })), "BAD_OPTION").message).toMatch(
      /one of simple, lstm, gru/,
    );
    expect(first(chain(lstm("l", { units: 2, activation: "relu" })), "BAD_OPTION").message).toMatch(
      /only to a simple cell/,
    );
    expect(first(chain(lstm("l", { units: 2, resetAfter: false })), "BAD_OPTION").message).toMatch(
      /only to a gru cell/,
    );
    expect(first(chain(repeat("r", { steps: 3 }, "x", "x")), "BAD_OPTION").message).toMatch(/both steps/);
  });

  test("BAD_OPTION for a bad input shape or a lengths feed named like a value", () => {
    expect(first(sequential("g", [input("x", 0)]), "BAD_OPTION").message).toMatch(/feature dim 0/);
    expect(first(sequential("g", [input("x", 3, { lengths: "x" })]), "BAD_OPTION").message).toMatch(/lengths feed "x"/);
  });

  test("MISSING_OPTION names the option", () => {
    const { units: _, ...noUnits } = dense("d", { units: 1 });
    const issue = first(chain(raw(noUnits)), "MISSING_OPTION");
    expect(issue.nodeId).toBe("d");
    expect(issue.message).toMatch(/option "units" is missing/);
    expect(first(sequential("g", [vectorInput("v", 2), repeat("r", {})]), "MISSING_OPTION").message).toMatch(/steps/);
  });

  test("UNKNOWN_OPTION names the key and suggests the closest", () => {
    const issue = first(chain(raw({ ...dense("d", { units: 2 }), unit: 2 })), "UNKNOWN_OPTION");
    expect(issue.message).toMatch(/dense has no option "unit"/);
    expect(issue.hint).toMatch(/did you mean "units"/);
  });
});

describe("shapes", () => {
  test("RANK: a state fed where frames are expected, a vector into an rnn", () => {
    const g = graph("g", [input("x", 3), lstm("l", { units: 2 }, "x"), dense("d", { units: 2 }, "l/h")], ["d"]);
    const issue = first(g, "RANK");
    expect(issue.message).toMatch(/input "l\/h" is a state \[1, batch, 2\], expected a sequence/);
    expect(first(sequential("g", [vectorInput("v", 3), lstm("l", { units: 2 })]), "RANK").message).toMatch(
      /is a vector/,
    );
    expect(first(sequential("g", [vectorInput("v", 3), lastStep("s")]), "RANK").nodeId).toBe("s");
  });

  test("FEATURE_MISMATCH: add of different widths, a state with the wrong units", () => {
    const g = graph("g", [input("x", 3), dense("a", { units: 4 }, "x"), add("s", "x", "a")], ["s"]);
    expect(first(g, "FEATURE_MISMATCH").message).toMatch(
      /input "a" is \[time, batch, 4\], but "x" is \[time, batch, 3\]/,
    );
    const h = graph("g", [input("x", 3), stateInput("h0", 5), gru("r", { units: 4 }, "x", "h0")], ["r"]);
    expect(first(h, "FEATURE_MISMATCH").message).toMatch(/"h0" is \[1, batch, 5\], expected \[1, batch, 4\]/);
  });

  test("SHAPE_MISMATCH: a one-direction state into a bidirectional layer", () => {
    const g = graph(
      "g",
      [input("x", 3), stateInput("h0", 4), rnn("r", { cell: "gru", units: 4, direction: "bidirectional" }, "x", "h0")],
      ["r"],
    );
    expect(first(g, "SHAPE_MISMATCH").message).toMatch(/expected \[2, batch, 4\]/);
  });

  test("TIME_MISMATCH: joining sequences on different time axes", () => {
    const g = graph(
      "g",
      [
        input("a", 3, { time: "ta", lengths: "la" }),
        input("b", 3, { time: "tb", lengths: "lb" }),
        concat("c", "a", "b"),
      ],
      ["c"],
    );
    expect(first(g, "TIME_MISMATCH").message).toMatch(/"b" runs on time "tb".*"a" on time "ta"/);
    const fixed = graph(
      "g",
      [input("x", 3), vectorInput("v", 3), repeat("r", { steps: 5 }, "v"), add("s", "x", "r")],
      ["s"],
    );
    expect(first(fixed, "TIME_MISMATCH").nodeId).toBe("s");
  });

  test("TIME_MISMATCH: inputs sharing a time symbol must share the lengths feed, and vice versa", () => {
    const symbol = graph("g", [input("a", 3), input("b", 3, { lengths: "other" })], ["a", "b"]);
    expect(first(symbol, "TIME_MISMATCH").message).toMatch(/time symbol "time" is masked by lengths "other"/);
    const feed = graph("g", [input("a", 3), input("b", 3, { time: "t2" })], ["a", "b"]);
    expect(first(feed, "TIME_MISMATCH").message).toMatch(/lengths feed "lengths" masks time "t2"/);
  });

  test("BATCH_MISMATCH: a numeric batch dim on an input", () => {
    const g = sequential("g", [raw({ op: "input", id: "x", inputs: [], shape: ["time", 4, 39], lengths: "lengths" })]);
    expect(first(g, "BATCH_MISMATCH").message).toMatch(/batch dim 4/);
  });
});

describe("every issue, no cascades", () => {
  test("independent problems are all reported; a node after a broken one adds nothing", () => {
    const g = graph(
      "g",
      [
        input("x", 3),
        dense("a", { units: 0 }, "x"),
        dense("after_a", { units: 2 }, "a"),
        frameStack("w", { left: -2 }, "x"),
        dense("b", { units: 2 }, "nowhere"),
      ],
      ["after_a", "w", "b"],
    );
    const found = validate(g);
    expect(found.map((i) => [i.code, i.nodeId])).toEqual([
      ["BAD_OPTION", "a"],
      ["BAD_OPTION", "w"],
      ["BAD_OPTION", "w"],
      ["UNKNOWN_INPUT", "b"],
    ]);
  });

  test("a valid graph has no issues", () => {
    expect(validate(chain(lstm("l", { units: 4, direction: "bidirectional" }), dense("out", { units: 2 })))).toEqual(
      [],
    );
  });
});

import { describe, expect, test } from "vitest";
import { dense, graph, input, lstm, sequential } from "./builders.js";
import { IrError } from "./errors.js";
import { graphToJSON, parseGraph } from "./json.js";
import { GRAPH_FORMAT, type Graph } from "./nodes.js";
import { assertValid } from "./validate.js";

const model = () =>
  graph(
    "seq2seq",
    [
      input("src", 39, { lengths: "srcLengths", time: "srcTime" }),
      lstm("enc", { units: 8, returnSequences: false }, "src"),
      input("tgt", 39, { lengths: "tgtLengths", time: "tgtTime" }),
      lstm("dec", { units: 8 }, "tgt", "enc/h", "enc/c"),
      dense("out", { units: 39 }, "dec"),
    ],
    ["out"],
  );

/** The IrError thrown by `f`, or a failure. */
function irErrorOf(f: () => unknown): IrError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IrError);
    return e as IrError;
  }
  throw new Error("expected an IrError");
}

describe("graphToJSON", () => {
  test("round-trips through parseGraph to an equal graph", () => {
    const g = model();
    expect(parseGraph(graphToJSON(g))).toEqual(g);
  });

  test("writes only the graph fields, not a ValidModel's info", () => {
    const parsed = JSON.parse(graphToJSON(assertValid(model())));
    expect(Object.keys(parsed)).toEqual(["format", "name", "nodes", "outputs"]);
    expect(parsed.format).toBe(GRAPH_FORMAT);
  });

  test("is stable: the key order of the nodes does not matter", () => {
    const g = sequential("g", [input("x", 3), dense("d", { units: 2, activation: "tanh" })]);
    const [x, d] = g.nodes as [Graph["nodes"][number], Graph["nodes"][number]];
    const scrambled: Graph = {
      outputs: g.outputs,
      nodes: [x, Object.fromEntries(Object.entries(d).reverse()) as typeof d],
      name: g.name,
      format: g.format,
    };
    expect(graphToJSON(scrambled)).toBe(graphToJSON(g));
    const text = graphToJSON(g);
    expect(text.indexOf('"op"')).toBeLessThan(text.indexOf('"id"'));
    expect(text.indexOf('"units"')).toBeLessThan(text.indexOf('"activation"'));
  });

  test("omits undefined options", () => {
    const g = sequential("g", [input("x", 3), { ...dense("d", { units: 2 }), extra: undefined } as never]);
    expect(graphToJSON(g)).not.toContain("extra");
  });
});

describe("parseGraph", () => {
  test("BAD_GRAPH for text that is not JSON", () => {
    const e = irErrorOf(() => parseGraph("{ nodes: "));
    expect(e.issues.map((i) => i.code)).toEqual(["BAD_GRAPH"]);
    expect(e.message).toMatch(/not valid JSON/);
  });

  test.each(["42", "null", "[]", '"graph"'])("BAD_GRAPH for JSON %s that is not an object", (text) => {
    expect(irErrorOf(() => parseGraph(text)).issues[0]?.code).toBe("BAD_GRAPH");
  });

  test("BAD_FORMAT for another format version", () => {
    const text = graphToJSON(model()).replace(GRAPH_FORMAT, "recurrent.graph/99");
    const e = irErrorOf(() => parseGraph(text));
    expect(e.issues.map((i) => i.code)).toEqual(["BAD_FORMAT"]);
    expect(e.message).toMatch(/Graph "seq2seq" is invalid \(1 issue\):/);
    expect(e.message).toContain('"recurrent.graph/99"');
  });

  test("BAD_GRAPH for fields of the wrong type, all at once", () => {
    const e = irErrorOf(() => parseGraph(JSON.stringify({ format: GRAPH_FORMAT, name: 1, nodes: [3], outputs: [2] })));
    expect(e.issues.map((i) => i.message.split(" ")[0])).toEqual(["name", "nodes", "outputs"]);
  });

  test("leaves node contents to assertValid and drops unknown top-level fields", () => {
    const node = { op: "nope", id: "n", inputs: [] };
    const g = parseGraph(JSON.stringify({ format: GRAPH_FORMAT, name: "g", nodes: [node], outputs: ["n"], extra: 1 }));
    expect(Object.keys(g)).toEqual(["format", "name", "nodes", "outputs"]);
    expect(() => assertValid(g)).toThrowError(/UNKNOWN_OP at node "n"/);
  });
});

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { dense, input, rnn, sequential } from "../ir/builders.js";
import { IrError } from "../ir/errors.js";
import { assertValid } from "../ir/validate.js";
import { initWeights } from "../weights/init.js";
import { deserializeModel, GRAPH_KEY, ModelFileError, serializeModel } from "./model-file.js";
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from "./safetensors.js";

/** A random small valid model: input → 1–2 rnn layers → dense, with random cells, sizes and directions. */
const modelArb = fc
  .record({
    features: fc.integer({ min: 1, max: 5 }),
    layers: fc.array(
      fc.record({
        cell: fc.constantFrom("simple", "lstm", "gru"),
        units: fc.integer({ min: 1, max: 4 }),
        direction: fc.constantFrom("forward", "reverse", "bidirectional"),
        merge: fc.constantFrom("sum", "concat", "ave", "mul"),
      } as const),
      { minLength: 1, maxLength: 2 },
    ),
    out: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer(),
  })
  .map(({ features, layers, out, seed }) => {
    const graph = sequential("random", [
      input("x", features),
      ...layers.map((l, i) =>
        rnn(`r${i}`, {
          cell: l.cell,
          units: l.units,
          direction: l.direction,
          ...(l.direction === "bidirectional" ? { merge: l.merge } : {}),
        }),
      ),
      dense("out", { units: out }),
    ]);
    return { graph, weights: initWeights(assertValid(graph), { seed }) };
  });

function loadsOrRefuses(bytes: Uint8Array): void {
  try {
    const { model, weights } = deserializeModel(bytes);
    // Whatever decoded must be exactly the parameters the graph declares, each with the data its shape needs.
    const declared = [...model.info.params].flatMap(([id, specs]) => specs.map((s) => `${id}/${s.name}`));
    expect(Object.keys(weights).sort()).toEqual(declared.sort());
    for (const t of Object.values(weights)) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
  } catch (e) {
    if (!(e instanceof SafetensorsError || e instanceof IrError || e instanceof ModelFileError)) throw e;
  }
}

describe("model file properties", () => {
  test("random valid models round-trip exactly", () => {
    fc.assert(
      fc.property(modelArb, ({ graph, weights }) => {
        const loaded = deserializeModel(serializeModel(graph, weights));
        expect(Object.keys(loaded.weights).sort()).toEqual(Object.keys(weights).sort());
        for (const [key, t] of Object.entries(weights)) expect(loaded.weights[key]!.data).toEqual(t.data);
        expect(loaded.model.nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
      }),
      { numRuns: 40 },
    );
  });

  test("bit flips and truncations give a model or a SafetensorsError / IrError / ModelFileError", () => {
    fc.assert(
      fc.property(
        modelArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.nat(),
        ({ graph, weights }, flips, cut) => {
          const bytes = serializeModel(graph, weights);
          const flipped = bytes.slice();
          for (const at of flips) flipped[at % flipped.length]! ^= 1 << (at % 8);
          loadsOrRefuses(flipped);
          loadsOrRefuses(bytes.slice(0, cut % bytes.length));
        },
      ),
      { numRuns: 60 },
    );
  });

  test("random edits of the graph JSON give a model or an IrError", () => {
    const edit = fc.record({
      path: fc.array(
        fc.oneof(
          fc.nat({ max: 4 }),
          fc.constantFrom(
            "nodes",
            "outputs",
            "op",
            "units",
            "inputs",
            "cell",
            "direction",
            "merge",
            "shape",
            "id",
            "format",
            "name",
          ),
        ),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
      value: fc.oneof(fc.jsonValue(), fc.constant(undefined)),
    });
    fc.assert(
      fc.property(modelArb, edit, ({ graph, weights }, { path, value }) => {
        const { tensors, metadata } = decodeSafetensors(serializeModel(graph, weights));
        const json = JSON.parse(metadata[GRAPH_KEY]!) as Record<string | number, unknown>;
        let at: Record<string | number, unknown> = json;
        for (const key of path.slice(0, -1)) {
          const next = at[key];
          if (typeof next !== "object" || next === null) break;
          at = next as Record<string | number, unknown>;
        }
        at[path.at(-1)!] = value;
        metadata[GRAPH_KEY] = JSON.stringify(json);
        loadsOrRefuses(encodeSafetensors(tensors, metadata));
      }),
      { numRuns: 150 },
    );
  });
});

import { describe, expectTypeOf, test } from "vitest";
import { inferRules, type Rule, type ValueInfo } from "./infer.js";
import type { Cell, DenseNode, LayerNode, NodeOf, Op, RnnNode } from "./nodes.js";
import { optionSpecs } from "./options.js";

type RuleTable = { readonly [K in Op]: Rule<K> };

describe("rule tables are mapped over Op", () => {
  test("inferRules has exactly one rule per op", () => {
    expectTypeOf(inferRules).toEqualTypeOf<RuleTable>();
    expectTypeOf<keyof typeof inferRules>().toEqualTypeOf<Op>();
  });

  test("a table missing an op, or with one op's rule under another, does not compile", () => {
    const { add: _add, ...withoutAdd } = inferRules;
    // @ts-expect-error "add" has no rule
    const missing: RuleTable = withoutAdd;
    // @ts-expect-error a dense rule cannot stand in for the rnn rule
    const swapped: RuleTable = { ...inferRules, rnn: inferRules.dense };
    void missing;
    void swapped;
  });

  test("the options table must describe every option of every node type", () => {
    const { units: _units, ...denseWithoutUnits } = optionSpecs.dense;
    // @ts-expect-error dense's "units" has no spec
    const incomplete: typeof optionSpecs = { ...optionSpecs, dense: denseWithoutUnits };
    void incomplete;
  });
});

describe("NodeOf and op narrowing", () => {
  test("NodeOf picks the node type of an op", () => {
    expectTypeOf<NodeOf<"rnn">>().toEqualTypeOf<RnnNode>();
    expectTypeOf<NodeOf<"dense">>().toEqualTypeOf<DenseNode>();
    expectTypeOf<NodeOf<"rnn">["cell"]>().toEqualTypeOf<Cell>();
    // @ts-expect-error a dense node has no cell
    const cellOf = (node: NodeOf<"dense">) => node.cell;
    void cellOf;
  });

  test("checking op narrows a LayerNode", () => {
    const describeNode = (node: LayerNode): number => {
      if (node.op === "rnn") {
        expectTypeOf(node).toEqualTypeOf<RnnNode>();
        return node.units;
      }
      // @ts-expect-error without narrowing, units is not on every node
      return node.units;
    };
    void describeNode;
  });

  test("a rule sees its own node type and input values", () => {
    const rule: Rule<"rnn"> = (node, inputs) => {
      expectTypeOf(node.cell).toEqualTypeOf<Cell>();
      expectTypeOf(inputs).toEqualTypeOf<readonly (ValueInfo | undefined)[]>();
      return undefined;
    };
    void rule;
  });
});

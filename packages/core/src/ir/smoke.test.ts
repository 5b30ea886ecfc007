import { expect, test } from "vitest";
import { input, lstm, sequential } from "./builders.js";

test("sequential wires each layer to the previous one", () => {
  const g = sequential("t", [input("x", 3), lstm("l", { units: 4 })]);
  expect(g.nodes[1]?.inputs).toEqual(["x"]);
  expect(g.outputs).toEqual(["l"]);
});

import { expect, test } from "vitest";
import { moduleReferences } from "./module-specifiers.js";

test("finds static, dynamic and require imports and node: strings, not look-alikes in minified code", () => {
  const code = [
    'import{a as b}from"./chunk-1.js";',
    'export*from"lib";',
    'const m=await import("node:fs");',
    'const r=require("path");',
    "const o={node:b};",
    'const msg=`take T from`,x={expected:"from"};',
    'new URL("node:url");',
  ].join("");
  expect(moduleReferences(code)).toEqual({
    specifiers: ["./chunk-1.js", "lib", "node:fs", "path"],
    nodeStrings: ["node:fs", "node:url"],
  });
});

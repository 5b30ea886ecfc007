import { expect, test } from "vitest";
import { main } from "./readme-example.js";

test("the README example runs and prints what it promises", async () => {
  const lines: string[] = [];
  await main((...args) => lines.push(args.map((a) => JSON.stringify(a)).join(" ")));
  expect(lines[0]).toMatch(/^"498 utterances: 398 train \/ 50 valid \/ 50 test"$/);
  expect(lines[1]).toMatch(/^"x" \[\d+,16,39\] "labels" \[\d+,16\] "lengths"/);
  expect(lines[2]).toMatch(/^"agent-pass" \[327,39\] "p p p/);
  expect(lines[3]).toBe('"streamed 327 frames (latency 4 frames)"');
});

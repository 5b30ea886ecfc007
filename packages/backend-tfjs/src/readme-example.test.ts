import { expect, test } from "vitest";
import { example } from "../scripts/example.js";

test("the README example trains (loss falls well below its first epoch's) and streams", async () => {
  const { losses, streamed } = await example("wasm");
  expect(losses.at(-1)!).toBeLessThan(0.3 * losses[0]!);
  expect(streamed).toHaveLength(5);
  expect(streamed.every(Number.isFinite)).toBe(true);
});

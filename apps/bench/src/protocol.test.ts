import { describe, expect, test } from "vitest";
import { isChildMessage } from "./protocol.js";

describe("isChildMessage", () => {
  test("accepts progress and result messages", () => {
    expect(isChildMessage({ type: "progress", text: "x" })).toBe(true);
    expect(
      isChildMessage({ type: "result", result: { status: "n/a", system: "ort", workload: "W1", reason: "r" } }),
    ).toBe(true);
  });

  test("rejects anything else", () => {
    expect(isChildMessage(null)).toBe(false);
    expect(isChildMessage({ type: "progress" })).toBe(false);
    expect(isChildMessage({ type: "result", result: { status: "ok" } })).toBe(false);
    expect(isChildMessage({ type: "other", text: "x" })).toBe(false);
  });
});

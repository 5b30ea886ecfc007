import { describe, expect, test } from "vitest";
import { expectedFailureOf, settle, unknownExpectedFailures } from "./expected-failure.js";

describe("settle", () => {
  const passing = async () => {};
  const failing = async () => {
    throw new Error("numbers differ");
  };

  test("without an expectation, a failure propagates and a pass passes", async () => {
    await expect(settle("c › forward", undefined, failing)).rejects.toThrowError("numbers differ");
    await expect(settle("c › forward", undefined, passing)).resolves.toBeUndefined();
  });

  test("an expected failure that fails passes", async () => {
    await expect(settle("c › forward", "known bug", failing)).resolves.toBeUndefined();
  });

  test("an expected failure that passes fails and asks to remove it", async () => {
    await expect(settle("c › forward", "known bug", passing)).rejects.toMatchObject({
      code: "EXPECTED_FAILURE_PASSED",
      message: expect.stringMatching(/c › forward passed .*"known bug".*remove it from expectedFailures/),
    });
  });
});

describe("expected-failure keys", () => {
  const list = { a: "both", "b:gradients": "gradients only" };

  test("a case key covers both checks, a check key only its check", () => {
    expect(expectedFailureOf(list, "a", "forward")).toBe("both");
    expect(expectedFailureOf(list, "a", "gradients")).toBe("both");
    expect(expectedFailureOf(list, "b", "forward")).toBeUndefined();
    expect(expectedFailureOf(list, "b", "gradients")).toBe("gradients only");
  });

  test("keys that name no case or no check are reported", () => {
    expect(unknownExpectedFailures({ ...list, typo: "x", "a:backward": "y" }, ["a", "b"])).toEqual([
      "typo",
      "a:backward",
    ]);
  });
});

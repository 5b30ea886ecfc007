/**
 * Expected failures: a listed test passes when its check fails, and fails — asking to remove the entry — when
 * its check passes, so that the list only ever shrinks as a backend improves.
 */
import { ConformanceError } from "./errors.js";

/** The two checks of a case. */
export type CheckKind = "forward" | "gradients";

/**
 * The expected-failure reason that applies to one check of one case: the key `<case>:<check>` or, for both
 * checks, the key `<case>`. Undefined when the check is expected to pass.
 */
export function expectedFailureOf(
  expectedFailures: Readonly<Record<string, string>>,
  caseName: string,
  check: CheckKind,
): string | undefined {
  return expectedFailures[`${caseName}:${check}`] ?? expectedFailures[caseName];
}

/**
 * Keys of `expectedFailures` that name no case (or no check of a case), for a clear error instead of a silently
 * ignored typo.
 */
export function unknownExpectedFailures(
  expectedFailures: Readonly<Record<string, string>>,
  caseNames: readonly string[],
): string[] {
  const known = new Set(caseNames.flatMap((n) => [n, `${n}:forward`, `${n}:gradients`]));
  return Object.keys(expectedFailures).filter((key) => !known.has(key));
}

/**
 * Runs `body` under an expectation.
 * @throws whatever `body` throws when no failure is expected;
 * @throws ConformanceError `EXPECTED_FAILURE_PASSED` when a failure is expected (`reason`) but `body` succeeds.
 */
export async function settle(testName: string, reason: string | undefined, body: () => Promise<void>): Promise<void> {
  if (reason === undefined) return body();
  try {
    await body();
  } catch {
    return;
  }
  throw new ConformanceError(
    "EXPECTED_FAILURE_PASSED",
    `${testName} passed but is listed in expectedFailures ("${reason}"): remove it from expectedFailures`,
  );
}

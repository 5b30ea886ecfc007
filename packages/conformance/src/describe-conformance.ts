/**
 * The one call a backend package makes (in a vitest file) to run every conformance case against itself.
 */
import { type Backend, CELLS, rnn } from "@recurrent/core";
import { beforeAll, describe, test } from "vitest";
import { allCases } from "./cases/index.js";
import { checkForward, checkGradients, unsupportedReason } from "./checks.js";
import type { Tolerance } from "./compare.js";
import { describeErrorPaths } from "./error-paths.js";
import { ConformanceError } from "./errors.js";
import { type CheckKind, expectedFailureOf, settle, unknownExpectedFailures } from "./expected-failure.js";
import { type Fixture, loadFixture } from "./fixture.js";
import { describeLengthsRule } from "./lengths-rule.js";
import { describePaddedInputs } from "./padded-inputs.js";
import { describePaddingRules } from "./padding-rules.js";
import { describeTrainerBehaviour } from "./trainer-behaviour.js";

/** Options of {@link describeConformance}. */
export interface ConformanceOptions {
  /**
   * Checks known to fail, with the reason: key `<case>` (both checks) or `<case>:forward` / `<case>:gradients`.
   * A listed check that fails passes as an expected failure; one that passes fails with "remove it from
   * expectedFailures".
   */
  readonly expectedFailures?: Readonly<Record<string, string>>;
  /** Absolute tolerance; default 1e-5. */
  readonly atol?: number;
  /** Relative tolerance; default 1e-4. */
  readonly rtol?: number;
  /** Run the gradient checks when the backend has `gradients()`; default true. */
  readonly gradients?: boolean;
  /**
   * Run the groups that build models of their own (lengths rule, padding rules, error paths); default true.
   * Only a test double that can replay fixture cases and nothing else (this package's runner tests) passes false.
   */
  readonly sharedGroups?: boolean;
}

/** Default absolute tolerance of {@link describeConformance}. */
export const DEFAULT_ATOL = 1e-5;
/** Default relative tolerance of {@link describeConformance}. */
export const DEFAULT_RTOL = 1e-4;

/**
 * Registers one vitest suite `conformance › <backend>` with, per case, a `forward` test and (when the backend
 * has `gradients()` and `options.gradients` is not false) a `gradients` test. Cases with a node the backend does
 * not `supports()` are registered as skipped tests whose name carries the reason. A `lengths rule` group checks
 * that a declared lengths feed is required everywhere and that a model declared without one needs none.
 * Call it at the top level of a test file: `describeConformance(jsBackend)`.
 * @throws ConformanceError `UNKNOWN_CASE` / `BAD_FIXTURE` at collection when a fixture is missing or malformed;
 * an `expectedFailures` key that names no case fails a test of its own.
 */
export function describeConformance(makeBackend: () => Backend, options: ConformanceOptions = {}): void {
  const backend = makeBackend();
  const expectedFailures = options.expectedFailures ?? {};
  const tolerance: Tolerance = { atol: options.atol ?? DEFAULT_ATOL, rtol: options.rtol ?? DEFAULT_RTOL };
  const withGradients = options.gradients !== false && backend.gradients !== undefined;
  const noGradients =
    options.gradients === false ? "gradients: false was passed" : `backend "${backend.name}" has no gradients()`;

  describe(`conformance › ${backend.name}`, () => {
    beforeAll(async () => {
      await backend.init?.();
    });

    test("expectedFailures names only known cases", () => {
      const unknown = unknownExpectedFailures(
        expectedFailures,
        allCases.map((c) => c.name),
      );
      if (unknown.length > 0) {
        throw new ConformanceError(
          "UNKNOWN_EXPECTED_FAILURE",
          `expectedFailures has keys that name no case: ${unknown.join(", ")}; ` +
            `use "<case>", "<case>:forward" or "<case>:gradients" with a name from allCases`,
        );
      }
    });

    // The lengths-rule and error-path groups run recurrent models of every cell; a backend without recurrent
    // kernels (docs/writing-a-backend.md's template) skips them with its supports() reason, as it skips cases.
    const shared = options.sharedGroups !== false;
    const noRnn = shared ? rnnSupportReason(backend) : "sharedGroups: false was passed";
    if (noRnn === undefined) describeLengthsRule(backend, tolerance);
    else test.skip(`lengths rule (skipped: ${noRnn})`, () => {});
    if (shared) describePaddingRules(backend);
    if (noRnn === undefined) describeErrorPaths(backend);
    else test.skip(`error paths (skipped: ${noRnn})`, () => {});
    if (noRnn === undefined) describePaddedInputs(backend);
    else test.skip(`padded input frames (skipped: ${noRnn})`, () => {});
    if (noRnn === undefined) describeTrainerBehaviour(backend);
    else test.skip(`trainer behaviour (skipped: ${noRnn})`, () => {});

    for (const c of allCases) {
      const fixture = loadFixture(c.name);
      const skip = unsupportedReason(backend, fixture);
      describe(c.name, () => {
        register(backend, fixture, "forward", skip, expectedFailures, tolerance);
        register(
          backend,
          fixture,
          "gradients",
          skip ?? (withGradients ? undefined : noGradients),
          expectedFailures,
          tolerance,
        );
      });
    }
  });
}

function register(
  backend: Backend,
  fixture: Fixture,
  check: CheckKind,
  skip: string | undefined,
  expectedFailures: Readonly<Record<string, string>>,
  tolerance: Tolerance,
): void {
  if (skip !== undefined) {
    test.skip(`${check} — skipped: ${skip}`, () => {});
    return;
  }
  const reason = expectedFailureOf(expectedFailures, fixture.name, check);
  const name = reason === undefined ? check : `${check} (expected failure: ${reason})`;
  const run = check === "forward" ? checkForward : checkGradients;
  test(name, () => settle(`${fixture.name} › ${check}`, reason, () => run(backend, fixture, tolerance)));
}

/** Why `backend` cannot run an rnn of some cell, or undefined when it runs them all. */
function rnnSupportReason(backend: Backend): string | undefined {
  for (const cell of CELLS) {
    const ok = backend.supports(rnn("r", { cell, units: 1 }));
    if (ok !== true) return `rnn (${cell}): ${ok}`;
  }
  return undefined;
}

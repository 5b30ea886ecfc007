/**
 * The two checks of a case against a backend: forward outputs (every fetched value, valid steps only) and the
 * loss with its gradients with respect to every weight and float feed.
 */
import type { Backend, Tensor } from "@recurrent/core";
import { compareScalar, compareTensor, type Tolerance } from "./compare.js";
import { ConformanceError } from "./errors.js";
import type { Fixture, FixtureValue } from "./fixture.js";
import { materializeFixture } from "./materialize.js";

/** The first node of the fixture's graph that `backend` cannot run, with its reason; undefined if none. */
export function unsupportedReason(backend: Backend, fixture: Fixture): string | undefined {
  for (const node of fixture.graph.nodes) {
    const ok = backend.supports(node);
    if (ok !== true) return `node "${node.id}" (${node.op}): ${ok}`;
  }
  return undefined;
}

function lengthsOf(fixture: Fixture, value: FixtureValue): Int32Array | undefined {
  if (value.lengths === null) return undefined;
  const lengths = fixture.feeds.lengths[value.lengths];
  return lengths === undefined ? undefined : Int32Array.from(lengths);
}

function fail(fixture: Fixture, backend: Backend, check: string, problems: readonly string[]): never {
  throw new ConformanceError(
    "MISMATCH",
    `case "${fixture.name}" ${check} on backend "${backend.name}" differs from PyTorch ` +
      `(${fixture.description}):\n  - ${problems.join("\n  - ")}`,
    fixture.name,
  );
}

/**
 * Compiles the fixture's model, runs it fetching every expected value (outputs and states) and compares them.
 * @throws ConformanceError `MISMATCH` listing every differing value; backend errors propagate.
 */
export async function checkForward(backend: Backend, fixture: Fixture, tolerance: Tolerance): Promise<void> {
  const { model, weights, feeds } = materializeFixture(fixture);
  const names = Object.keys(fixture.expected.outputs);
  const executable = await backend.compile(model, weights);
  let outputs: Readonly<Record<string, Tensor>>;
  try {
    outputs = await executable.run(feeds, { fetch: names });
  } finally {
    await executable.dispose();
  }
  const problems = names.flatMap((name) => {
    const expected = fixture.expected.outputs[name]!;
    return compareTensor(name, outputs[name], expected, tolerance, lengthsOf(fixture, expected));
  });
  if (problems.length > 0) fail(fixture, backend, "forward", problems);
}

/**
 * Asks `backend.gradients` for the loss and its gradients and compares them with PyTorch's (input gradients on
 * valid steps only).
 * @throws ConformanceError `MISMATCH` listing every differing or missing gradient; backend errors propagate.
 */
export async function checkGradients(backend: Backend, fixture: Fixture, tolerance: Tolerance): Promise<void> {
  if (!backend.gradients) throw new Error(`backend "${backend.name}" has no gradients()`);
  const { model, weights, feeds, target, loss, output } = materializeFixture(fixture);
  const result = await backend.gradients(model, weights, { inputs: feeds, target }, { loss, output });
  const expected = fixture.expected.gradients;
  const problems = [
    ...compareScalar("loss", result.loss, fixture.expected.loss, tolerance),
    ...Object.entries(expected.weights).flatMap(([key, e]) =>
      compareTensor(`d loss / d ${key}`, result.weights[key], e, tolerance),
    ),
    ...Object.keys(result.weights)
      .filter((key) => !(key in expected.weights))
      .map((key) => `d loss / d ${key}: returned, but the model has no weight "${key}"`),
    ...Object.entries(expected.inputs).flatMap(([key, e]) =>
      compareTensor(`d loss / d ${key} (feed)`, result.inputs[key], e, tolerance, lengthsOf(fixture, e)),
    ),
  ];
  if (problems.length > 0) fail(fixture, backend, "gradients", problems);
}

/**
 * @recurrent/conformance — shared conformance cases with PyTorch-generated fixtures. A backend runs them all with
 * `describeConformance(makeBackend)` inside one of its vitest files. Private; Node-only (reads fixture files).
 */
export type { Case, CaseInit, CaseLoss } from "./case.js";
export { defineCase, seedOf } from "./case.js";
export { allCases } from "./cases/index.js";
export { checkForward, checkGradients, unsupportedReason } from "./checks.js";
export type { Tolerance } from "./compare.js";
export { compareScalar, compareTensor } from "./compare.js";
export type { ConformanceOptions } from "./describe-conformance.js";
export { DEFAULT_ATOL, DEFAULT_RTOL, describeConformance } from "./describe-conformance.js";
export type { ConformanceErrorCode } from "./errors.js";
export { ConformanceError } from "./errors.js";
export type { CheckKind } from "./expected-failure.js";
export { expectedFailureOf, settle, unknownExpectedFailures } from "./expected-failure.js";
export type { Fixture, FixtureLoss, FixtureTensor, FixtureValue } from "./fixture.js";
export { fixturesDir, loadFixture } from "./fixture.js";
export type { MaterializedFixture } from "./materialize.js";
export { materializeFixture, toTensor } from "./materialize.js";
export type { HostClip, HostUpdate } from "./training-checks.js";
export { describeClipping, describeTrainerFixtures, describeUpdateRules } from "./training-checks.js";
export type {
  ClippingFixtureCase,
  OptimizerFixtureCase,
  TrainerFixture,
  TrainerFixtureCase,
  TrainingFixtures,
} from "./training-fixtures.js";
export {
  loadTrainingFixture,
  trainerFixtureBatch,
  trainerFixtureModel,
  trainingFixturesDir,
} from "./training-fixtures.js";

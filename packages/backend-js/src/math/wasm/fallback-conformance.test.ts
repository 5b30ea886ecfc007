/**
 * The whole conformance suite (PyTorch fixtures, atol 1e-5) once more with the SIMD kernels switched off, so
 * that the scalar fallback stays correct on machines that have SIMD (src/conformance.test.ts runs the default).
 */
import { describeConformance } from "@recurrent/conformance";
import { afterAll, beforeAll, expect, test } from "vitest";
import { jsBackend } from "../../index.js";
import { wasmArena } from "./arena.js";
import { setKernelMode } from "./simd-support.js";

beforeAll(() => setKernelMode("scalar"));
afterAll(() => setKernelMode("auto"));

describeConformance(jsBackend, { atol: 1e-5, rtol: 0 });

test("the SIMD kernels are off in this file", () => {
  expect(wasmArena()).toBeUndefined();
});

/**
 * The whole conformance suite (PyTorch fixtures, atol 1e-5) under each WebAssembly product kernel: the fused
 * multiply-add one (relaxed SIMD; Node 20 needs the V8 flag set below, and this file runs in its own process)
 * and the plain f32x4 multiply + add one. src/conformance.test.ts runs whichever the runtime picks by default,
 * fallback-conformance.test.ts the scalar kernels.
 */
import { setFlagsFromString } from "node:v8";
import { describeConformance } from "@recurrent/conformance";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { jsBackend } from "../../index.js";
import { productKernel } from "./arena.js";
import { setProductKernel, simdSupported } from "./simd-support.js";

setFlagsFromString("--experimental-wasm-relaxed-simd");

for (const kernel of ["fma", "simd"] as const) {
  describe.skipIf(!simdSupported())(`${kernel} product kernel`, () => {
    beforeAll(() => setProductKernel(kernel === "fma" ? "auto" : "simd"));
    afterAll(() => setProductKernel("auto"));

    test(`the ${kernel} kernel is in force`, () => {
      expect(productKernel()).toBe(kernel);
    });

    describeConformance(jsBackend, { atol: 1e-5, rtol: 0 });
  });
}

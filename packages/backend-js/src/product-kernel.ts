/**
 * Which matrix-product kernel backend-js runs, for benchmarks to print next to their timings. A module of its own
 * so that the published `.d.ts` of the main entry never mentions `WebAssembly` types: a strict TypeScript project
 * without the DOM lib (Node, `moduleResolution: "node16"`) has no such namespace.
 */
import { productKernel as current } from "./math/wasm/arena.js";

/** `"fma"` (WebAssembly relaxed SIMD, fused multiply-add), `"simd"` (WebAssembly SIMD) or `"scalar"` (JavaScript). */
export type ProductKernel = "fma" | "simd" | "scalar";

/** The matrix-product kernel in force now (see {@link ProductKernel}). */
export function productKernel(): ProductKernel {
  return current();
}

/**
 * Feature detection for the WebAssembly SIMD kernels (and relaxed SIMD's fused multiply-add), and the switches
 * that force the scalar kernels or the plain SIMD product (tests of each path, side-by-side benchmarks).
 */

/** A 49-byte module that uses v128, a saturating conversion and memory.fill: what kernels.wat needs. */
const PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 5, 3, 1, 0, 1, 10, 23, 1, 21, 0, 65, 0, 65, 0, 65, 0,
  252, 11, 0, 67, 0, 0, 0, 0, 253, 19, 253, 248, 1, 11,
]);

/**
 * Whether this runtime runs WebAssembly with fixed-width SIMD and bulk memory (Node ≥ 16.4, current browsers).
 * @param validate the validator to ask (tests pass a stub); default `WebAssembly.validate`, false when the
 *   runtime has no WebAssembly at all.
 */
export function simdSupported(validate?: (bytes: Uint8Array<ArrayBuffer>) => boolean): boolean {
  if (validate !== undefined) return validate(PROBE);
  if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") return false;
  return WebAssembly.validate(PROBE);
}

/**
 * A 44-byte module with one `f32x4.relaxed_madd`: what the fused multiply-add product kernel needs (relaxed
 * SIMD; Chrome ≥ 114, Node ≥ 22, Node 20 behind `--experimental-wasm-relaxed-simd`).
 */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 13, 1, 11,
  0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

/**
 * Whether this runtime validates relaxed SIMD's fused multiply-add (`f32x4.relaxed_madd`).
 * @param validate the validator to ask (tests pass a stub); default `WebAssembly.validate`.
 */
export function relaxedSimdSupported(validate?: (bytes: Uint8Array<ArrayBuffer>) => boolean): boolean {
  if (validate !== undefined) return validate(RELAXED_PROBE);
  if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") return false;
  return WebAssembly.validate(RELAXED_PROBE);
}

/**
 * The matrix-product kernel: `"auto"` (default) uses the fused multiply-add kernel where the runtime has
 * relaxed SIMD and the plain f32x4 multiply + add one elsewhere; `"simd"` always the plain one.
 */
export type ProductKernelChoice = "auto" | "simd";

let productChoice: ProductKernelChoice = "auto";

/** Selects the product kernel from now on (tests of both, side-by-side benchmarks). */
export function setProductKernel(next: ProductKernelChoice): void {
  productChoice = next;
}

/** The choice set by {@link setProductKernel}. */
export function productKernelChoice(): ProductKernelChoice {
  return productChoice;
}

/**
 * `"auto"`: the SIMD kernels when supported; `"scalar"`: always the JavaScript kernels; `"gemm"`: SIMD matrix
 * products only, recurrent time loops in JavaScript (to measure what the fused loop buys).
 */
export type KernelMode = "auto" | "scalar" | "gemm";

let mode: KernelMode = "auto";

/**
 * Selects the kernels used by matrix products and recurrent cells from now on. Programs compiled before keep
 * working either way (packed weights fall back to their JavaScript copy). For tests and benchmarks.
 */
export function setKernelMode(next: KernelMode): void {
  mode = next;
}

/** The mode set by {@link setKernelMode}. */
export function kernelMode(): KernelMode {
  return mode;
}

/**
 * The machine's peak as WebAssembly sees it: a module whose only function runs `n` iterations of
 * `aᵢ ← aᵢ·x + y` on {@link ACCUMULATORS} independent f32x4 accumulators — enough independent chains to cover
 * the multiply-add latency on two vector pipes — and returns the sum of their first lanes (so nothing is dead
 * code). With `fma`, each update is one `f32x4.relaxed_madd` (relaxed SIMD, a fused multiply-add where the CPU
 * has one); otherwise `f32x4.mul` then `f32x4.add`. Either way an iteration is `ACCUMULATORS · 4 · 2` FLOP.
 *
 * The bytes are assembled here (a few dozen opcodes) rather than compiled from text, so the bench needs no
 * WebAssembly toolchain at run time. x = 0.9999 and y = 0.0001 keep the accumulators on a bounded orbit
 * (no overflow, no denormals).
 */

/** Independent f32x4 chains per iteration. */
export const ACCUMULATORS = 12;
/** FLOP per loop iteration: each lane of each accumulator does one multiply and one add. */
export const FLOP_PER_ITERATION = ACCUMULATORS * 4 * 2;
/** The multiplier and the addend of every update. */
export const X = 0.9999;
export const Y = 0.0001;

/** Unsigned LEB128 (every count here is small). */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function f32(value: number): number[] {
  return [...new Uint8Array(new Float32Array([value]).buffer)];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

// Opcodes (WebAssembly core + SIMD + relaxed SIMD; SIMD ones after the 0xfd prefix, LEB128-encoded).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const SIMD = 0xfd;
const F32X4_SPLAT = [SIMD, ...uleb(0x13)];
const F32X4_EXTRACT_LANE_0 = [SIMD, ...uleb(0x1f), 0];
const F32X4_ADD = [SIMD, ...uleb(0xe4)];
const F32X4_MUL = [SIMD, ...uleb(0xe6)];
const F32X4_RELAXED_MADD = [SIMD, ...uleb(0x105)];

/**
 * The module's bytes. Export `run(n: i32) -> f32`.
 * @param fma one relaxed-SIMD fused multiply-add per update instead of a multiply and an add.
 */
export function fmaLoopModule(fma: boolean): Uint8Array<ArrayBuffer> {
  // Locals: 0 = n (param); 1..K accumulators; K+1 = x; K+2 = y.
  const x = ACCUMULATORS + 1;
  const y = ACCUMULATORS + 2;
  const update = (i: number) =>
    fma
      ? [LOCAL_GET, i, LOCAL_GET, x, LOCAL_GET, y, ...F32X4_RELAXED_MADD, LOCAL_SET, i]
      : [LOCAL_GET, i, LOCAL_GET, x, ...F32X4_MUL, LOCAL_GET, y, ...F32X4_ADD, LOCAL_SET, i];
  const accs = Array.from({ length: ACCUMULATORS }, (_, k) => k + 1);
  const code = [
    0x43,
    ...f32(X),
    ...F32X4_SPLAT,
    LOCAL_SET,
    x, // x = splat(X)
    0x43,
    ...f32(Y),
    ...F32X4_SPLAT,
    LOCAL_SET,
    y, // y = splat(Y)
    0x02,
    0x40, // block
    0x03,
    0x40, // loop
    LOCAL_GET,
    0,
    0x45,
    0x0d,
    1, // br_if (n == 0) out of the block
    ...accs.flatMap(update),
    LOCAL_GET,
    0,
    0x41,
    1,
    0x6b,
    LOCAL_SET,
    0, // n -= 1
    0x0c,
    0, // br to the loop
    0x0b, // end loop
    0x0b, // end block
    LOCAL_GET,
    1,
    ...F32X4_EXTRACT_LANE_0,
    ...accs.slice(1).flatMap((i) => [LOCAL_GET, i, ...F32X4_EXTRACT_LANE_0, 0x92]), // f32.add
    0x0b, // end function
  ];
  const locals = [1, ...uleb(ACCUMULATORS + 2), 0x7b]; // one group of v128 locals
  const body = [...locals, ...code];
  const run = [..."run"].map((c) => c.charCodeAt(0));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7d]), // type 0: (i32) -> f32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(7, [1, run.length, ...run, 0x00, 0]), // export "run" = function 0
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

import { assertValid, dense, initWeights, input, lstm, sequential } from "@recurrent/core";
import { afterEach, describe, expect, test } from "vitest";
import { jsBackend } from "../../index.js";
import { gemm } from "../gemm.js";
import { productKernel, wasmArena } from "./arena.js";
import { kernelMode, relaxedSimdSupported, setKernelMode, setProductKernel, simdSupported } from "./simd-support.js";

afterEach(() => {
  setKernelMode("auto");
  setProductKernel("auto");
});

describe("feature detection and the scalar fallback", () => {
  test("simdSupported asks the validator about a SIMD module and follows its answer", () => {
    const seen: Uint8Array[] = [];
    expect(
      simdSupported((b) => {
        seen.push(b);
        return false;
      }),
    ).toBe(false);
    expect(simdSupported(() => true)).toBe(true);
    // The probe is a wasm binary (magic "\0asm") that uses the SIMD prefix 0xfd.
    expect([...seen[0]!.subarray(0, 4)]).toEqual([0, 97, 115, 109]);
    expect(seen[0]!.includes(0xfd)).toBe(true);
  });

  test("the probe is a valid module where this runtime has SIMD (Node ≥ 16.4)", () => {
    expect(simdSupported()).toBe(WebAssembly.validate(seenProbe()));
  });

  test("relaxedSimdSupported asks the validator about a module with f32x4.relaxed_madd", () => {
    let seen = new Uint8Array(0);
    expect(
      relaxedSimdSupported((b) => {
        seen = b;
        return false;
      }),
    ).toBe(false);
    expect(relaxedSimdSupported(() => true)).toBe(true);
    // "\0asm", then the SIMD prefix 0xfd with relaxed_madd's LEB128 opcode 0x105 (0x85 0x02).
    expect([...seen.subarray(0, 4)]).toEqual([0, 97, 115, 109]);
    expect(Buffer.from(seen).includes(Buffer.from([0xfd, 0x85, 0x02]))).toBe(true);
    // Whatever this runtime answers, the probe is a well-formed module: WebAssembly.Module rejects it only for
    // the missing feature, with a CompileError.
    if (!relaxedSimdSupported()) expect(() => new WebAssembly.Module(seen)).toThrow(WebAssembly.CompileError);
  });

  test("productKernel reports the kernel in force, and follows setProductKernel and setKernelMode", () => {
    if (!simdSupported()) {
      expect(productKernel()).toBe("scalar");
      return;
    }
    expect(productKernel()).toBe(relaxedSimdSupported() ? "fma" : "simd");
    setProductKernel("simd");
    expect(productKernel()).toBe("simd");
    expect(wasmArena()!.product).toBe("simd");
    setKernelMode("scalar");
    expect(productKernel()).toBe("scalar");
  });

  test('setKernelMode("scalar") turns the arena off; "auto" brings it back', () => {
    setKernelMode("scalar");
    expect(kernelMode()).toBe("scalar");
    expect(wasmArena()).toBeUndefined();
    setKernelMode("auto");
    expect(wasmArena() !== undefined).toBe(simdSupported());
  });

  test("forced scalar: gemm still matches the exact product", () => {
    setKernelMode("scalar");
    // Small integers: every product and sum is exact in float32, so the result must be exact.
    const A = new Float32Array([1, 2, 3, 4, 5, 6]); // [2, 3]
    const B = new Float32Array([7, 8, 9, 10, 11, 12]); // [3, 2]
    const C = new Float32Array(4);
    gemm(2, 2, 3, A, 0, 3, false, B, 0, 2, false, C, 0, 2, false);
    expect([...C]).toEqual([58, 64, 139, 154]);
  });

  test("an LSTM model gives the same outputs on the scalar and the SIMD kernels", async () => {
    const model = assertValid(
      sequential("m", [input("x", 5), lstm("l", { units: 8, direction: "bidirectional" }), dense("o", { units: 3 })]),
    );
    const weights = initWeights(model, { seed: 3 });
    const x = { shape: [6, 3, 5], data: Float32Array.from({ length: 90 }, (_, i) => Math.sin(i)) };
    const lengths = new Int32Array([6, 2, 0]);
    const outputs = [];
    for (const mode of ["scalar", "auto"] as const) {
      setKernelMode(mode);
      const exe = await jsBackend().compile(model, weights);
      outputs.push(
        (await exe.run({ x, lengths }, { fetch: ["o", "l/h", "l/c"] })) as Record<string, { data: Float32Array }>,
      );
    }
    const [scalar, simd] = outputs as [Record<string, { data: Float32Array }>, Record<string, { data: Float32Array }>];
    for (const key of ["o", "l/h", "l/c"]) {
      const a = scalar[key]!.data;
      const b = simd[key]!.data;
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5);
    }
    // Padded frames are zero on both.
    expect(scalar.o!.data.subarray(2 * 9 + 1 * 3, 2 * 9 + 2 * 3).every((v) => v === 0)).toBe(true);
  });
});

function seenProbe(): Uint8Array<ArrayBuffer> {
  let probe = new Uint8Array(0);
  simdSupported((b) => {
    probe = b;
    return true;
  });
  return probe;
}

import { describe, expect, test } from "vitest";
import { activate, activateBackward, biasActivate } from "./activations.js";

/** Edge floats: zeros of both signs, subnormals, infinities, the largest finite, NaN of both signs. */
function edges(): Float32Array {
  const negNaN = new Float32Array(1);
  new Int32Array(negNaN.buffer)[0] = -1; // sign bit set, all-ones mantissa
  return Float32Array.from([0, -0, 1, -1, 0.5, 1e-45, -1e-45, 3.4e38, -3.4e38, Infinity, -Infinity, NaN, negNaN[0]!]);
}

// The reference is the plain runtime's comparison `v > 0`, element by element.
describe("relu on the bits (branch-free) agrees with `v > 0 ? v : 0` on every edge float", () => {
  test("activate: NaN and −0 give +0", () => {
    const x = edges();
    const y = x.slice();
    activate("relu", y, 1, y.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      expect(Object.is(y[i], Number.isNaN(v) || v <= 0 ? 0 : v), `relu(${v})`).toBe(true);
    }
  });

  test("biasActivate adds the bias first, then the same relu; linear only adds", () => {
    const y = Float32Array.from([-1, 2, Number.NaN, 0.25, -0.25, 4]);
    biasActivate("relu", y, 2, 3, Float32Array.from([0.5, -3, 1]));
    expect([...y]).toEqual([0, 0, 0, 0.75, 0, 5]);
    const z = Float32Array.from([-1, 2, 3]);
    biasActivate("linear", z, 1, 3, Float32Array.from([0.5, -3, 1]));
    expect([...z]).toEqual([-0.5, -1, 4]);
  });

  test("activateBackward: dz = dy where y > 0, +0 elsewhere (also for NaN and −0 in y)", () => {
    const y = edges();
    const dy = Float32Array.from(y, (_, i) => i - 3.5);
    const dz = new Float32Array(y.length);
    activateBackward("relu", y, dy, dz, 1, y.length);
    for (let i = 0; i < y.length; i++) {
      expect(Object.is(dz[i], y[i]! > 0 ? dy[i] : 0), `relu'(${y[i]})·${dy[i]}`).toBe(true);
    }
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { conv1d, dense, frameStack, input, rnn, sequential } from "../ir/builders.js";
import { assertValid } from "../ir/validate.js";
import type { Tensor } from "../tensor/tensor.js";
import { initParam, initWeights } from "./init.js";
import { orthogonalFactor } from "./orthogonal.js";
import { createRng } from "./random.js";

// numpy.linalg.qr (LAPACK) with Q·diag(sign(diag(R))), made by tooling/torch-export/make_reference_values.py.
const reference = JSON.parse(
  readFileSync(new URL("../../test-fixtures/reference-values.json", import.meta.url), "utf8"),
) as { qr: { n: number; a: number[]; q: number[] }[] };

const model = assertValid(
  sequential("init", [
    input("x", 6),
    conv1d("conv", { filters: 10, kernelSize: 3 }),
    rnn("blstm", { cell: "lstm", units: 32, direction: "bidirectional", merge: "concat" }),
    rnn("gru", { cell: "gru", units: 12 }),
    rnn("srnn", { cell: "simple", units: 7 }),
    dense("out", { units: 4 }),
  ]),
);

/** Max |(BᵀB − I)ᵢⱼ| over one n×n row block of `t` (rows block·n .. block·n+n−1), accumulated in float64. */
function orthogonalityError(t: Tensor, block: number, n: number): number {
  const gram = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const row = t.data.subarray((block * n + k) * n, (block * n + k + 1) * n);
    for (let i = 0; i < n; i++) {
      const ri = row[i]!;
      for (let j = 0; j < n; j++) gram[i * n + j]! += ri * row[j]!;
    }
  }
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(gram[i * n + j]! - (i === j ? 1 : 0)));
  }
  return worst;
}

describe("orthogonalFactor", () => {
  test.each(reference.qr)("matches numpy's sign-corrected Q for n = $n", ({ n, a, q }) => {
    const out = orthogonalFactor(Float64Array.from(a), n);
    const err = Math.max(...Array.from(out, (v, i) => Math.abs(v - q[i]!)));
    expect(err).toBeLessThan(1e-12);
  });

  test("rejects a non-square input", () => {
    expect(() => orthogonalFactor(new Float64Array(6), 2)).toThrow(RangeError);
  });
});

describe("initWeights", () => {
  const w = initWeights(model, { seed: 1 });

  test("every ParamSpec gets a tensor of its shape, and nothing else", () => {
    const expected = [...model.info.params].flatMap(([id, specs]) => specs.map((s) => [`${id}/${s.name}`, s.shape]));
    expect(Object.keys(w).sort()).toEqual(expected.map(([k]) => k).sort());
    for (const [key, shape] of expected) {
      const t = w[key as string]!;
      expect(t.shape, key as string).toEqual(shape);
      expect(t.data.length).toBe((shape as number[]).reduce((a, b) => a * b, 1));
    }
    expect(Object.keys(w)).toContain("blstm/weight_hh_reverse");
  });

  test("recurrent weights are orthogonal per H×H gate block (QᵀQ = I within 1e-5)", () => {
    for (const [key, blocks, n] of [
      ["blstm/weight_hh", 4, 32],
      ["blstm/weight_hh_reverse", 4, 32],
      ["gru/weight_hh", 3, 12],
      ["srnn/weight_hh", 1, 7],
    ] as const) {
      for (let b = 0; b < blocks; b++)
        expect(orthogonalityError(w[key]!, b, n), `${key} block ${b}`).toBeLessThan(1e-5);
    }
    // Independent blocks, not one matrix repeated.
    const hh = w["blstm/weight_hh"]!.data;
    expect(hh.subarray(0, 32 * 32)).not.toEqual(hh.subarray(32 * 32, 2 * 32 * 32));
  });

  test("a 512×512 recurrent weight is orthogonal", () => {
    const big = assertValid(sequential("big", [input("x", 2), rnn("r", { cell: "simple", units: 512 })]));
    const weights = initWeights(big, { seed: 3 });
    expect(orthogonalityError(weights["r/weight_hh"]!, 0, 512)).toBeLessThan(1e-5);
  });

  test("glorot uniform: within ±limit, mean 0 and variance limit²/3 (5-sigma tolerances)", () => {
    const big = assertValid(sequential("glorot", [input("x", 512), dense("d", { units: 256 })]));
    const t = initWeights(big, { seed: 4 })["d/weight"]!;
    const limit = Math.sqrt(6 / (512 + 256));
    const N = t.data.length;
    let sum = 0;
    let sumSq = 0;
    let maxAbs = 0;
    for (const v of t.data) {
      sum += v;
      sumSq += v * v;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    expect(maxAbs).toBeLessThanOrEqual(Math.fround(limit));
    // P(max|w| < limit·(1 − 20/N)) = (1 − 20/N)^N ≈ e^−20: the bound is really the limit, not something smaller.
    expect(maxAbs).toBeGreaterThan(limit * (1 - 20 / N));
    // U(−l, l): sd of the mean is l/√(3N); Var(w²) = l⁴/5 − l⁴/9 = 4l⁴/45.
    expect(Math.abs(sum / N)).toBeLessThan((5 * limit) / Math.sqrt(3 * N));
    expect(Math.abs(sumSq / N - limit ** 2 / 3)).toBeLessThan(5 * Math.sqrt((4 * limit ** 4) / 45 / N));
  });

  test("glorot fans follow the spec: conv1d uses fanIn = in·k, fanOut = filters·k", () => {
    const conv = w["conv/weight"]!;
    const limit = Math.sqrt(6 / (6 * 3 + 10 * 3));
    const maxAbs = Math.max(...Array.from(conv.data, Math.abs));
    expect(maxAbs).toBeLessThanOrEqual(Math.fround(limit));
    expect(maxAbs).toBeGreaterThan(limit * 0.9); // 180 samples: P(all within 0.9·l) = 0.9^180 ≈ 6e−9
  });

  test("LSTM forget-gate block of bias_ih is 1, everything else in the biases is 0", () => {
    const H = 32;
    for (const suffix of ["", "_reverse"]) {
      const ih = Array.from(w[`blstm/bias_ih${suffix}`]!.data);
      expect(ih).toEqual([...new Array(H).fill(0), ...new Array(H).fill(1), ...new Array(2 * H).fill(0)]);
      expect(Array.from(w[`blstm/bias_hh${suffix}`]!.data)).toEqual(new Array(4 * H).fill(0));
    }
    expect(Array.from(w["gru/bias_ih"]!.data)).toEqual(new Array(36).fill(0));
    expect(Array.from(w["out/bias"]!.data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(w["conv/bias"]!.data)).toEqual(new Array(10).fill(0));
  });

  test("same seed gives identical weights; another seed differs everywhere", () => {
    const again = initWeights(model, { seed: 1 });
    const other = initWeights(model, { seed: 2 });
    for (const key of Object.keys(w)) {
      expect(again[key]!.data, key).toEqual(w[key]!.data);
      if (!/bias/.test(key)) expect(other[key]!.data, key).not.toEqual(w[key]!.data);
    }
  });

  test("each weight has its own stream: adding a node leaves the others unchanged", () => {
    const grown = assertValid(
      sequential("init", [
        input("x", 6),
        frameStack("ctx", { left: 0 }),
        conv1d("conv", { filters: 10, kernelSize: 3 }),
        rnn("blstm", { cell: "lstm", units: 32, direction: "bidirectional", merge: "concat" }),
        rnn("extra", { cell: "lstm", units: 64 }),
        dense("out", { units: 4 }),
      ]),
    );
    const g = initWeights(grown, { seed: 1 });
    expect(g["conv/weight"]!.data).toEqual(w["conv/weight"]!.data);
    expect(g["blstm/weight_hh_reverse"]!.data).toEqual(w["blstm/weight_hh_reverse"]!.data);
  });

  test.each([Number.NaN, Number.POSITIVE_INFINITY, undefined, "1"])("rejects seed %s with a clear error", (seed) => {
    expect(() => initWeights(model, { seed } as unknown as { seed: number })).toThrow(
      /initWeights: options\.seed must be a finite number/,
    );
  });
});

describe("initParam", () => {
  test("gateBias fills the requested block", () => {
    const t = initParam(
      "n/b",
      { name: "b", shape: [6], init: { kind: "gateBias", blocks: 3, block: 2, value: -0.5 } },
      createRng(1),
    );
    expect(Array.from(t.data)).toEqual([0, 0, 0, 0, -0.5, -0.5]);
  });

  test("an orthogonal spec whose blocks are not square is refused", () => {
    expect(() =>
      initParam("n/w", { name: "w", shape: [6, 4], init: { kind: "orthogonal", blocks: 2 } }, createRng(1)),
    ).toThrow(/expected \[2·H, H\]/);
  });

  test("a gate block count that does not divide the rows is refused", () => {
    expect(() =>
      initParam(
        "n/b",
        { name: "b", shape: [7], init: { kind: "gateBias", blocks: 2, block: 0, value: 1 } },
        createRng(1),
      ),
    ).toThrow(/multiple of 2 blocks/);
  });
});

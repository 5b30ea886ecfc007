import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { createRng, shuffle } from "./random.js";

interface RngCase {
  seed: number;
  stream: string;
  next: number[];
  normal: number[];
  int: { n: number[]; values: number[] };
  shuffle10: number[];
}
// Made by tooling/torch-export/make_reference_values.py: an independent Python implementation of the documented
// algorithm, checked there against the reference C xoshiro128** outputs.
const reference = JSON.parse(
  readFileSync(new URL("../../test-fixtures/reference-values.json", import.meta.url), "utf8"),
) as { rng: RngCase[] };

describe("createRng matches the Python reference implementation", () => {
  test.each(reference.rng)("seed $seed stream '$stream'", (c) => {
    const a = createRng(c.seed, c.stream);
    expect(c.next.map(() => a.next())).toEqual(c.next);
    const b = createRng(c.seed, c.stream);
    const normals = c.normal.map(() => b.normal());
    for (const [i, z] of normals.entries()) expect(z).toBeCloseTo(c.normal[i]!, 12);
    const d = createRng(c.seed, c.stream);
    expect(c.int.n.map((n) => d.int(n))).toEqual(c.int.values);
    expect(shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], createRng(c.seed, c.stream))).toEqual(c.shuffle10);
  });
});

describe("createRng", () => {
  test("same seed gives the same sequence; different seeds and streams differ", () => {
    const draw = (seed: number, stream?: string) => {
      const r = createRng(seed, stream);
      return Array.from({ length: 16 }, () => r.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7, "a")).not.toEqual(draw(7, "b"));
    expect(draw(1)).not.toEqual(draw(1.5));
    expect(draw(0)).toEqual(draw(-0));
  });

  test.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, "1" as unknown as number])(
    "rejects seed %s",
    (seed) => {
      expect(() => createRng(seed)).toThrow(/seed must be a finite number/);
    },
  );

  test("next() is uniform on [0, 1): moments and a 10-bin chi-square", () => {
    const r = createRng(3);
    const N = 100_000;
    const bins = new Array<number>(10).fill(0);
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
      bins[Math.floor(u * 10)]!++;
    }
    expect(outside).toBe(0);
    const mean = sum / N;
    // sd of the mean of U(0,1) is sqrt(1/12 / N) ≈ 0.00091; allow 5 sd.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / N));
    const variance = sumSq / N - mean * mean;
    // Var(U²) = 1/5 − 1/9 = 4/45 bounds the sd of the second moment; allow 5 sd.
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt(4 / 45 / N));
    const expected = N / 10;
    const chi2 = bins.reduce((s, o) => s + (o - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.88); // chi-square 9 dof, p = 0.001
  });

  test("normal() has mean 0, variance 1 and light tails", () => {
    const r = createRng(11);
    const N = 100_000;
    let sum = 0;
    let sumSq = 0;
    let beyond3 = 0;
    for (let i = 0; i < N; i++) {
      const z = r.normal();
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) > 3) beyond3++;
    }
    expect(Math.abs(sum / N)).toBeLessThan(5 / Math.sqrt(N));
    // Var(Z²) = 2 for a standard normal; allow 5 sd.
    expect(Math.abs(sumSq / N - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    // P(|Z| > 3) = 0.0027: expect 270 ± 5·sqrt(270).
    expect(Math.abs(beyond3 - 0.0027 * N)).toBeLessThan(5 * Math.sqrt(0.0027 * N));
  });

  test("int(n) is unbiased for an n that does not divide 2^32", () => {
    const r = createRng(5);
    const counts = new Array<number>(7).fill(0);
    const N = 70_000;
    for (let i = 0; i < N; i++) counts[r.int(7)]!++;
    const chi2 = counts.reduce((s, o) => s + (o - N / 7) ** 2 / (N / 7), 0);
    expect(chi2).toBeLessThan(22.46); // chi-square 6 dof, p = 0.001
  });

  test.each([0, -1, 2.5, 2 ** 32 + 1, Number.NaN])("int(%s) throws a RangeError", (n) => {
    expect(() => createRng(1).int(n)).toThrow(RangeError);
  });

  test("fork() gives an independent, reproducible generator and advances the parent", () => {
    const a = createRng(9);
    const child = a.fork();
    const b = createRng(9);
    const child2 = b.fork();
    const take = (r: { next(): number }) => Array.from({ length: 8 }, () => r.next());
    const c1 = take(child);
    expect(c1).toEqual(take(child2));
    expect(take(a)).toEqual(take(b));
    expect(c1).not.toEqual(take(createRng(9)));
  });
});

describe("shuffle", () => {
  test("returns the same array, a permutation of its elements", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const out = shuffle(items, createRng(2));
    expect(out).toBe(items);
    expect([...out].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(out).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  test("handles empty and one-element arrays", () => {
    expect(shuffle([], createRng(1))).toEqual([]);
    expect(shuffle(["x"], createRng(1))).toEqual(["x"]);
  });

  test("all 6 permutations of 3 elements are equally likely", () => {
    const r = createRng(13);
    const counts = new Map<string, number>();
    const N = 60_000;
    for (let i = 0; i < N; i++) {
      const key = shuffle([0, 1, 2], r).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((s, o) => s + (o - N / 6) ** 2 / (N / 6), 0);
    expect(chi2).toBeLessThan(20.52); // chi-square 5 dof, p = 0.001
  });
});

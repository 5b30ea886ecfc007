import { assertValid, feedPlan, input, lstm, sequential } from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { assignShards, joinBatch, joinValues, shardFeeds, shardsOf, sliceBatch } from "./shards.js";

describe("shardsOf", () => {
  test("depends on B only: floor(B / 16) shards, 1 to 8, sizes as equal as possible, larger first", () => {
    expect(shardsOf(1)).toEqual([{ index: 0, start: 0, size: 1 }]);
    expect(shardsOf(31)).toEqual([{ index: 0, start: 0, size: 31 }]);
    expect(shardsOf(32).map((s) => s.size)).toEqual([16, 16]);
    expect(shardsOf(50).map((s) => s.size)).toEqual([17, 17, 16]);
    expect(shardsOf(50).map((s) => s.start)).toEqual([0, 17, 34]);
    expect(shardsOf(1000).map((s) => s.size)).toEqual([125, 125, 125, 125, 125, 125, 125, 125]);
  });
});

describe("assignShards", () => {
  test("contiguous runs, the calling thread first; threads past the shard count get none", () => {
    const idx = (groups: { index: number }[][]) => groups.map((g) => g.map((s) => s.index));
    expect(idx(assignShards(shardsOf(64), 1))).toEqual([[0, 1, 2, 3]]);
    expect(idx(assignShards(shardsOf(64), 2))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(idx(assignShards(shardsOf(48), 2))).toEqual([[0, 1], [2]]);
    expect(idx(assignShards(shardsOf(32), 4))).toEqual([[0], [1], [], []]);
  });
});

describe("sliceBatch / joinBatch", () => {
  test("cut [T, B, D] on axis 1 and join back to the same array", () => {
    const shape = [2, 5, 3];
    const data = Float32Array.from({ length: 30 }, (_, i) => i);
    const a = sliceBatch(data, shape, 1, 0, 2);
    const b = sliceBatch(data, shape, 1, 2, 3);
    // t = 0: samples 0, 1 are floats 0..5; t = 1: floats 15..20.
    expect([...a]).toEqual([0, 1, 2, 3, 4, 5, 15, 16, 17, 18, 19, 20]);
    expect(joinBatch([a, b], [2, 3], shape, 1)).toEqual(data);
  });

  test("axis 0 ([B, D]) and Int32Array lengths", () => {
    expect([...sliceBatch(Int32Array.of(4, 5, 6, 7), [4], 0, 1, 2)]).toEqual([5, 6]);
    expect([...sliceBatch(Float32Array.of(1, 2, 3, 4, 5, 6), [3, 2], 0, 2, 1)]).toEqual([5, 6]);
  });

  test("joinValues joins data and lengths", () => {
    const v = joinValues(
      [
        { shape: [1, 1, 2], data: Float32Array.of(1, 2), lengths: Int32Array.of(1) },
        { shape: [1, 2, 2], data: Float32Array.of(3, 4, 5, 6), lengths: Int32Array.of(0, 1) },
      ],
      [1, 2],
    );
    expect(v.shape).toEqual([1, 3, 2]);
    expect([...v.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...v.lengths!]).toEqual([1, 0, 1]);
  });
});

describe("shardFeeds", () => {
  test("cuts inputs on their batch dim, lengths, and fed states [directions, B, H] on axis 1", () => {
    const model = assertValid(sequential("m", [input("x", 1), lstm("l", { units: 1 })]));
    const x = { shape: [2, 3, 1], data: Float32Array.of(0, 1, 2, 10, 11, 12) };
    const h = { shape: [1, 3, 1], data: Float32Array.of(7, 8, 9) };
    const feeds = shardFeeds(
      feedPlan(model),
      { x, lengths: Int32Array.of(2, 1, 0), "l/h": h },
      {
        index: 1,
        start: 1,
        size: 2,
      },
    );
    expect(feeds.x).toEqual({ shape: [2, 2, 1], data: Float32Array.of(1, 2, 11, 12) });
    expect(feeds.lengths).toEqual(Int32Array.of(1, 0));
    expect(feeds["l/h"]).toEqual({ shape: [1, 2, 1], data: Float32Array.of(8, 9) });
    expect(feeds["l/c"]).toBeUndefined();
  });
});

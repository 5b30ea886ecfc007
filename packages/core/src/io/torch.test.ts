import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { conv1d, dense, dropout, input, rnn, sequential } from "../ir/builders.js";
import type { Merge } from "../ir/nodes.js";
import { assertValid } from "../ir/validate.js";
import { type Tensor, tensor } from "../tensor/tensor.js";
import { decodeSafetensors } from "./safetensors.js";
import { fromTorchStateDict, type TorchMapping, TorchMappingError, toTorchStateDict } from "./torch.js";

interface Flat {
  shape: number[];
  data: number[];
}
// Made by tooling/torch-export/make_lstm_state_dict.py (PyTorch): the state dict's values and the mapping.
const fixture = JSON.parse(readFileSync(new URL("../../test-fixtures/torch-lstm.json", import.meta.url), "utf8")) as {
  stateDict: Record<string, Flat>;
  mapping: Record<string, string[] | string>;
  torch: string;
  command: string;
};
const stateDict = decodeSafetensors(
  new Uint8Array(readFileSync(new URL("../../test-fixtures/torch-lstm.safetensors", import.meta.url))),
).tensors;

/** The Recurrent equivalent of nn.LSTM(5, 4, num_layers=2, bidirectional=True) → nn.Linear(8, 3). */
const lstmModel = (merge: Merge = "concat") =>
  assertValid(
    sequential("torch-lstm", [
      input("x", 5),
      rnn("l0", { cell: "lstm", units: 4, direction: "bidirectional", merge }),
      rnn("l1", { cell: "lstm", units: 4, direction: "bidirectional", merge: "concat" }),
      dense("out", { units: 3 }),
    ]),
  );

function mappingError(fn: () => unknown): TorchMappingError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TorchMappingError) return e;
    throw e;
  }
  throw new Error("expected a TorchMappingError");
}

const without = (dict: Record<string, Tensor>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(dict).filter(([k]) => !keys.includes(k)));

describe("fromTorchStateDict on a real PyTorch state dict", () => {
  test("the fixture records its provenance", () => {
    expect(fixture.torch).toMatch(/^\d+\.\d+/);
    expect(fixture.command).toContain("make_lstm_state_dict.py");
  });

  test("maps every torch key to the documented weight, with the same shape and values", () => {
    const weights = fromTorchStateDict(lstmModel(), stateDict, fixture.mapping);
    // The documented renaming, written out by hand.
    const expected: Record<string, string> = {};
    for (const [layer, node] of [
      ["0", "l0"],
      ["1", "l1"],
    ]) {
      for (const p of ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]) {
        expected[`lstm.${p}_l${layer}`] = `${node}/${p}`;
        expected[`lstm.${p}_l${layer}_reverse`] = `${node}/${p}_reverse`;
      }
    }
    expected["out.weight"] = "out/weight";
    expected["out.bias"] = "out/bias";
    expect(Object.keys(fixture.stateDict).sort()).toEqual(Object.keys(expected).sort());
    expect(Object.keys(weights).sort()).toEqual(Object.values(expected).sort());
    for (const [torchKey, key] of Object.entries(expected)) {
      const want = fixture.stateDict[torchKey]!;
      expect(weights[key]!.shape, key).toEqual(want.shape);
      expect(Array.from(weights[key]!.data), key).toEqual(want.data.map(Math.fround));
    }
    expect(weights["l1/weight_ih_reverse"]!.shape).toEqual([16, 8]);
  });

  test("the result is a copy, and toTorchStateDict gives the state dict back exactly", () => {
    const model = lstmModel();
    const weights = fromTorchStateDict(model, stateDict, fixture.mapping);
    expect(weights["out/bias"]!.data).not.toBe(stateDict["out.bias"]!.data);
    const back = toTorchStateDict(model, weights, fixture.mapping);
    expect(Object.keys(back).sort()).toEqual(Object.keys(stateDict).sort());
    for (const [k, t] of Object.entries(stateDict)) expect(back[k]).toEqual(t);
  });
});

describe("fromTorchStateDict errors name the keys and shapes", () => {
  test("a missing torch key", () => {
    const e = mappingError(() =>
      fromTorchStateDict(lstmModel(), without(stateDict, "lstm.bias_hh_l1_reverse"), fixture.mapping),
    );
    expect(e.code).toBe("MISSING_KEY");
    expect(e.message).toMatch(
      /torch key "lstm.bias_hh_l1_reverse" \(for "l1\/bias_hh_reverse", shape \[16\]\) is not in the state dict/,
    );
  });

  test("extra torch keys (another layer, an unmapped module)", () => {
    const extra = { ...stateDict, "lstm.weight_ih_l2": tensor([16, 8]), "head.weight": tensor([1]) };
    const e = mappingError(() => fromTorchStateDict(lstmModel(), extra, fixture.mapping));
    expect(e.issues.map((i) => i.code)).toEqual(["EXTRA_KEY", "EXTRA_KEY"]);
    expect(e.message).toMatch(/"lstm.weight_ih_l2" is not used: prefix "lstm" is mapped/);
    expect(e.message).toMatch(/"head.weight" is not used: no mapping prefix covers it/);
  });

  test("a shape mismatch says expected vs found, with the concat hint for stacked bidirectional layers", () => {
    const e = mappingError(() => fromTorchStateDict(lstmModel("sum"), stateDict, fixture.mapping));
    const messages = e.issues.map((i) => i.message);
    expect(e.code).toBe("SHAPE_MISMATCH");
    expect(messages).toContainEqual(
      expect.stringMatching(/"lstm.weight_ih_l1" has shape \[16, 8\], expected \[16, 4\].*merge: "concat"/),
    );
    expect(messages).toContainEqual(expect.stringMatching(/"lstm.weight_ih_l1_reverse" has shape \[16, 8\]/));
  });

  test("nodes with parameters that nothing maps, and unknown node ids", () => {
    const e = mappingError(() => fromTorchStateDict(lstmModel(), stateDict, { lstm: ["l0", "nope"] }));
    const codes = e.issues.map((i) => i.code);
    expect(codes).toContain("UNKNOWN_NODE");
    expect(codes).toContain("UNMAPPED_NODE");
    expect(e.message).toMatch(/maps to node "nope", which is not in the model; nodes with parameters: l0, l1, out/);
    expect(e.message).toMatch(/node "l1" has parameters .* but no mapping entry points at it/);
    expect(e.message).toMatch(/"out.weight" is not used/);
  });

  test("bad mappings: a dense node listed twice, several nodes for a Linear, a node without parameters", () => {
    const model = assertValid(
      sequential("m", [input("x", 2), dropout("drop", 0.1), dense("a", { units: 2 }), dense("b", { units: 2 })]),
    );
    const dict = {
      "a.weight": tensor([2, 2]),
      "a.bias": tensor([2]),
      "b.weight": tensor([2, 2]),
      "b.bias": tensor([2]),
    };
    expect(mappingError(() => fromTorchStateDict(model, dict, { a: "a", b: "a" })).message).toMatch(
      /node "a" is mapped twice/,
    );
    expect(mappingError(() => fromTorchStateDict(model, dict, { a: ["a", "b"] })).message).toMatch(
      /maps to 2 nodes, but "a" is a dense node/,
    );
    expect(mappingError(() => fromTorchStateDict(model, dict, { a: "a", b: "b", c: "drop" })).message).toMatch(
      /"drop" \(dropout\), which has no parameters/,
    );
    expect(mappingError(() => fromTorchStateDict(model, dict, { a: [], b: "b" })).code).toBe("BAD_MAPPING");
  });

  test("a GRU node with resetAfter: false cannot take nn.GRU weights", () => {
    const model = assertValid(sequential("g", [input("x", 2), rnn("g", { cell: "gru", units: 3, resetAfter: false })]));
    const dict = {
      weight_ih_l0: tensor([9, 2]),
      weight_hh_l0: tensor([9, 3]),
      bias_ih_l0: tensor([9]),
      bias_hh_l0: tensor([9]),
    };
    expect(mappingError(() => fromTorchStateDict(model, dict, { "": "g" })).message).toMatch(/resetAfter: false/);
  });

  test("a tied bidirectional node has no _reverse weights, so torch's are extra", () => {
    const model = assertValid(
      sequential("t", [
        input("x", 5),
        rnn("l0", { cell: "lstm", units: 4, direction: "bidirectional", tiedDirections: true }),
      ]),
    );
    const layer0 = Object.fromEntries(
      Object.entries(stateDict).filter(([k]) => k.endsWith("_l0") || k.endsWith("_l0_reverse")),
    );
    const e = mappingError(() => fromTorchStateDict(model, layer0, { lstm: ["l0"] }));
    expect(e.issues.map((i) => i.code)).toEqual(["EXTRA_KEY", "EXTRA_KEY", "EXTRA_KEY", "EXTRA_KEY"]);
  });

  test("a tensor whose data does not match its shape is BAD_TENSOR", () => {
    const broken = { ...stateDict, "out.bias": { shape: [3], data: new Float32Array(2) } };
    expect(mappingError(() => fromTorchStateDict(lstmModel(), broken, fixture.mapping)).code).toBe("BAD_TENSOR");
  });
});

describe("other modules", () => {
  test('a bare module\'s state dict maps with the prefix "", a one-layer RNN with a plain id', () => {
    const model = assertValid(sequential("g", [input("x", 2), rnn("g", { cell: "gru", units: 3 })]));
    const values = (n: number, at: number) => Array.from({ length: n }, (_, i) => at + i);
    const dict: Record<string, Tensor> = {
      weight_ih_l0: tensor([9, 2], values(18, 0)),
      weight_hh_l0: tensor([9, 3], values(27, 100)),
      bias_ih_l0: tensor([9], values(9, 200)),
      bias_hh_l0: tensor([9], values(9, 300)),
    };
    const w = fromTorchStateDict(model, dict, { "": "g" });
    expect(Array.from(w["g/weight_hh"]!.data)).toEqual(values(27, 100));
    expect(Array.from(w["g/bias_hh"]!.data)).toEqual(values(9, 300));
  });

  test("nn.Conv1d and nn.Linear keep their layouts, nested prefixes work", () => {
    const model = assertValid(
      sequential("c", [
        input("x", 2),
        conv1d("conv", { filters: 3, kernelSize: 2 }),
        dense("fc", { units: 1, useBias: false }),
      ]),
    );
    const dict = {
      "encoder.conv.weight": tensor([3, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
      "encoder.conv.bias": tensor([3], [0.5, 0.25, 0.125]),
      "head.weight": tensor([1, 3], [-1, -2, -3]),
    };
    const mapping: TorchMapping = { "encoder.conv": "conv", head: "fc" };
    const w = fromTorchStateDict(model, dict, mapping);
    expect(w["conv/weight"]).toEqual(dict["encoder.conv.weight"]);
    expect(w["fc/weight"]).toEqual(dict["head.weight"]);
    expect(Object.keys(w).sort()).toEqual(["conv/bias", "conv/weight", "fc/weight"]);
    expect(toTorchStateDict(model, w, mapping)).toEqual(dict);
  });

  test("toTorchStateDict reports missing weights", () => {
    const model = lstmModel();
    const weights = fromTorchStateDict(model, stateDict, fixture.mapping);
    const { "l0/bias_ih": _, ...rest } = weights;
    expect(mappingError(() => toTorchStateDict(model, rest, fixture.mapping)).message).toMatch(
      /weight "l0\/bias_ih" \(for torch "lstm.bias_ih_l0", shape \[16\]\) is missing/,
    );
  });
});

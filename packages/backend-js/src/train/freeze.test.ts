/**
 * `TrainConfig.freeze` on the JS trainer: frozen weights never change (no update, no weight decay, zero slots),
 * their gradients stay out of the global norm and clipping, and backward skips a frozen encoder. The expected
 * update is computed here from `jsBackend().gradients` (the plain gradient, checked by gradcheck and conformance)
 * and `torch.nn.utils.clip_grad_norm_`'s formula.
 */
import {
  assertValid,
  dense,
  initWeights,
  input,
  lstm,
  sequential,
  type TrainBatch,
  type TrainConfig,
  tensor,
  type Weights,
} from "@recurrent/core";
import { describe, expect, test } from "vitest";
import { jsBackend } from "../backend.js";
import { compileProgram } from "../engine/program.js";
import { createTrainer } from "./trainer.js";

const T = 4;
const B = 2;
const model = assertValid(
  sequential("f", [
    input("x", 2),
    dense("enc", { units: 3, activation: "tanh" }),
    lstm("l", { units: 4 }),
    dense("out", { units: 2 }),
  ]),
);
const w0 = initWeights(model, { seed: 5 });
const batch: TrainBatch = {
  inputs: {
    x: tensor(
      [T, B, 2],
      Array.from({ length: T * B * 2 }, (_, i) => Math.sin(0.9 * i)),
    ),
    lengths: Int32Array.of(4, 3),
  },
  target: tensor(
    [T, B, 2],
    Array.from({ length: T * B * 2 }, (_, i) => Math.cos(0.4 * i)),
  ),
};
const ENC = ["enc/weight", "enc/bias"];

describe("freeze", () => {
  test("frozen weights stay bit-identical under Adam with weight decay; their slots stay zero", async () => {
    const config: TrainConfig = {
      loss: "mse",
      optimizer: { kind: "adam", lr: 0.05, weightDecay: 0.1 },
      freeze: ["enc", "l/bias_hh"],
    };
    const trainer = await createTrainer(model, w0, config);
    for (let i = 0; i < 3; i++) await trainer.step(batch);
    const w = trainer.weights();
    for (const key of [...ENC, "l/bias_hh"]) expect(w[key]!.data, key).toEqual(w0[key]!.data);
    for (const key of ["l/weight_ih", "l/weight_hh", "l/bias_ih", "out/weight", "out/bias"]) {
      expect(
        w[key]!.data.some((v, i) => v !== w0[key]!.data[i]),
        key,
      ).toBe(true);
    }
    const { slots } = trainer.state();
    for (const key of [...ENC, "l/bias_hh"]) {
      for (const prefix of ["adam.m", "adam.v"]) {
        expect(
          slots[`${prefix}/${key}`]!.data.every((v) => v === 0),
          `${prefix}/${key}`,
        ).toBe(true);
      }
    }
    expect(slots["adam.m/out/weight"]!.data.some((v) => v !== 0)).toBe(true);
  });

  test("the norm and clipping leave frozen gradients out: one clipped SGD step by hand", async () => {
    const lr = 0.5;
    const clipNorm = 0.01;
    const full = await jsBackend().gradients(model, w0, batch, { loss: "mse" });
    const trained = Object.keys(full.weights).filter((k) => !ENC.includes(k));
    let sum = 0;
    for (const key of trained) for (const g of full.weights[key]!.data) sum += g * g;
    const norm = Math.sqrt(sum);
    const scale = Math.min(1, clipNorm / (norm + 1e-6));
    let all = sum;
    for (const key of ENC) for (const g of full.weights[key]!.data) all += g * g;
    // The frozen gradients are not negligible, so a norm over every weight would differ visibly.
    expect(Math.sqrt(all) / norm).toBeGreaterThan(1.01);
    expect(scale).toBeLessThan(1);

    const trainer = await createTrainer(model, w0, {
      loss: "mse",
      optimizer: { kind: "sgd", lr },
      clipNorm,
      freeze: ["enc"],
    });
    const { gradNorm } = await trainer.step(batch);
    expect(gradNorm).toBeCloseTo(norm, 6);
    const w: Weights = trainer.weights();
    for (const key of ENC) expect(w[key]!.data, key).toEqual(w0[key]!.data);
    for (const key of trained) {
      const want = w0[key]!.data.map((p, i) => p - lr * scale * full.weights[key]!.data[i]!);
      w[key]!.data.forEach((v, i) => {
        expect(v, `${key}[${i}]`).toBeCloseTo(want[i]!, 6);
      });
    }
  });

  test("backward skips a frozen encoder and leaves the trained gradients bit-identical", () => {
    const plain = compileProgram(model, w0);
    const frozen = compileProgram(model, w0, { frozenWeights: new Set(ENC) });
    const seed = new Map([["out", Float32Array.from({ length: T * B * 2 }, (_, i) => Math.sin(i))]]);
    const want = plain.backward(plain.forward(batch.inputs), seed, { inputGrads: false }).weightGrads;
    const got = frozen.backward(frozen.forward(batch.inputs), seed, { inputGrads: false }).weightGrads;
    for (const key of ["l/weight_ih", "l/weight_hh", "l/bias_ih", "l/bias_hh", "out/weight", "out/bias"]) {
      expect(got.get(key), key).toEqual(want.get(key));
    }
    // The encoder's backward did not run: its gradients were never filled.
    expect(want.get("enc/weight")!.some((v) => v !== 0)).toBe(true);
    for (const key of ENC)
      expect(
        got.get(key)!.every((v) => v === 0),
        key,
      ).toBe(true);
  });

  test("frozen nodes pack their weights once, and setWeights (a restore) still reaches them", () => {
    const frozen = compileProgram(model, w0, { frozenWeights: new Set(ENC) });
    const before = frozen.forward(batch.inputs).value("out").data.slice();
    // Other weights for the frozen encoder: the outputs must be those of a program built on them.
    const flipped = { shape: w0["enc/weight"]!.shape, data: w0["enc/weight"]!.data.map((v) => -v) };
    const w1: Weights = { ...w0, "enc/weight": flipped };
    frozen.setWeights(w1);
    const after = frozen.forward(batch.inputs).value("out").data;
    const fresh = compileProgram(model, w1).forward(batch.inputs).value("out").data;
    expect(after).toEqual(fresh);
    expect(after).not.toEqual(before);
  });
});

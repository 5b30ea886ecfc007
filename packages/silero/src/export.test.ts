import { assertValid, dense, initWeights, input, lstm, sequential } from "@recurrent/core";
import { exportOnnx } from "@recurrent/onnx";
import { describe, expect, it } from "vitest";
import { exportSileroOnnx } from "./export.js";
import { sileroFromOnnx } from "./from-onnx.js";

const other = assertValid(
  sequential("not_silero", [
    input("x", 4, { lengths: false }),
    lstm("rnn", { units: 3 }),
    dense("out", { units: 1, activation: "sigmoid" }),
  ]),
);

describe("refusing models that are not Silero's", () => {
  it("exportSileroOnnx names the nodes it misses", () => {
    expect(() => exportSileroOnnx(other, initWeights(other, { seed: 1 }))).toThrow(
      /BAD_WEIGHTS: exportSileroOnnx needs the full Silero graph \(sileroGraph\(\)\); model "not_silero" has no node "input", "h0", "c0", "lstm_cell", "output"/,
    );
  });

  it("sileroFromOnnx refuses another model's file, passing on the importer's reason", () => {
    const bytes = exportOnnx(other, initWeights(other, { seed: 1 }));
    expect(() => sileroFromOnnx(bytes)).toThrow(
      /BAD_WEIGHTS: not Silero VAD v5's ONNX contract \(input \[batch, sequence\], sr\): .*dims\.sequence: no graph input has a dim named "sequence"/,
    );
  });
});

import { describe, expect, test } from "vitest";
import { conv1d, dense, graph, input, lstm, magnitude, pad, pool, sequential, stateInput } from "./builders.js";
import { convPads, minInputSteps, outputSteps } from "./resample.js";
import { assertValid, validate } from "./validate.js";

const audio = (time: number | string = "time") => input("x", 1, { time, lengths: false });

describe("time-changing ops", () => {
  test("Silero's front end: 576 samples → 640 → 4 STFT frames → 2 → 1 (the official file's sizes)", () => {
    const model = assertValid(
      graph(
        "silero",
        [
          input("x", 1, { time: 576, lengths: false }),
          pad("pad", { after: 64, mode: "reflect" }, "x"),
          conv1d("stft", { filters: 258, kernelSize: 256, stride: 128, padding: "valid", useBias: false }, "pad"),
          magnitude("mag", "stft"),
          conv1d("c1", { filters: 128, kernelSize: 3, activation: "relu" }, "mag"),
          conv1d("c2", { filters: 64, kernelSize: 3, stride: 2, activation: "relu" }, "c1"),
          conv1d("c3", { filters: 64, kernelSize: 3, stride: 2, activation: "relu" }, "c2"),
          conv1d("c4", { filters: 128, kernelSize: 3, activation: "relu" }, "c3"),
          stateInput("h0", 128),
          stateInput("c0", 128),
          lstm("lstm", { units: 128 }, "c4", "h0", "c0"),
          dense("out", { units: 1, activation: "sigmoid" }, "lstm"),
          pool("prob", "mean", "out"),
        ],
        ["prob", "lstm/h", "lstm/c"],
      ),
    );
    const steps = (id: string) => model.info.shapes.get(id)?.[0];
    expect([steps("pad"), steps("stft"), steps("mag"), steps("c1"), steps("c2"), steps("c3"), steps("c4")]).toEqual([
      640, 4, 4, 4, 2, 1, 1,
    ]);
    expect(model.info.shapes.get("mag")?.[2]).toBe(129);
    expect(model.info.shapes.get("prob")).toEqual(["batch", 1]);
  });

  test("PyTorch's Conv1d length formula floor((T + 2p − d(k−1) − 1)/s) + 1, over a grid", () => {
    for (const kernelSize of [1, 2, 3, 4]) {
      for (const stride of [1, 2, 3]) {
        for (const dilation of [1, 2]) {
          const p = Math.floor((dilation * (kernelSize - 1)) / 2);
          const node = conv1d("c", { filters: 1, kernelSize, stride, dilation, padding: "valid" });
          for (const T of [5, 8, 13]) {
            const torch = Math.floor((T - dilation * (kernelSize - 1) - 1) / stride) + 1;
            expect(outputSteps(node, T)).toBe(torch);
            // `same` with an odd field is PyTorch's symmetric padding p.
            if ((dilation * (kernelSize - 1)) % 2 === 0) {
              const same = conv1d("c", { filters: 1, kernelSize, stride, dilation });
              expect(convPads(same)).toEqual({ before: p, after: p });
              expect(outputSteps(same, T)).toBe(Math.floor((T + 2 * p - dilation * (kernelSize - 1) - 1) / stride) + 1);
            }
          }
        }
      }
    }
  });

  test("a symbolic time axis becomes <id>.time; a stride-1 same conv keeps the axis and its lengths", () => {
    const model = assertValid(
      sequential("s", [audio(), conv1d("c", { filters: 2, kernelSize: 4, stride: 2 }), pad("p", { before: 1 })]),
    );
    expect(model.info.shapes.get("c")?.[0]).toBe("c.time");
    expect(model.info.shapes.get("p")?.[0]).toBe("p.time");
    const kept = assertValid(sequential("k", [input("x", 2), conv1d("c", { filters: 2, kernelSize: 3 })]));
    expect(kept.info.shapes.get("c")?.[0]).toBe("time");
    expect(kept.info.lengthsOf.get("c")).toBe("lengths");
  });

  test("a time-changing op on a sequence with lengths is refused, naming the node and the remedy", () => {
    const issues = validate(sequential("s", [input("x", 1), conv1d("stft", { filters: 2, kernelSize: 4, stride: 2 })]));
    expect(issues).toMatchObject([{ code: "TIME_MISMATCH", nodeId: "stft" }]);
    expect(issues[0]?.hint).toContain("lengths: false");
    const padded = validate(sequential("s", [input("x", 1), pad("p", { after: 2 })]));
    expect(padded).toMatchObject([{ code: "TIME_MISMATCH", nodeId: "p" }]);
  });

  test("too few fixed steps, an odd magnitude, bad options: issues naming the node", () => {
    const short = validate(
      sequential("s", [
        input("x", 1, { time: 100, lengths: false }),
        conv1d("stft", { filters: 2, kernelSize: 256, stride: 128, padding: "valid" }),
      ]),
    );
    expect(short).toMatchObject([
      { code: "SHAPE_MISMATCH", nodeId: "stft", expected: "at least 256 steps", found: "100" },
    ]);
    const reflect = validate(
      sequential("s", [input("x", 1, { time: 3, lengths: false }), pad("p", { after: 3, mode: "reflect" })]),
    );
    expect(reflect).toMatchObject([{ code: "SHAPE_MISMATCH", nodeId: "p" }]);
    expect(validate(sequential("s", [input("x", 3), magnitude("m")]))).toMatchObject([
      { code: "FEATURE_MISMATCH", nodeId: "m" },
    ]);
    const bad = validate(
      sequential("s", [audio(), { op: "pad", id: "p", inputs: [], before: -1, after: 1, mode: "edge" } as never]),
    );
    expect(bad.map((i) => i.code).sort()).toEqual(["BAD_OPTION", "BAD_OPTION"]);
    expect(validate(sequential("s", [audio(), conv1d("c", { filters: 1, kernelSize: 2, stride: 0 })]))).toMatchObject([
      { code: "BAD_OPTION", nodeId: "c" },
    ]);
  });

  test("minInputSteps: a conv's field after padding, a reflect pad's mirror, any length for a zero pad", () => {
    expect(minInputSteps(conv1d("c", { filters: 1, kernelSize: 256, stride: 128, padding: "valid" }))).toBe(256);
    expect(minInputSteps(conv1d("c", { filters: 1, kernelSize: 3, stride: 2 }))).toBe(1);
    expect(minInputSteps(pad("p", { before: 2, after: 64, mode: "reflect" }))).toBe(65);
    expect(minInputSteps(pad("p", { after: 64 }))).toBe(0);
  });

  test("a conv1d without stride serializes without the key (older graphs read back unchanged)", () => {
    expect(Object.keys(conv1d("c", { filters: 1, kernelSize: 3 }))).not.toContain("stride");
    expect(conv1d("c", { filters: 1, kernelSize: 3, stride: 2 }).stride).toBe(2);
  });
});

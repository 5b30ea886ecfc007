import { describe, expect, test } from "vitest";
import type { WorkloadResult } from "./protocol.js";
import { formatVerdicts, judgeTargets, TARGETS } from "./targets.js";

const ok = (system: string, workload: string, median: number): WorkloadResult =>
  ({ status: "ok", system, workload, samples: [median], warmups: 1, size: 100 }) as WorkloadResult;

describe("judgeTargets", () => {
  test("met, not met and not measured, from ratios of medians", () => {
    const verdicts = judgeTargets([
      ok("js", "W1", 100),
      ok("tfjs-layers-cpu", "W1", 1000), // exactly 10×: met
      ok("tfjs-layers-wasm", "W1", 90), // js slower: not met
      ok("js", "W3", 100),
      ok("tfjs-layers-cpu", "W3", 999), // 9.99×: not met
      ok("js", "W4", 50),
      ok("ort", "W4", 60),
      ok("js", "W5", 100), // no tf.layers cpu W5: not measured
    ]);
    expect(verdicts.map((v) => v.status)).toEqual(["met", "not met", "not met", "met", "not measured"]);
    expect(verdicts[0]?.speedup).toBe(10);
    expect(verdicts[3]?.speedup).toBeCloseTo(1.2, 12);
  });

  test("equal speed does not meet a 'faster than' target", () => {
    const [w4] = judgeTargets([ok("js", "W4", 60), ok("ort", "W4", 60)], [TARGETS[3]!]);
    expect(w4?.status).toBe("not met");
  });

  test("verdict lines name the target, the outcome and the ratio", () => {
    const text = formatVerdicts(judgeTargets([ok("js", "W4", 50), ok("ort", "W4", 100)]));
    expect(text).toContain("- W4 fewer µs/frame than onnxruntime-node session.run: **met** (backend-js 2.00× as fast)");
    expect(text).toContain("- W1 ≥ 10× faster than tf.layers cpu: **not measured**");
    expect(text).toContain("- W1 faster than tf.layers wasm: **not measured**");
  });
});

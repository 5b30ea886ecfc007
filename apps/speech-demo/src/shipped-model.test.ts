/**
 * The accuracy the READMEs claim for the shipped model is what it scores: evaluated here on the whole test split
 * and compared with the number recorded in the model file and the ones printed in models/README.md and
 * README.md (issue #15 item 5); likewise for the two shipped full-size models (item 4).
 */
import { readFile } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import { memoryIo } from "./cli/io.js";
import type { EvaluateResult } from "./commands/evaluate.js";
import { pct } from "./format.js";
import { run } from "./main.js";
import { loadTrained, PRETRAINED_MODEL } from "./model-file.js";
import { SHIPPED_MODELS, shippedPath } from "./shipped.js";

const text = (rel: string) => readFile(new URL(rel, import.meta.url), "utf8");

describe("the shipped model's claims", () => {
  test("models/README.md and README.md state the test accuracy it scores on the test split", async () => {
    const io = memoryIo();
    const r = await run(["evaluate", PRETRAINED_MODEL, "--split", "test"], io);
    expect(r.code, io.stderr.join("\n")).toBe(0);
    const measured = pct((r.result as EvaluateResult).metric);
    expect(io.stdout.join("\n")).toContain("(12254 frames)");

    const recorded = (await loadTrained(PRETRAINED_MODEL)).metadata["speech-demo.testAccuracy"];
    expect(pct(Number(recorded))).toBe(measured);
    const modelsReadme = /frame accuracy on 50 test utterances \(12254 frames\): (\d+\.\d %)/.exec(
      await text("../models/README.md"),
    );
    expect(modelsReadme?.[1]).toBe(measured);
    const appReadme = /phones-lstm\.safetensors` \(\d+ KB, (\d+\.\d %) test frame\s+accuracy/.exec(
      await text("../README.md"),
    );
    expect(appReadme?.[1]).toBe(measured);
  }, 60_000);
});

describe("the shipped full-size models' claims", () => {
  for (const m of SHIPPED_MODELS) {
    test(`${m.file}: models/README.md and README.md state the test accuracy it scores on the test split`, async () => {
      const io = memoryIo();
      const r = await run(["evaluate", shippedPath(m), "--split", "test"], io);
      expect(r.code, io.stderr.join("\n")).toBe(0);
      const measured = pct((r.result as EvaluateResult).metric);
      expect(io.stdout.join("\n")).toContain("(12254 frames)");

      const recorded = (await loadTrained(shippedPath(m))).metadata["speech-demo.testAccuracy"];
      expect(pct(Number(recorded))).toBe(measured);
      // models/README.md: the section headed by the file name holds the output of the command that made it.
      const section = (await text("../models/README.md")).split(/^## /m).find((s) => s.startsWith(`\`${m.file}\``));
      expect(section, `models/README.md has a "## \`${m.file}\`" section`).toBeDefined();
      const claimed = /frame accuracy on 50 test utterances \(12254 frames\): (\d+\.\d %)/.exec(section ?? "");
      expect(claimed?.[1]).toBe(measured);
      // README.md names the file with its test accuracy.
      const app = new RegExp(
        `${m.file.replaceAll(".", "\\.")}\` \\([^)]*?(\\d+\\.\\d %) test\\s+frame\\s+accuracy`,
      ).exec(await text("../README.md"));
      expect(app?.[1]).toBe(measured);
    }, 180_000);
  }
});

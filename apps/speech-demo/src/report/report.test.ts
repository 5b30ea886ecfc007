/**
 * The HTML report: self-contained markup with every chart, and — where /usr/bin/chromium exists — rendered in
 * headless Chromium with no page error and every chart laid out (a screenshot goes to /tmp for a human look).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromiumSkipReason, launchChromium } from "@recurrent/browser-harness";
import { PHONE_CLASSES } from "@recurrent/speech";
import { describe, expect, test } from "vitest";
import type { RunRecord } from "../experiment.js";
import { classifyTable, nextFrameTable } from "../summary.js";
import { type ReportData, renderReport } from "./html.js";

function record(
  task: "classify" | "next-frame",
  model: string,
  label: string,
  fraction: number,
  seed: number,
  metric: number,
): RunRecord {
  const curve = Array.from({ length: 30 }, (_, i) => ({ step: i + 1, loss: 3 / (1 + i / 5) + 0.01 * seed }));
  const T = 50;
  return {
    task,
    model,
    label,
    fraction,
    seed,
    key: `${task}/${model}/${fraction}/${seed}`,
    params: 30000,
    steps: 30,
    trainUtterances: Math.round(398 * fraction),
    seconds: 10,
    ...(task === "classify" ? { accuracy: metric } : { mse: metric, baselineMse: 0.18 }),
    trainCurve: curve,
    validCurve: curve.filter((_, i) => i % 10 === 9),
    ...(fraction === 1 && seed === 1
      ? task === "classify"
        ? {
            confusion: Array.from({ length: 1600 }, (_, i) => (i % 41 === 0 ? 50 : i % 7)),
            viewPrediction: Array.from({ length: T }, (_, t) => Math.floor(t / 6) % 40),
          }
        : { viewPrediction: Array.from({ length: (T - 1) * 13 }, (_, i) => Math.sin(i / 13 / 4)) }
      : {}),
  };
}

/** A report with every section, from made-up runs. */
export function sampleReport(): ReportData {
  const records: RunRecord[] = [];
  for (const seed of [1, 2]) {
    for (const [model, label, acc] of [
      ["ffn", "windowed FFN", 0.55],
      ["lstm", "LSTM", 0.62],
      ["blstm-sum", "BiLSTM (sum)", 0.67],
    ] as const) {
      for (const f of [0.1, 1])
        records.push(record("classify", model, label, f, seed, acc - (f < 1 ? 0.08 : 0) + seed * 0.005));
    }
    records.push(record("next-frame", "lstm", "LSTM", 1, seed, 0.15));
  }
  const T = 50;
  return {
    mode: "compact",
    generated: "2026-01-01T00:00:00Z",
    command: "recurrent-speech demo <script>",
    machine: "test",
    seconds: 1,
    settings: { steps: "30" },
    records,
    classifyTable: classifyTable(records),
    nextFrameTable: nextFrameTable(records),
    phoneNames: PHONE_CLASSES,
    view: {
      id: "u1",
      text: "a <b>test</b> & more",
      frames: Float32Array.from({ length: T * 39 }, (_, i) => Math.sin(i / 7)),
      labels: Int32Array.from({ length: T }, (_, t) => Math.floor(t / 5) % 40),
      predictions: records
        .filter((r) => r.task === "classify" && r.viewPrediction)
        .map((r) => ({ label: r.label, phones: r.viewPrediction! })),
    },
    confusion: { label: "BiLSTM (sum)", matrix: records.find((r) => r.confusion)!.confusion! },
    trajectories: {
      id: "u1",
      horizon: 1,
      actual: Float32Array.from({ length: T * 13 }, (_, i) => Math.cos(i / 13 / 4)),
      predictions: [{ label: "LSTM", values: records.find((r) => r.task === "next-frame")!.viewPrediction! }],
    },
    streaming: {
      wav: "x.wav",
      model: "LSTM",
      frames: 50,
      mean: 0.2,
      p50: 0.2,
      p95: 0.3,
      max: 1,
      lookaheadMs: 40,
      maxDiffToWhole: 0,
      refusal: "no",
    },
    onnx: { model: "BiLSTM (sum)", path: "best.onnx", bytes: 1000, maxAbsDiff: 1e-7, argmaxMismatches: 0, frames: 100 },
    findings: ["one", "two"],
  };
}

const CHARTS = [
  "accuracy",
  "data-fraction",
  "loss-classify",
  "mfcc",
  "phones",
  "confusion",
  "loss-next-frame",
  "trajectory-0",
  "trajectory-1",
  "trajectory-2",
];

describe("report markup", () => {
  const html = renderReport(sampleReport());

  test("has every chart, once", () => {
    for (const name of CHARTS) expect(html.split(`data-chart="${name}"`)).toHaveLength(2);
  });

  test("is self-contained: no script, no external resource", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
  });

  test("escapes text from the data", () => {
    expect(html).toContain("a &lt;b&gt;test&lt;/b&gt; &amp; more");
    expect(html).toContain("recurrent-speech demo &lt;script&gt;");
  });

  test("the heat map has one cell per MFCC value and the confusion one per class pair", () => {
    const svg = (name: string) =>
      html.slice(html.indexOf(`data-chart="${name}"`), html.indexOf("</svg>", html.indexOf(`data-chart="${name}"`)));
    expect(svg("mfcc").match(/<rect x="\d+" y="\d+" width/g)).toHaveLength(50 * 39);
    expect(svg("confusion").match(/<rect x="\d+" y="\d+" width/g)).toHaveLength(40 * 40);
  });
});

const why = chromiumSkipReason;
if (why) console.log(`skipping the Chromium rendering test: ${why}`);

describe.skipIf(why !== undefined)("report in headless Chromium", () => {
  test("renders every chart with no page error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "speech-demo-report-"));
    const file = join(dir, "report.html");
    await writeFile(file, renderReport(sampleReport()));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      const charts = await page.$$eval("svg.chart", (els) =>
        els.map((el) => ({ name: el.getAttribute("data-chart"), ...el.getBoundingClientRect().toJSON() })),
      );
      expect(charts.map((c) => c.name).sort()).toEqual([...CHARTS].sort());
      for (const c of charts) {
        expect(c.width, c.name ?? "").toBeGreaterThan(100);
        expect(c.height, c.name ?? "").toBeGreaterThan(50);
      }
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      await page.screenshot({ path: join(tmpdir(), "speech-demo-report-test.png"), fullPage: true });
    } finally {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

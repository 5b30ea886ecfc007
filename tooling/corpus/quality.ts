/**
 * QUALITY.md for the corpus: counts, class balance, silence fraction and an energy-based spot check of the
 * alignment (log energy is static coefficient 0).
 */
import { NUM_STATIC, PHONE_CLASSES } from "../../packages/speech/src/index.js";

interface Input {
  manifest: { id: string; status: string; reason?: string }[];
  utterances: { id: string; frames: number }[];
  statics: Float32Array;
  labels: Uint8Array;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : s.length % 2
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

/** Offsets (frames) between each labelled sil→speech / speech→sil boundary and the energy edge nearest it. */
function boundaryOffsets(input: Input): { onset: number[]; offset: number[] } {
  const onset: number[] = [];
  const offset: number[] = [];
  let base = 0;
  const e = (t: number) => input.statics[t * NUM_STATIC]!;
  for (const u of input.utterances) {
    const lab = (t: number) => input.labels[base + t]!;
    for (let t = 5; t < u.frames - 5; t++) {
      const rising = lab(t - 1) === 0 && lab(t) !== 0;
      const falling = lab(t - 1) !== 0 && lab(t) === 0;
      if (!rising && !falling) continue;
      // need 5 frames of the same label on each side to define the two levels
      let steady = true;
      for (let k = 1; k <= 5 && steady; k++)
        steady = (lab(t - k) === 0) === rising && (lab(t + k - 1) === 0) === falling;
      if (!steady) continue;
      const before = median([1, 2, 3, 4, 5].map((k) => e(base + t - k)));
      const after = median([0, 1, 2, 3, 4].map((k) => e(base + t + k)));
      if (Math.abs(after - before) < 3) continue; // no clear energy step: nothing to measure
      const mid = (before + after) / 2;
      // the crossing of the midpoint closest to the labelled boundary, searched ±10 frames
      let best: number | undefined;
      for (let s = Math.max(1, t - 10); s <= Math.min(u.frames - 1, t + 10); s++) {
        const crosses = rising
          ? e(base + s - 1) < mid && e(base + s) >= mid
          : e(base + s - 1) >= mid && e(base + s) < mid;
        if (crosses && (best === undefined || Math.abs(s - t) < Math.abs(best - t))) best = s;
      }
      if (best !== undefined) (rising ? onset : offset).push(best - t);
    }
    base += u.frames;
  }
  return { onset, offset };
}

/**
 * Frame agreement between "labelled speech" and an energy detector (log energy above `threshold`) when the
 * energy track is read `shift` frames later than the labels, for shift −3..3 (frames 3..T−4 of each utterance).
 */
function vadAgreement(input: Input, threshold: number): { shift: number; agreement: number }[] {
  const out: { shift: number; agreement: number }[] = [];
  for (let shift = -3; shift <= 3; shift++) {
    let same = 0;
    let n = 0;
    let base = 0;
    for (const u of input.utterances) {
      for (let t = 3; t < u.frames - 3; t++) {
        const speech = input.labels[base + t] !== 0;
        const loud = input.statics[(base + t + shift) * NUM_STATIC]! > threshold;
        if (speech === loud) same++;
        n++;
      }
      base += u.frames;
    }
    out.push({ shift, agreement: same / n });
  }
  return out;
}

/** The report's Markdown text. */
export function qualityReport(input: Input): string {
  const { manifest, utterances, statics, labels } = input;
  const total = labels.length;
  const status = (s: string) => manifest.filter((m) => m.status === s);
  const reasons = new Map<string, number>();
  for (const m of manifest.filter((x) => x.status !== "ok")) {
    const r = (m.reason ?? "").replace(/'.*'|".*"/, "…");
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  const counts = new Array<number>(PHONE_CLASSES.length).fill(0);
  const energy: number[][] = PHONE_CLASSES.map(() => []);
  for (let t = 0; t < total; t++) {
    counts[labels[t]!]!++;
    energy[labels[t]!]!.push(statics[t * NUM_STATIC]!);
  }
  const sil = energy[0]!;
  const speech = energy.slice(1).flat();
  const speechP10 = quantile(speech, 0.1);
  const silP90 = quantile(sil, 0.9);
  const { onset, offset } = boundaryOffsets(input);
  const threshold = (median(sil) + median(speech)) / 2;
  const vad = vadAgreement(input, threshold);
  const bestShift = vad.reduce((a, b) => (b.agreement > a.agreement ? b : a));
  const hist = (xs: number[]) =>
    [-3, -2, -1, 0, 1, 2, 3]
      .map((d) => `${d > 0 ? "+" : ""}${d * 10} ms: ${xs.filter((x) => x === d).length}`)
      .join(", ");
  const rows = PHONE_CLASSES.map(
    (p, i) =>
      `| ${i} | ${p} | ${counts[i]} | ${pct(counts[i]!, total)} | ${counts[i] ? mean(energy[i]!).toFixed(2) : "–"} |`,
  );
  const lengths = utterances.map((u) => u.frames);
  return `# Corpus quality report

Generated by \`tooling/corpus/build.sh\` (do not edit by hand).

## Counts

- Prompts in the transcript list: ${manifest.length}; aligned and kept: **${utterances.length}**; skipped: ${status("skipped").length}; alignment failed: ${status("failed").length}.
- Why prompts were left out: ${[...reasons].map(([r, n]) => `${r} (${n})`).join("; ")}.
- Frames: **${total}** (${(total / 100 / 60).toFixed(1)} min at 100 frames/s); per utterance min ${Math.min(...lengths)}, median ${median(lengths)}, max ${Math.max(...lengths)}.
- Classes: 40 (39 ARPAbet phones + sil); classes with no frame: ${PHONE_CLASSES.filter((_, i) => counts[i] === 0).join(", ") || "none"}.
- Silence fraction (frames labelled \`sil\`): **${pct(counts[0]!, total)}**.

## Alignment spot check (log energy, static coefficient 0)

- Mean log energy at \`sil\` frames ${mean(sil).toFixed(2)} vs speech frames ${mean(speech).toFixed(2)} (medians ${median(sil).toFixed(2)} vs ${median(speech).toFixed(2)}).
- ${pct(sil.filter((x) => x < speechP10).length, sil.length)} of \`sil\` frames are quieter than the 10th percentile of speech frames (${speechP10.toFixed(2)}); ${pct(speech.filter((x) => x > silP90).length, speech.length)} of speech frames are louder than the 90th percentile of \`sil\` frames (${silP90.toFixed(2)}).
- Labels against an energy detector (log energy > ${threshold.toFixed(2)}, midway between the two medians), with the
  energy track read k frames after the labels: ${vad.map((v) => `k = ${v.shift}: ${pct(v.agreement, 1)}`).join(", ")}.
  Agreement peaks at k = ${bestShift.shift} (${bestShift.shift * 10} ms): a whole-corpus timing offset of labels against energy would show as a peak far from 0.
- Boundary timing: at each labelled sil→speech boundary with 5 steady frames on each side and an energy step of at least 3 (natural log), the energy midpoint crossing nearest the label boundary, in frames after it (positive: the label boundary is early).
  - sil→speech (${onset.length} boundaries): median ${median(onset)} frames, mean ${(mean(onset) * 10).toFixed(1)} ms; ${hist(onset)}.
  - speech→sil (${offset.length} boundaries): median ${median(offset)} frames, mean ${(mean(offset) * 10).toFixed(1)} ms; ${hist(offset)}.
- Expect the alignment quality of HMM forced alignment (what DNN-HMM systems train on), not hand labels: boundaries
  scatter by a few frames; weak onsets (fricatives, stops after closures) blur the energy criterion above.

## Frames per class

| index | class | frames | share | mean log energy |
|---|---|---|---|---|
${rows.join("\n")}
`;
}

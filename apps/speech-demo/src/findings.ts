/**
 * The comparison's findings in words, computed from the measured runs (mean over seeds; a difference is called
 * clear only when it exceeds the seeds' spread). Claims of the article are reported as they came out, also
 * where they do not hold.
 */
import { pctLabel, type RunRecord } from "./experiment.js";
import { meanStd } from "./format.js";

const acc = (rs: readonly RunRecord[], model: string, fraction: number) =>
  meanStd(
    rs.filter((r) => r.task === "classify" && r.model === model && r.fraction === fraction).map((r) => r.accuracy!),
  );

const pp = (x: number) => `${(100 * x).toFixed(1)} points`;

function compare(a: { mean: number; std: number; n: number }, b: { mean: number; std: number; n: number }): string {
  const diff = a.mean - b.mean;
  if (a.n < 2 || b.n < 2) return `${diff >= 0 ? "+" : "−"}${pp(Math.abs(diff))} (one seed: no spread measured)`;
  const clear = Math.abs(diff) > a.std + b.std;
  return `${diff >= 0 ? "+" : "−"}${pp(Math.abs(diff))} (${clear ? "larger than" : "within"} the spread over seeds, ±${pp(a.std)} / ±${pp(b.std)})`;
}

/** Sentences for the report and the terminal. */
export function findings(records: readonly RunRecord[]): string[] {
  const out: string[] = [];
  const has = (m: string, f = 1) => records.some((r) => r.task === "classify" && r.model === m && r.fraction === f);
  const label = (m: string) => records.find((r) => r.model === m && r.task === "classify")?.label ?? m;
  // Every comparison names the sizes it was measured at: margins between models change with their size.
  const params = (m: string) => records.find((r) => r.model === m && r.task === "classify")?.params ?? 0;
  const at = (...ms: string[]) => `at ${ms.map((m) => params(m).toLocaleString("en-US")).join(" vs ")} parameters`;
  const full = [...new Set(records.filter((r) => r.task === "classify" && r.fraction === 1).map((r) => r.model))];
  if (full.length > 0) {
    const ranked = full.map((m) => ({ m, s: acc(records, m, 1) })).sort((a, b) => b.s.mean - a.s.mean);
    out.push(
      `Best frame accuracy with all training data: ${label(ranked[0]!.m)} ${(100 * ranked[0]!.s.mean).toFixed(1)} %; ranking: ${ranked
        .map((r) => `${label(r.m)} ${(100 * r.s.mean).toFixed(1)} %`)
        .join(" > ")}.`,
    );
  }
  if (has("ffn")) {
    for (const m of ["lstm", "blstm-sum"].filter((x) => has(x))) {
      out.push(
        `${label(m)} vs the windowed FFN ${at(m, "ffn")}: ${compare(acc(records, m, 1), acc(records, "ffn", 1))}.`,
      );
    }
  }
  const fractions = [...new Set(records.filter((r) => r.task === "classify").map((r) => r.fraction))].sort(
    (a, b) => a - b,
  );
  const small = fractions[0];
  if (small !== undefined && small < 1 && has("ffn", small)) {
    const drop = (m: string) => acc(records, m, 1).mean - acc(records, m, small).mean;
    const ffnDrop = drop("ffn");
    for (const m of ["lstm", "gru", "blstm-sum"].filter((x) => has(x, small))) {
      const d = drop(m);
      const holds = d < ffnDrop;
      out.push(
        `Less data (${pctLabel(small)} of the utterances, same training schedule; ${at(m, "ffn")}): the FFN loses ${pp(ffnDrop)}, ${label(m)} loses ${pp(d)}; ` +
          `at ${pctLabel(small)} ${label(m)} scores ${(100 * acc(records, m, small).mean).toFixed(1)} % vs the FFN's ${(100 * acc(records, "ffn", small).mean).toFixed(1)} %. ` +
          `Measured as the loss of accuracy, the claim that weight sharing over time needs less data ${holds ? "holds here" : "does not hold here"}.`,
      );
    }
    // The other reading of the claim: how much data a model needs to reach the FFN's accuracy with all of it.
    const target = acc(records, "ffn", 1).mean;
    for (const m of ["lstm", "gru", "blstm-sum"].filter((x) => has(x, small))) {
      const enough = fractions.find((f) => has(m, f) && acc(records, m, f).mean >= target);
      const ffnFull = `the FFN's full-data accuracy (${(100 * target).toFixed(1)} %)`;
      out.push(
        enough === undefined
          ? `${label(m)} does not reach ${ffnFull} with any share of the data tried (${at(m, "ffn")}).`
          : enough === 1
            ? `${label(m)} needs all the training utterances to pass ${ffnFull}, ${at(m, "ffn")}; with ${pctLabel(small)} it has ${(100 * acc(records, m, small).mean).toFixed(1)} %.`
            : `${label(m)} reaches ${ffnFull} with ${pctLabel(enough)} of the training utterances (${(100 * acc(records, m, enough).mean).toFixed(1)} %; ${at(m, "ffn")}).`,
      );
    }
  }
  if (has("blstm-sum") && has("lstm")) {
    out.push(
      `Bidirectional vs unidirectional ${at("blstm-sum", "lstm")}: ${label("blstm-sum")} vs ${label("lstm")} ${compare(acc(records, "blstm-sum", 1), acc(records, "lstm", 1))}; the BiLSTM cannot stream (it needs the whole utterance), the LSTM can.`,
    );
  }
  if (has("blstm-sum") && has("blstm-concat")) {
    out.push(
      `Merge ${at("blstm-concat", "blstm-sum")}: concat vs sum ${compare(acc(records, "blstm-concat", 1), acc(records, "blstm-sum", 1))}.`,
    );
  }
  const nf = records.filter((r) => r.task === "next-frame" && r.fraction === 1);
  const nfModels = [...new Set(nf.map((r) => r.model))];
  if (nfModels.length > 0) {
    const ratios = nfModels
      .map((m) => {
        const rs = nf.filter((r) => r.model === m);
        return { label: rs[0]!.label, ratio: meanStd(rs.map((r) => r.mse! / r.baselineMse!)).mean };
      })
      .sort((a, b) => a.ratio - b.ratio);
    out.push(
      `Next-frame prediction from causal statics: ${ratios
        .map((r) => `${r.label} ${r.ratio.toFixed(3)}×`)
        .join(", ")} the MSE of repeating the last frame (below 1 = better than the baseline).`,
    );
  }
  return out;
}

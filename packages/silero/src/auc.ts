/**
 * ROC-AUC: the probability that a random positive scores above a random negative (ties count one half), i.e. the
 * Mann–Whitney U statistic over n⁺·n⁻. Same value as scikit-learn's `roc_auc_score` for binary labels, which
 * the official fine-tuning recipe reports.
 */
import { SileroError } from "./errors.js";

/**
 * The area under the ROC curve of `scores` against 0/1 `labels`.
 * @param scores one score per example (higher = more likely positive); NaN is refused.
 * @param labels one label per example, each 0 or 1 (non-speech / speech).
 * @returns a number in [0, 1]; 0.5 for scores that carry no information.
 * @throws SileroError BAD_INPUT when the lengths differ, a label is not 0 or 1, a score is NaN, or one class is
 *   absent (the AUC is undefined then).
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) {
    throw new SileroError("BAD_INPUT", `rocAuc: ${n} scores but ${labels.length} labels; give one label per score`);
  }
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y !== 0 && y !== 1) throw new SileroError("BAD_INPUT", `rocAuc: labels[${i}] is ${y}, expected 0 or 1`);
    if (Number.isNaN(scores[i]!)) throw new SileroError("BAD_INPUT", `rocAuc: scores[${i}] is NaN`);
    positives += y;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new SileroError(
      "BAD_INPUT",
      `rocAuc: needs both classes, found ${positives} positive and ${negatives} negative labels`,
    );
  }
  // Rank all scores ascending; tied scores share their average rank (which counts a tie as one half).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positiveRanks = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!]! === scores[order[i]!]!) j++;
    const rank = (i + j) / 2 + 1; // ranks are 1-based
    for (let k = i; k <= j; k++) if (labels[order[k]!] === 1) positiveRanks += rank;
    i = j + 1;
  }
  const u = positiveRanks - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

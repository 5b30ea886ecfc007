/**
 * Warm-up and timed repetitions, and their summary (median, min, max). Timing lives here and in the child
 * process only; tests check the summary maths and the plan's stopping rule, never a duration.
 */

/**
 * How many times to run: warm-ups until `maxWarmups` or until they took `warmupBudgetMs` (at least
 * `minWarmups`), then timed repetitions until `maxReps` or `budgetMs` (at least `minReps`). Slow systems thus
 * get the minimum (e.g. 1 warm-up + 5 repetitions of a 7 s step), fast ones more.
 */
export interface RepetitionPlan {
  readonly minWarmups: number;
  readonly maxWarmups: number;
  readonly warmupBudgetMs: number;
  readonly minReps: number;
  readonly maxReps: number;
  readonly budgetMs: number;
}

/** The full run: ≥ 5 timed repetitions after ≥ 1 warm-up. */
export const FULL_PLAN: RepetitionPlan = {
  minWarmups: 1,
  maxWarmups: 3,
  warmupBudgetMs: 2000,
  minReps: 5,
  maxReps: 15,
  budgetMs: 5000,
};

/** `--quick`: 1–2 warm-ups and 3–5 repetitions. */
export const QUICK_PLAN: RepetitionPlan = {
  minWarmups: 1,
  maxWarmups: 2,
  warmupBudgetMs: 300,
  minReps: 3,
  maxReps: 5,
  budgetMs: 1000,
};

/** Whether another run is due after `count` runs that took `elapsedMs` together. */
export function wantsMore(count: number, elapsedMs: number, min: number, max: number, budgetMs: number): boolean {
  if (count < min) return true;
  return count < max && elapsedMs < budgetMs;
}

/** Median, extremes and count of a set of samples. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/**
 * Summarizes samples (the median of an even count is the mean of the middle two).
 * @throws RangeError when `samples` is empty or holds a non-finite value.
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summarize: no samples");
  if (samples.some((s) => !Number.isFinite(s))) throw new RangeError(`summarize: non-finite sample in ${samples}`);
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

/** The raw durations of one measurement, in milliseconds per repetition. */
export interface Timings {
  readonly warmupsMs: readonly number[];
  readonly repsMs: readonly number[];
}

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Runs `step` per `plan` and returns each run's wall time. A garbage collection (when the child runs with
 * `--expose-gc`) precedes each timed repetition, outside the timed region, so one repetition does not pay for
 * the previous one's garbage.
 */
export async function measure(step: () => Promise<void>, plan: RepetitionPlan): Promise<Timings> {
  const warmupsMs: number[] = [];
  let elapsed = 0;
  while (wantsMore(warmupsMs.length, elapsed, plan.minWarmups, plan.maxWarmups, plan.warmupBudgetMs)) {
    const t0 = performance.now();
    await step();
    const ms = performance.now() - t0;
    warmupsMs.push(ms);
    elapsed += ms;
  }
  const repsMs: number[] = [];
  elapsed = 0;
  while (wantsMore(repsMs.length, elapsed, plan.minReps, plan.maxReps, plan.budgetMs)) {
    gc?.();
    const t0 = performance.now();
    await step();
    const ms = performance.now() - t0;
    repsMs.push(ms);
    elapsed += ms;
  }
  return { warmupsMs, repsMs };
}

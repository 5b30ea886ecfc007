/**
 * The orthogonal factor of a QR decomposition, as `torch.nn.init.orthogonal_` uses it: Householder QR in
 * float64, then each column of Q multiplied by the sign of R's diagonal so that the result does not depend on
 * the Householder sign convention (it is the Q of the QR with a positive diagonal). Internal to init.
 */

/**
 * Q·diag(sign(diag(R))) for a square `n×n` matrix `a` given row-major.
 * Returns a new row-major `n×n` Float64Array; `a` is not modified.
 * @throws RangeError when `a.length !== n·n`.
 */
export function orthogonalFactor(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`orthogonalFactor: expected ${n}x${n} values, got ${a.length}`);
  // Column-major working copy: every Householder step then touches contiguous memory.
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r[j * n + i] = a[i * n + j]!;

  const vs = new Float64Array(n * n); // Householder vector k lives in column k, rows k..n−1
  const betas = new Float64Array(n); // 0: no reflection at that step
  const signs = new Float64Array(n).fill(1);

  for (let k = 0; k < n; k++) {
    const m = n - k;
    const x = r.subarray(k * n + k, k * n + n);
    let norm2 = 0;
    for (let i = 0; i < m; i++) norm2 += x[i]! * x[i]!;
    if (norm2 === 0) continue; // a zero column: R's diagonal is 0, keep the sign +1
    const x0 = x[0]!;
    const norm = Math.sqrt(norm2);
    // alpha (R's diagonal entry) takes the sign opposite to x0, avoiding cancellation in v0 = x0 − alpha.
    const alpha = x0 >= 0 ? -norm : norm;
    const v = vs.subarray(k * n + k, k * n + n);
    v.set(x);
    v[0] = x0 - alpha;
    const beta = 2 / (norm2 - x0 * x0 + v[0]! * v[0]!);
    betas[k] = beta;
    signs[k] = alpha < 0 ? -1 : 1;
    for (let j = k + 1; j < n; j++) {
      const c = r.subarray(j * n + k, j * n + n);
      // Two accumulators so the additions of the dot product do not wait on each other (the hot loop).
      let d0 = 0;
      let d1 = 0;
      let i = 0;
      for (; i + 1 < m; i += 2) {
        d0 += v[i]! * c[i]!;
        d1 += v[i + 1]! * c[i + 1]!;
      }
      if (i < m) d0 += v[i]! * c[i]!;
      const s = beta * (d0 + d1);
      for (let t = 0; t < m; t++) c[t] = c[t]! - s * v[t]!;
    }
  }

  // Q = H0·H1·…·H(n−1), accumulated backwards onto the identity; step k changes only rows and columns k..n−1.
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const beta = betas[k]!;
    if (beta === 0) continue;
    const m = n - k;
    const v = vs.subarray(k * n + k, k * n + n);
    for (let j = k; j < n; j++) {
      const c = q.subarray(j * n + k, j * n + n);
      let d0 = 0;
      let d1 = 0;
      let i = 0;
      for (; i + 1 < m; i += 2) {
        d0 += v[i]! * c[i]!;
        d1 += v[i + 1]! * c[i + 1]!;
      }
      if (i < m) d0 += v[i]! * c[i]!;
      const s = beta * (d0 + d1);
      for (let t = 0; t < m; t++) c[t] = c[t]! - s * v[t]!;
    }
  }

  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const sign = signs[j]!;
    for (let i = 0; i < n; i++) out[i * n + j] = q[j * n + i]! * sign;
  }
  return out;
}

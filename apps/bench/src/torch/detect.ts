/**
 * Whether PyTorch can run here: `/usr/bin/python3` (Debian's `python3-torch`) importing torch. Checked once per
 * run by main.ts; when it cannot, the PyTorch rows read `skipped: <reason>`.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

/** The interpreter the bench uses: the system Python, where Debian's python3-torch installs torch. */
export const PYTHON = "/usr/bin/python3";

/** PyTorch found (its version), or why not. */
export type TorchAvailability =
  | { readonly ok: true; readonly version: string }
  | { readonly ok: false; readonly reason: string };

/** Runs `python3 -c "import torch"` (20 s limit: importing torch on a loaded machine takes seconds). */
export function detectTorch(python: string = PYTHON): Promise<TorchAvailability> {
  if (!existsSync(python)) return Promise.resolve({ ok: false, reason: `${python} not found` });
  return new Promise((resolve) => {
    execFile(python, ["-c", "import torch; print(torch.__version__)"], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err === null) {
        resolve({ ok: true, version: stdout.trim() });
        return;
      }
      const last = stderr.trim().split("\n").at(-1) ?? "";
      resolve({ ok: false, reason: `${python} cannot import torch (${last === "" ? err.message : last})` });
    });
  });
}

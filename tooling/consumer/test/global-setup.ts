/**
 * Packs the publishable packages once per vitest run and hands the tarball paths to every test file through
 * `inject("packed")`. The tarballs live in a temp folder outside the repository, removed at the end of the run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type PackedPackage, packAll } from "./pack.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Every publishable package, packed by this run's global setup. */
    packed: PackedPackage[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const destination = await mkdtemp(join(tmpdir(), "recurrent-tarballs-"));
  const started = performance.now();
  const packed = await packAll(destination);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`packed ${packed.length} packages in ${seconds} s (prepack builds included):`);
  for (const p of packed) {
    console.log(`  ${p.name}@${p.version}: ${(p.bytes / 1024).toFixed(1)} KiB, ${p.files.length} files`);
  }
  project.provide("packed", packed);
  return () => rm(destination, { recursive: true, force: true });
}

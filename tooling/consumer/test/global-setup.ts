/**
 * Packs the publishable packages once per vitest run and hands the tarball paths to every test file through
 * `inject("packed")`. The tarballs live in a temp folder outside the repository, removed at the end of the run.
 */
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { describeTarball, type PackedPackage, packAll } from "./pack.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Every publishable package, packed by this run's global setup. */
    packed: PackedPackage[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // RECURRENT_CONSUMER_TARBALLS=<folder of .tgz>: test tarballs packed elsewhere (a release candidate) as they are.
  const given = process.env.RECURRENT_CONSUMER_TARBALLS;
  if (given !== undefined && given !== "") {
    const tarballs = readdirSync(given).filter((f) => f.endsWith(".tgz"));
    const packed = await Promise.all(tarballs.map((f) => describeTarball(resolve(given, f))));
    report(`using ${packed.length} tarballs from RECURRENT_CONSUMER_TARBALLS=${given}:`, packed);
    project.provide("packed", packed);
    return async () => {};
  }
  const destination = await mkdtemp(join(tmpdir(), "recurrent-tarballs-"));
  const started = performance.now();
  try {
    const packed = await packAll(destination);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    report(`packed ${packed.length} packages in ${seconds} s (prepack builds included):`, packed);
    project.provide("packed", packed);
  } catch (error) {
    await rm(destination, { recursive: true, force: true });
    throw error;
  }
  return () => rm(destination, { recursive: true, force: true });
}

function report(title: string, packed: readonly PackedPackage[]): void {
  console.log(title);
  for (const p of packed) {
    console.log(`  ${p.name}@${p.version}: ${(p.bytes / 1024).toFixed(1)} KiB, ${p.files.length} files`);
  }
}

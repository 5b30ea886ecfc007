/**
 * Packs every publishable package with `pnpm pack`, as a release would: `prepack` builds `dist/`, and pnpm
 * rewrites `workspace:` / `catalog:` ranges to real versions in the packed package.json.
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runCommand } from "./exec.js";

/** The repository root. */
export const repoRoot = resolve(fileURLToPath(new URL("../../../", import.meta.url)));

/**
 * The packages a user installs, by folder under packages/, in the phases {@link packAll} packs them in: each
 * phase's `prepack` builds compile against the `dist/` of the earlier phases' packages.
 */
export const PACK_PHASES = [["core"], ["backend-js", "backend-tfjs", "onnx", "speech"], ["silero"]] as const;

/** The packages a user installs, by folder under packages/. */
export const PUBLISHED = PACK_PHASES.flat();

/** One packed tarball. */
export interface PackedPackage {
  /** The npm name, e.g. `@recurrent/core`. */
  readonly name: string;
  readonly version: string;
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The paths inside the tarball, without the leading `package/`. */
  readonly files: readonly string[];
}

/** The `npx -y pnpm@x.y.z` of the root package.json's `packageManager`, the pnpm this repository is built with. */
function pnpmCommand(): string[] {
  const { packageManager } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
    packageManager?: string;
  };
  if (packageManager?.startsWith("pnpm@") !== true) {
    throw new Error(`root package.json: packageManager must be "pnpm@<version>", got ${String(packageManager)}`);
  }
  return ["-y", packageManager];
}

/** npm's tarball name: `@scope/name` 1.2.3 → `scope-name-1.2.3.tgz`. */
export function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`;
}

/**
 * Packs `packages/<dir>` into `destination`.
 * @throws CommandError (with pnpm's output) when packing or its `prepack` build fails; Error when the tarball is
 *   not where npm's naming rule puts it.
 */
export async function packPackage(dir: string, destination: string): Promise<PackedPackage> {
  const cwd = join(repoRoot, "packages", dir);
  const { name, version } = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  await runCommand("npx", [...pnpmCommand(), "pack", "--pack-destination", destination], { cwd, timeoutMs: 180_000 });
  const tarball = join(destination, tarballName(name, version));
  const listing = await runCommand("tar", ["-tzf", tarball], { cwd: destination });
  return { name, version, tarball, bytes: statSync(tarball).size, files: filesOf(listing.stdout) };
}

/** `tar -t` output → paths without the leading `package/`. */
function filesOf(listing: string): string[] {
  return listing
    .split("\n")
    .filter((line) => line !== "" && !line.endsWith("/"))
    .map((line) => line.replace(/^package\//, ""));
}

/**
 * Describes a tarball packed elsewhere (e.g. a release candidate), reading its name and version from the packed
 * package.json.
 * @throws CommandError when `tar` cannot read it.
 */
export async function describeTarball(tarball: string): Promise<PackedPackage> {
  const manifest = await runCommand("tar", ["-xOzf", tarball, "package/package.json"], { cwd: dirname(tarball) });
  const { name, version } = JSON.parse(manifest.stdout) as { name: string; version: string };
  const listing = await runCommand("tar", ["-tzf", tarball], { cwd: dirname(tarball) });
  return { name, version, tarball, bytes: statSync(tarball).size, files: filesOf(listing.stdout) };
}

/**
 * Packs every package of {@link PUBLISHED}, phase by phase ({@link PACK_PHASES}), two at a time within a phase
 * (the CI machine has two cores). Phases, because a `prepack` (`turbo run build`) rebuilds the workspace packages
 * it depends on, and a build empties `dist/` first: core alone, since everything compiles against its `.d.ts`;
 * silero after the rest, since its build (dev dependencies included) rebuilds all of them.
 */
export async function packAll(destination: string): Promise<PackedPackage[]> {
  const packed: PackedPackage[] = [];
  for (const phase of PACK_PHASES) {
    const queue = [...phase];
    const worker = async (): Promise<void> => {
      for (let dir = queue.shift(); dir !== undefined; dir = queue.shift())
        packed.push(await packPackage(dir, destination));
    };
    // allSettled: on a failure, let the other worker's pnpm finish rather than leave it running past the setup.
    const failed = (await Promise.allSettled([worker(), worker()])).find((r) => r.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }
  return PUBLISHED.map((dir) => packed.find((p) => p.name === `@recurrent/${dir}`)!);
}

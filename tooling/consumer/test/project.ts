/**
 * A consumer's project in a temp folder outside the repository: a fixture folder copied in, a package.json that
 * depends on the packed tarballs, and `npm install` run offline with an empty cache, so any dependency that is not
 * one of our tarballs fails the install instead of quietly coming from the registry or a warm cache.
 */

import { cp, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CommandError, runCommand } from "./exec.js";
import type { PackedPackage } from "./pack.js";

/** The fixtures folder of this package. */
export const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** A consumer project on disk. */
export interface ConsumerProject {
  readonly dir: string;
  /** Removes the folder. */
  dispose(): Promise<void>;
}

/** Options of {@link createProject}. */
export interface ProjectOptions {
  /** Folder under fixtures/ whose files are copied into the project. */
  readonly fixture: string;
  /** Every packed package; `install` picks from it. */
  readonly packed: readonly PackedPackage[];
  /** npm names of the tarballs to install, e.g. `["@recurrent/core"]`. */
  readonly install: readonly string[];
  /**
   * Pass `--legacy-peer-deps`: for a project whose peers (tfjs) are linked from the workspace afterwards rather
   * than installed from the registry.
   */
  readonly legacyPeerDeps?: boolean;
}

/**
 * Creates the project and installs the tarballs.
 * @throws Error naming a package missing from `packed`; CommandError with npm's output when the install fails
 *   (with a first line saying so when npm tried to reach the registry).
 */
export async function createProject(options: ProjectOptions): Promise<ConsumerProject> {
  const dir = await mkdtemp(join(tmpdir(), `recurrent-consumer-${options.fixture}-`));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await cp(join(fixturesDir, options.fixture), dir, { recursive: true });
    const dependencies: Record<string, string> = {};
    for (const name of options.install) {
      const pkg = options.packed.find((p) => p.name === name);
      if (pkg === undefined) {
        throw new Error(`no tarball for ${name}; packed: ${options.packed.map((p) => p.name).join(", ")}`);
      }
      dependencies[name] = `file:${pkg.tarball}`;
    }
    const manifest = { name: `consumer-${options.fixture}`, private: true, type: "module", dependencies };
    await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const args = ["install", "--offline", "--no-audit", "--no-fund", "--cache", join(dir, ".npm-cache")];
    if (options.legacyPeerDeps === true) args.push("--legacy-peer-deps");
    try {
      await runCommand("npm", args, { cwd: dir });
    } catch (error) {
      if (error instanceof CommandError && /ENOTCACHED|only-if-cached/.test(error.output.stderr)) {
        throw new CommandError(
          `npm needed the registry (offline, empty cache): some packed package depends on something that is not one of the tarballs ${options.install.join(", ")}\n${error.message}`,
          error.output,
        );
      }
      throw error;
    }
    return { dir, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * Links a package from the workspace (resolved from this package, e.g. `@types/node`) into the project's
 * node_modules: type packages the tarballs need, without fetching them.
 */
export async function linkFromWorkspace(project: ConsumerProject, name: string): Promise<void> {
  const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`);
  const target = join(project.dir, "node_modules", name);
  await mkdir(dirname(target), { recursive: true });
  await symlink(await realpath(dirname(manifest)), target, "dir");
}

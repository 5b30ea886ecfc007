/**
 * The publishable packages and their manifests, read from the repository (the lists every check iterates).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Folders under packages/ that are published (conformance, tooling and apps stay private). */
export const PUBLISHABLE = ["core", "backend-js", "backend-tfjs", "onnx", "speech", "silero"] as const;

/** The root of the repository. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The fields of package.json these checks read. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly keywords?: readonly string[];
  readonly engines?: { readonly node?: string };
  readonly repository?: { readonly type?: string; readonly url?: string; readonly directory?: string };
  readonly files?: readonly string[];
  readonly bin?: Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, string | Readonly<Record<string, string>>>>;
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/** The absolute folder of `packages/<dir>/`, with a trailing slash. */
export function packageDir(dir: string): string {
  return `${REPO_ROOT}packages/${dir}/`;
}

/** Reads `packages/<dir>/package.json`. */
export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(`${packageDir(dir)}package.json`, "utf8")) as Manifest;
}

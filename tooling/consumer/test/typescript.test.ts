/**
 * A strict TypeScript project outside the workspace type-checks a user's code against the `.d.ts` files shipped in
 * the tarballs, under `moduleResolution: "bundler"` and `"node16"`, with `skipLibCheck: false` so the shipped
 * declarations themselves are checked too. Type packages the tarballs rely on (@types/node, @tensorflow/tfjs for
 * backend-tfjs, onnxruntime-node for `@recurrent/onnx/node`) are linked from the workspace instead of fetched.
 *
 * tfjs 4.22's own declarations do not pass a strict lib check (tfjs-layers' configs against their index
 * signatures; tfjs-backend-webgl and @webgpu/types need the DOM lib). Those diagnostics are in files of the linked
 * workspace packages, not in anything we ship: they are counted and printed, and every other diagnostic fails.
 */
import { join, resolve, sep } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { PUBLISHED, repoRoot } from "./pack.js";
import { type ConsumerProject, createProject, linkFromWorkspace } from "./project.js";

/** Linked from the workspace: their files resolve (real paths) under the workspace's node_modules. */
const LINKED = ["@types/node", "@tensorflow/tfjs", "onnxruntime-node"];
const workspaceModules = resolve(repoRoot, "node_modules") + sep;

let project: ConsumerProject;

beforeAll(async () => {
  project = await createProject({
    fixture: "typescript",
    packed: inject("packed"),
    install: PUBLISHED.map((dir) => `@recurrent/${dir}`),
    // backend-tfjs's peer @tensorflow/tfjs is linked below; npm would otherwise fetch it.
    legacyPeerDeps: true,
  });
  for (const name of LINKED) await linkFromWorkspace(project, name);
});

afterAll(() => project?.dispose());

/** tsc's diagnostics for one tsconfig of the project, split into ours (the project and the tarballs) and linked. */
function check(configName: string): { ours: readonly ts.Diagnostic[]; linked: readonly ts.Diagnostic[] } {
  const configPath = join(project.dir, configName);
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`${configName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    },
  };
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, host)!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const all = ts.getPreEmitDiagnostics(program);
  const isLinked = (d: ts.Diagnostic) => d.file?.fileName.startsWith(workspaceModules) === true;
  // The shipped files must be among those checked, or a resolution fallback (e.g. to `any`) could pass vacuously.
  const shipped = program.getSourceFiles().filter((f) => f.fileName.includes("/node_modules/@recurrent/"));
  expect(shipped.length, `${configName}: no .d.ts of @recurrent/* in the program`).toBeGreaterThan(20);
  return { ours: all.filter((d) => !isLinked(d)), linked: all.filter(isLinked) };
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => project.dir,
  getNewLine: () => "\n",
};

test.each(["bundler", "node16"])(
  "strict tsc, moduleResolution %s: the shipped .d.ts and the user code check",
  (mode) => {
    const { ours, linked } = check(`tsconfig.${mode}.json`);
    const byPackage = new Map<string, number>();
    for (const d of linked) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(d.file!.fileName)?.[1] ?? "?";
      byPackage.set(name, (byPackage.get(name) ?? 0) + 1);
    }
    console.log(
      `tsc ${mode}: ${ours.length} diagnostics in the project and the tarballs; ` +
        `${linked.length} in linked third-party declarations (${[...byPackage].map(([n, c]) => `${n} ${c}`).join(", ") || "none"})`,
    );
    // The fixture's @ts-expect-error would itself be reported here if the shipped types were `any`.
    expect(ours, ts.formatDiagnostics(ours, formatHost)).toEqual([]);
  },
);

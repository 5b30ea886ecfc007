/**
 * Every publishable main entry bundles for the browser with no `node:` import (issue #11): a web app can import
 * it with no externals and no polyfills. Node-only code lives behind the `./node` subpaths, which are not checked.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type BrowserBundle, bundleForBrowser } from "./bundle.js";

/** The main entries, with the third-party peers a browser app installs itself. */
const ENTRIES: readonly { specifier: string; external?: string[] }[] = [
  { specifier: "@recurrent/core" },
  { specifier: "@recurrent/backend-js" },
  { specifier: "@recurrent/backend-tfjs", external: ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"] },
  { specifier: "@recurrent/onnx" },
  { specifier: "@recurrent/speech" },
  { specifier: "@recurrent/silero" },
];

const sizes: string[] = [];

afterAll(() => {
  // Printed so that a size regression shows in the log; the README tables quote these numbers.
  console.log(`browser bundles (esbuild, minified; own code + workspace deps):\n${sizes.join("\n")}`);
});

describe.each(ENTRIES)("$specifier", ({ specifier, external }) => {
  let bundle: BrowserBundle;

  it("bundles for the browser", async () => {
    bundle = await bundleForBrowser(specifier, external === undefined ? {} : { external });
    sizes.push(
      `  ${specifier.padEnd(24)} ${(bundle.bytes / 1024).toFixed(1).padStart(7)} KiB, gzip ${(bundle.gzipBytes / 1024).toFixed(1).padStart(6)} KiB`,
    );
  });

  it("has no node: import and pulls in no Node-only module", () => {
    expect(bundle.nodeSpecifiers).toEqual([]);
    const nodeOnly = bundle.inputs.filter((path) => /onnxruntime|(^|\/)node\.ts$|-node\.ts$|wavefile/.test(path));
    expect(nodeOnly).toEqual([]);
  });
});

describe("bundleForBrowser", () => {
  it("fails, naming the module, on an entry that imports node: modules", async () => {
    await expect(bundleForBrowser("@recurrent/speech/node")).rejects.toThrow(
      /@recurrent\/speech\/node does not bundle for the browser:[\s\S]*node:/,
    );
  });
});

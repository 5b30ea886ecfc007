/**
 * Every publishable manifest says what a user needs (issue #11): a licence shipped in the tarball, `files`,
 * `engines`, `repository`, `keywords`, a `prepack` build, `exports` whose built paths mirror the sources, and
 * dependencies that match what the code imports at run time (no runtime import of a devDependency, no
 * dependency that nothing imports).
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { externalImports } from "./imports.js";
import { type Manifest, PUBLISHABLE, packageDir, readManifest } from "./packages.js";

/** `./src/x.ts` → the `./dist/x.js` and `./dist/x.d.ts` that `tsc -p tsconfig.build.json` writes for it. */
function built(source: string): { js: string; dts: string } {
  const stem = source.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, "");
  return { js: `${stem}.js`, dts: `${stem}.d.ts` };
}

/** The conditional entries of `exports` (not `./package.json`). */
function entries(m: Manifest): [string, Readonly<Record<string, string>>][] {
  return Object.entries(m.exports ?? {}).filter(
    (e): e is [string, Readonly<Record<string, string>>] => typeof e[1] === "object",
  );
}

describe.each(PUBLISHABLE)("packages/%s", (dir) => {
  const m = readManifest(dir);
  const root = packageDir(dir);

  it("is public, MIT-licensed, and ships its LICENSE", () => {
    expect(m.private).toBeUndefined();
    expect(m.license).toBe(dir === "speech" ? "MIT AND CC-BY-SA-3.0" : "MIT");
    expect(readFileSync(`${root}LICENSE`, "utf8")).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} the Recurrent authors/,
    );
    expect(m.files).toEqual(expect.arrayContaining(["dist", "LICENSE"]));
  });

  it("has engines, repository, keywords and a prepack build", () => {
    expect(m.engines?.node).toBe(">=20.19");
    expect(m.repository).toEqual({
      type: "git",
      url: "git+https://github.com/recurrent-js/recurrent.git",
      directory: `packages/${dir}`,
    });
    expect(m.keywords?.length).toBeGreaterThan(3);
    expect(m.scripts?.build).toContain("tsc -p tsconfig.build.json");
    // Through turbo, so that packing on a fresh clone builds the workspace packages this one compiles against.
    expect(m.scripts?.prepack).toBe(`turbo run build --filter=${m.name}`);
  });

  it("exports: @recurrent/source first, then types, and built paths that mirror the source", () => {
    expect(m.exports?.["./package.json"]).toBe("./package.json");
    for (const [key, conditions] of entries(m)) {
      const source = conditions["@recurrent/source"] ?? "";
      expect(Object.keys(conditions).slice(0, 2), key).toEqual(["@recurrent/source", "types"]);
      expect(existsSync(`${root}${source}`), `${key} → ${source}`).toBe(true);
      const { js, dts } = built(source);
      expect(conditions.types, key).toBe(dts);
      expect(conditions.default, key).toBe(js);
    }
  });

  it("./node: the browser condition gets a stub that throws with the way out; node gets the real entry", async () => {
    const node = m.exports?.["./node"];
    if (node === undefined) return;
    expect(typeof node).toBe("object");
    const conditions = node as Readonly<Record<string, string>>;
    expect(Object.keys(conditions)).toEqual(["@recurrent/source", "types", "browser", "node", "default"]);
    expect(conditions.browser).toBe("./dist/node-browser.js");
    expect(conditions.node).toBe(conditions.default);
    const stub = `${root}src/node-browser.ts`;
    await expect(import(stub)).rejects.toThrow(new RegExp(`^${m.name}/node is Node-only \\(.+\\)\\. In a browser: `));
  });

  it("bins run the built code", () => {
    for (const [name, path] of Object.entries(m.bin ?? {})) {
      const text = readFileSync(`${root}${path}`, "utf8");
      expect(text.startsWith("#!/usr/bin/env node\n"), name).toBe(true);
      expect(text, name).toMatch(/from "\.\.\/dist\//);
      expect(m.files, name).toContain(path.replace(/^\.\//, "").split("/")[0]);
    }
  });

  it("declares every package its entries import at run time, and nothing unused", async () => {
    const imported = new Set<string>();
    for (const [key, conditions] of entries(m)) {
      for (const name of await externalImports(`${root}${conditions["@recurrent/source"]}`)) {
        if (name.startsWith("node:")) continue;
        imported.add(name);
        const declared = m.dependencies?.[name] ?? m.peerDependencies?.[name];
        expect(
          declared,
          `${m.name} exports "${key}", which imports "${name}": not in dependencies or peerDependencies`,
        ).toBeDefined();
      }
    }
    for (const name of Object.keys(m.dependencies ?? {})) {
      expect(imported.has(name), `${m.name} depends on "${name}", which no entry imports (a devDependency?)`).toBe(
        true,
      );
    }
  });
});

describe("no publishable package installs a third-party runtime dependency", () => {
  // docs/design.md, "Peers, not dependencies": what a user installs is our code and the peers they chose. E.g.
  // @recurrent/silero edits ONNX graphs through @recurrent/onnx's own messages, not a protobuf library.
  it.each(PUBLISHABLE)("packages/%s: dependencies is empty", (dir) => {
    expect(Object.keys(readManifest(dir).dependencies ?? {})).toEqual([]);
  });
});

describe("@recurrent/speech ships its corpus under its own licence", () => {
  it("lists data/ in files, with the CC BY-SA 3.0 notice next to the data", () => {
    expect(readManifest("speech").files).toContain("data");
    expect(readFileSync(`${packageDir("speech")}data/LICENSE`, "utf8")).toContain(
      "Creative Commons Attribution-ShareAlike 3.0 Unported (CC BY-SA 3.0)",
    );
  });
});

describe("@recurrent/onnx exports without onnxruntime", () => {
  it("keeps onnxruntime-node an optional peer that only ./node imports", async () => {
    const m = readManifest("onnx");
    expect(m.dependencies?.["onnxruntime-node"]).toBeUndefined();
    expect(m.peerDependencies?.["onnxruntime-node"]).toBeDefined();
    expect(m.peerDependenciesMeta?.["onnxruntime-node"]?.optional).toBe(true);
    expect(await externalImports(`${packageDir("onnx")}src/index.ts`)).not.toContain("onnxruntime-node");
    expect(await externalImports(`${packageDir("onnx")}src/cli.ts`)).not.toContain("onnxruntime-node");
    expect(await externalImports(`${packageDir("onnx")}src/node.ts`)).toContain("onnxruntime-node");
  });
});

/**
 * Bundles one package entry the way a browser app would (esbuild, platform "browser", minified ESM) and reports
 * what went in and how big it came out. Workspace packages are read from `src/` through the `@recurrent/source`
 * condition, so no build is needed; `dist/` is a file-for-file transpile of the same modules.
 */
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** What {@link bundleForBrowser} measured. */
export interface BrowserBundle {
  /** Minified bundle size in bytes. */
  readonly bytes: number;
  /** Its size after gzip (level 9), in bytes. */
  readonly gzipBytes: number;
  /** Every module bundled, as esbuild names them (paths relative to this package, or `node_modules/...`). */
  readonly inputs: readonly string[];
  /** `node:` specifiers left in the output (e.g. by a dynamic import esbuild cannot follow); should be empty. */
  readonly nodeSpecifiers: readonly string[];
}

/** Options of {@link bundleForBrowser}. */
export interface BundleOptions {
  /** Packages the app provides itself (peer dependencies such as `@tensorflow/tfjs`); left as imports. */
  readonly external?: readonly string[];
}

const HERE = fileURLToPath(new URL(".", import.meta.url));

/**
 * Bundles everything `specifier` exports for the browser.
 * @throws Error naming the entry and listing esbuild's errors (an unresolvable `node:` module or Node builtin,
 *   a missing file) when it does not bundle.
 */
export async function bundleForBrowser(specifier: string, options: BundleOptions = {}): Promise<BrowserBundle> {
  let result: Awaited<ReturnType<typeof build<{ write: false; metafile: true }>>>;
  try {
    result = await build({
      stdin: { contents: `export * from ${JSON.stringify(specifier)};`, resolveDir: HERE, loader: "js" },
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      minify: true,
      write: false,
      metafile: true,
      conditions: ["@recurrent/source"],
      external: [...(options.external ?? [])],
      logLevel: "silent",
    });
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { file: string; lineText: string } | null }[] })
      .errors;
    if (errors === undefined) throw error;
    const lines = errors.map(
      (e) => `  ${e.text}${e.location ? ` (${e.location.file}: ${e.location.lineText.trim()})` : ""}`,
    );
    throw new Error(`${specifier} does not bundle for the browser:\n${lines.join("\n")}`);
  }
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error(`${specifier}: esbuild wrote no output`);
  const text = file.text;
  return {
    bytes: file.contents.byteLength,
    gzipBytes: gzipSync(file.contents, { level: 9 }).byteLength,
    inputs: Object.keys(result.metafile.inputs),
    nodeSpecifiers: [...new Set(text.match(/["'`]node:[\w/]+["'`]/g) ?? [])],
  };
}

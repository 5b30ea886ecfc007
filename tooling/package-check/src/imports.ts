/**
 * The packages an entry really imports at run time: esbuild follows the entry's module graph (type-only imports
 * are erased, as in the built `dist/`) and reports every import of another package, static or dynamic.
 */
import { build } from "esbuild";

/** The package name of a bare specifier: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/**
 * Every other package (and `node:` builtin) that the module graph of `entryFile` imports, sorted.
 * @throws Error with esbuild's messages when the graph does not resolve.
 */
export async function externalImports(entryFile: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entryFile],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const found = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external === true)
        found.add(imported.path.startsWith("node:") ? imported.path : packageName(imported.path));
    }
  }
  return [...found].sort();
}

/**
 * A tiny static server on 127.0.0.1 for the browser test: serves the repository's files, transpiling `.ts` to
 * JavaScript on the fly with TypeScript's `transpileModule` (no bundler), and a page whose import map points the
 * bare specifiers `@recurrent/core` and `@tensorflow/tfjs` at their sources / ESM bundle. Node-only.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The repository root (files outside it are never served). */
export const repoRoot = resolve(fileURLToPath(new URL("../../../../", import.meta.url)));
const packageDir = resolve(repoRoot, "packages/backend-tfjs");

/** The URL path of a file under the repository root. */
function urlPath(file: string): string {
  return `/${relative(repoRoot, realpathSync(file)).split(sep).join("/")}`;
}

function importMap(): string {
  const tfjs = join(packageDir, "node_modules/@tensorflow/tfjs/dist/tf.fesm.js");
  const webgpu = join(packageDir, "node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.fesm.js");
  return JSON.stringify({
    imports: {
      "@recurrent/core": urlPath(join(repoRoot, "packages/core/src/index.ts")),
      "@recurrent/core/engine": urlPath(join(repoRoot, "packages/core/src/engine.ts")),
      "@tensorflow/tfjs": urlPath(tfjs),
      // The webgpu backend imports "@tensorflow/tfjs-core"; tfjs's bundle contains (and re-exports) core, so
      // pointing core at it makes the backend register with the one engine the page uses.
      "@tensorflow/tfjs-core": urlPath(tfjs),
      "@tensorflow/tfjs-backend-webgpu": urlPath(webgpu),
    },
  });
}

function page(entry: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>recurrent tfjs</title>
<script type="importmap">${importMap()}</script></head>
<body><script type="module" src="${entry}"></script></body></html>`;
}

const TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".map": "application/json",
};

function transpile(file: string): string {
  return ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      verbatimModuleSyntax: false,
      isolatedModules: true,
    },
  }).outputText;
}

/** Resolves a request path to a file: `x.js` may be served from `x.ts` (our sources import `.js`). */
function fileOf(path: string): string | undefined {
  const file = resolve(repoRoot, `.${decodeURIComponent(path)}`);
  if (file !== repoRoot && !file.startsWith(repoRoot + sep)) return undefined;
  if (existsSync(file)) return file;
  if (file.endsWith(".js") && existsSync(`${file.slice(0, -3)}.ts`)) return `${file.slice(0, -3)}.ts`;
  return undefined;
}

/** Starts the server on a free port of 127.0.0.1; the page at `/` loads `entry` (a path under the repo). */
export async function startServer(entry: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(page(urlPath(entry)));
      return;
    }
    const file = fileOf(path);
    if (file === undefined) {
      res.writeHead(404).end(`not found: ${path}`);
      return;
    }
    const isTs = file.endsWith(".ts");
    const body = isTs ? transpile(file) : readFileSync(file);
    res.writeHead(200, { "content-type": isTs ? "text/javascript" : (TYPES[extname(file)] ?? "text/plain") }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

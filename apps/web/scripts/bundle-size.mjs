#!/usr/bin/env node
/**
 * Prints the built app's JavaScript size, gzip-compressed (level 9, as a static host would serve it), split by
 * when the browser loads it: the page with backend-js only (the entry and its static imports), the tfjs chunks
 * imported when webgl or webgpu is chosen, and the training worker (built separately by Vite, with its own copy
 * of the libraries). Reads Vite's manifest in
 * `<dist>/.vite/manifest.json`. Usage: node scripts/bundle-size.mjs [dist]
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = process.argv[2] ?? "dist";
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));

/** Files reachable from `keys` through static imports (and `dynamic` ones too when asked). */
function closure(keys, dynamic) {
  const seen = new Set();
  const files = new Set();
  const visit = (key) => {
    // backend-tfjs imports tfjs-backend-wasm only for its "wasm" backend, which this page never selects.
    if (seen.has(key) || key.includes("tfjs-backend-wasm")) return;
    seen.add(key);
    const chunk = manifest[key];
    if (chunk === undefined) return;
    files.add(chunk.file);
    for (const k of chunk.imports ?? []) visit(k);
    if (dynamic) for (const k of chunk.dynamicImports ?? []) visit(k);
  };
  keys.forEach(visit);
  return files;
}

const size = (files) => {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    if (!f.endsWith(".js")) continue;
    const bytes = readFileSync(join(dist, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz };
};
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

const entries = Object.keys(manifest).filter((k) => manifest[k].isEntry);
const page = closure(entries, false);
const all = closure(entries, true);
const pageChunks = new Set(Object.values(manifest).map((c) => c.file));
const assets = readdirSync(join(dist, "assets")).map((f) => `assets/${f}`);
const worker = assets.filter((f) => /^assets\/train-worker-.*\.js$/.test(f));
const sileroWorker = assets.filter((f) => /^assets\/silero-worker-.*\.js$/.test(f));
// backend-js's data-parallel training worker: loaded only by a cross-origin-isolated page that trains on 2+ threads.
const threadWorker = assets.filter((f) => /^assets\/web-worker-.*\.js$/.test(f));
// Chunks of the workers' own bundles (Vite builds workers separately; they are not in the manifest).
const workerLazy = assets.filter(
  (f) =>
    f.endsWith(".js") &&
    !pageChunks.has(f) &&
    !worker.includes(f) &&
    !sileroWorker.includes(f) &&
    !threadWorker.includes(f) &&
    !f.includes("worklet"),
);
const without = size(page);
const withTf = size(all);
console.log("apps/web bundle (JavaScript, gzip -9):");
console.log(`  page with backend-js only (no tfjs): ${kib(without.gz)} gzip (${kib(without.raw)} raw)`);
console.log(`  page with tfjs webgl + webgpu:       ${kib(withTf.gz)} gzip (${kib(withTf.raw)} raw)`);
console.log(
  `  training worker (on first Train):    ${kib(size(worker).gz)} gzip, + up to ${kib(size(workerLazy).gz)} gzip of the workers' own tfjs chunks when they train on webgl/webgpu`,
);
console.log(`  Silero worker (on first Fine-tune):  ${kib(size(sileroWorker).gz)} gzip`);
console.log(
  `  backend-js thread worker (isolated): ${kib(size(threadWorker).gz)} gzip, when a trainer uses 2+ threads`,
);

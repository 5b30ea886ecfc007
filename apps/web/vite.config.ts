import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig } from "vite";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources (as in the tests), so the app needs no prior build.
  resolve: { conditions: ["@recurrent/source", ...defaultClientConditions] },
  worker: { format: "es" },
  base: "./",
  // The manifest lets scripts/bundle-size.mjs tell the chunks a backend-js-only page loads from the lazy tfjs ones.
  build: { target: "es2022", chunkSizeWarningLimit: 4096, reportCompressedSize: false, manifest: true },
  // The shipped model and the corpus live outside this folder.
  server: { fs: { allow: [repoRoot] } },
  preview: { host: "127.0.0.1" },
});

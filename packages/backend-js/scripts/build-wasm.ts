/**
 * Dev-time: compiles the WebAssembly modules of src/math/wasm with wabt and writes src/math/wasm/kernels-bytes.ts,
 * their bytes as base64 (the package stays pure TypeScript; no build step at install or test time). Run after
 * editing a .wat: `pnpm --filter @recurrent/backend-js build:wasm`. `--check` fails when the committed bytes are
 * stale.
 *
 * kernels.wat (products, transpose, packing) owns the memory; lstm.wat, gru.wat and simple.wat (the fused time
 * loops) import it and its gemm. A line `;; #include math.wat` is replaced by that file (helpers every loop
 * module needs its own copy of). Each module stays under 4 KiB, the most browsers compile synchronously.
 *
 * Every module is built twice: as written (f32x4 multiply, then add) and with every multiply-add turned into
 * relaxed SIMD's `f32x4.relaxed_madd` (a fused multiply-add where the hardware has one), which arena.ts picks
 * where the runtime validates it. One source, so the two cannot drift apart.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import initWabt from "wabt";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "math", "wasm");
const outPath = join(dir, "kernels-bytes.ts");

// Node 20 validates relaxed SIMD only behind this flag (Node 22 and current browsers by default).
setFlagsFromString("--experimental-wasm-relaxed-simd");
const wabt = await initWabt();
const features = { simd: true, bulk_memory: true, sat_float_to_int: true, relaxed_simd: true };

/** The modules, in instantiation order, and the name of each one's constant in kernels-bytes.ts. */
const MODULES = [
  ["kernels.wat", "KERNELS_BASE64", "products, transpose and packing; owns the memory"],
  ["kernels.wat:fma", "KERNELS_FMA_BASE64", "kernels.wat with fused multiply-adds (relaxed SIMD)"],
  ["lstm.wat", "LSTM_BASE64", "the fused LSTM time loops"],
  ["gru.wat", "GRU_BASE64", "the fused GRU time loops (reset-after and reset-before)"],
  ["simple.wat", "SIMPLE_BASE64", "the fused simple-RNN time loops (tanh, relu)"],
  ["lstm.wat:fma", "LSTM_FMA_BASE64", "lstm.wat with fused multiply-adds (relaxed SIMD)"],
  ["gru.wat:fma", "GRU_FMA_BASE64", "gru.wat with fused multiply-adds (relaxed SIMD)"],
  ["simple.wat:fma", "SIMPLE_FMA_BASE64", "simple.wat with fused multiply-adds (relaxed SIMD)"],
] as const;

/** The source of a module with its `;; #include file` lines replaced by the files. */
function withIncludes(file: string): string {
  return readFileSync(join(dir, file), "utf8").replace(/^\s*;; #include (\S+)\s*$/gm, (_, inc: string) =>
    readFileSync(join(dir, inc), "utf8"),
  );
}

type Sexp = string | Sexp[];

/**
 * `text` with every `(f32x4.add X (f32x4.mul A B))` (or the add's operands the other way round) replaced by
 * `(f32x4.relaxed_madd A B X)`, comments dropped. Throws when there is none (the pattern drifted).
 */
function fused(text: string): string {
  const tokens = text.match(/\(;[\s\S]*?;\)|;;[^\n]*|"(?:[^"\\]|\\.)*"|\(|\)|[^\s()";]+/g) ?? [];
  let at = 0;
  const parse = (): Sexp[] => {
    const list: Sexp[] = [];
    while (at < tokens.length) {
      const t = tokens[at++]!;
      if (t.startsWith(";;") || t.startsWith("(;")) continue;
      if (t === "(") list.push(parse());
      else if (t === ")") return list;
      else list.push(t);
    }
    return list;
  };
  let count = 0;
  const isMul = (e: Sexp | undefined): e is Sexp[] => Array.isArray(e) && e[0] === "f32x4.mul" && e.length === 3;
  const rewrite = (e: Sexp): Sexp => {
    if (!Array.isArray(e)) return e;
    const r = e.map(rewrite);
    if (r[0] !== "f32x4.add" || r.length !== 3) return r;
    const [, x, y] = r;
    const [mul, other] = isMul(y) ? [y, x] : isMul(x) ? [x, y] : [undefined, undefined];
    if (mul === undefined || other === undefined) return r;
    count++;
    return ["f32x4.relaxed_madd", mul[1]!, mul[2]!, other];
  };
  const print = (e: Sexp): string => (Array.isArray(e) ? `(${e.map(print).join(" ")})` : e);
  const out = parse().map(rewrite).map(print).join("\n");
  if (count === 0) throw new Error("build-wasm: no multiply-add to fuse");
  console.log(`fused ${count} multiply-adds`);
  return out;
}

function compile(name: string): Uint8Array {
  const [file, variant] = name.split(":") as [string, string | undefined];
  const text = variant === "fma" ? fused(withIncludes(file)) : withIncludes(file);
  const parsed = wabt.parseWat(file, text, features);
  parsed.resolveNames();
  parsed.validate();
  const { buffer } = parsed.toBinary({ write_debug_names: false });
  parsed.destroy();
  if (!WebAssembly.validate(buffer)) throw new Error(`build-wasm: this Node rejects ${name} (SIMD / bulk memory?)`);
  // Browsers refuse synchronous compilation of larger modules on the main thread, and arena.ts compiles
  // synchronously (the kernels are used from synchronous code).
  if (buffer.length > 4096)
    throw new Error(`build-wasm: ${name} has ${buffer.length} bytes, over the 4096 of sync compile`);
  return buffer;
}

const constants = MODULES.map(([file, name, what]) => {
  const buffer = compile(file);
  const lines =
    Buffer.from(buffer)
      .toString("base64")
      .match(/.{1,100}/g) ?? [];
  return `/** ${file} (${buffer.length} bytes): ${what}, base64. */
export const ${name} =
${lines.map((l, i) => `  "${l}"${i < lines.length - 1 ? " +" : ";"}`).join("\n")}
`;
});
const generated = `// Generated by scripts/build-wasm.ts from ${[...new Set(MODULES.map(([f]) => f.split(":")[0]))].join(", ")}. Do not edit.

${constants.join("\n")}`;

if (process.argv.includes("--check")) {
  const committed = readFileSync(outPath, "utf8");
  if (committed !== generated) throw new Error("build-wasm --check: kernels-bytes.ts is stale; run build:wasm");
  console.log("kernels-bytes.ts is up to date");
} else {
  writeFileSync(outPath, generated);
  console.log(`wrote ${outPath}`);
}

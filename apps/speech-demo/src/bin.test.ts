/** The installed command, as a child process: exit statuses and one-line errors through the launcher. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const BIN = fileURLToPath(new URL("../bin/recurrent-speech.js", import.meta.url));

function launch(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.trim().split("\n").filter(Boolean) };
}

describe("bin/recurrent-speech.js", () => {
  test("a missing file exits 1 with one error line on stderr and nothing on stdout", () => {
    const r = launch("predict", "/nonexistent/speech.wav");
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual(["error: /nonexistent/speech.wav: cannot read WAV: no such file"]);
    expect(r.stdout).toBe("");
  }, 60_000);

  test("a usage error exits 2; --help exits 0", () => {
    const bad = launch("train", "--steps", "-3");
    expect(bad.code).toBe(2);
    expect(bad.stderr.filter((l) => l.startsWith("error:"))).toHaveLength(1);
    const help = launch("stream", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: recurrent-speech stream [options] <wav>");
  }, 60_000);
});

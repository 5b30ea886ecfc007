import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { realAudio, realPhn } from "../test/helpers.js";
import { mfcc } from "./mfcc.js";
import { frameLabels, parsePhn, writePhn } from "./phn.js";
import { NUM_CLASSES, PHONE_CLASSES, phoneIndex, SIL } from "./phones.js";

describe("the 40-class set", () => {
  test("39 ARPAbet phones without stress plus sil, sil first", () => {
    expect(NUM_CLASSES).toBe(40);
    expect(PHONE_CLASSES[SIL]).toBe("sil");
    expect(new Set(PHONE_CLASSES).size).toBe(40);
    expect(PHONE_CLASSES.some((p) => /\d/.test(p))).toBe(false);
  });

  test("phoneIndex folds case, stress and silence aliases", () => {
    expect(phoneIndex("AH0")).toBe(PHONE_CLASSES.indexOf("ah"));
    expect(phoneIndex("iy1")).toBe(PHONE_CLASSES.indexOf("iy"));
    expect(phoneIndex("ZH")).toBe(39);
    for (const s of ["h#", "pau", "epi", "SIL", "<sil>", "sp", "[NOISE]", "+BREATH+"]) expect(phoneIndex(s)).toBe(SIL);
  });

  test("labels outside the set throw LABEL_UNKNOWN", () => {
    expect(() => phoneIndex("dcl")).toThrowError(/LABEL_UNKNOWN: phone label "dcl"/);
    expect(() => phoneIndex("ix")).toThrowError(/hint: fold TIMIT/);
  });
});

describe(".phn files", () => {
  const text = "0 3050 h#\n3050 4559 sh\n4559 5723 ix\n\n5723 6642 hv\n";

  test("parse and write round-trip (TIMIT sample)", () => {
    const segs = parsePhn(text);
    expect(segs).toEqual([
      { start: 0, end: 3050, label: "h#" },
      { start: 3050, end: 4559, label: "sh" },
      { start: 4559, end: 5723, label: "ix" },
      { start: 5723, end: 6642, label: "hv" },
    ]);
    expect(writePhn(segs)).toBe(text.replace("\n\n", "\n"));
  });

  test("write then parse is the identity for any sorted disjoint segments (fast-check)", () => {
    const segments = fc
      .array(fc.tuple(fc.nat(500), fc.integer({ min: 1, max: 500 }), fc.constantFrom(...PHONE_CLASSES)), {
        maxLength: 30,
      })
      .map((parts) => {
        let at = 0;
        return parts.map(([gap, len, label]) => {
          const start = at + gap;
          at = start + len;
          return { start, end: at, label };
        });
      });
    fc.assert(
      fc.property(segments, (segs) => {
        expect(parsePhn(writePhn(segs))).toEqual(segs);
      }),
    );
  });

  test.each([
    ["0 100", /f\.phn:1: expected "start end label", found 2 fields/],
    ["0 100 sil\n50 200 aa", /f\.phn:2: segment starts at 50, before the previous one ends \(100\)/],
    ["0 1.5 aa", /f\.phn:1: start and end must be non-negative integer samples/],
    ["100 100 aa", /f\.phn:1: start 100 is not before end 100/],
    ["-5 10 aa", /non-negative integer/],
  ])("PHN_PARSE: %j", (bad, message) => {
    expect(() => parsePhn(bad, "f.phn")).toThrowError(/^PHN_PARSE/);
    expect(() => parsePhn(bad, "f.phn")).toThrowError(message);
  });
});

describe("frame labels: the phone at each frame centre (160·t + 200)", () => {
  const segs = parsePhn("0 360 sil\n360 361 aa\n361 520 b\n520 1000 sil\n");

  test("hand-computed centres 200, 360, 520, 680", () => {
    // centre 200 → sil; 360 → aa (start inclusive); 520 → sil (end exclusive for b); 680 → sil
    const aa = phoneIndex("aa");
    expect([...frameLabels(segs, 4)]).toEqual([SIL, aa, SIL, SIL]);
    expect([...frameLabels(parsePhn("0 520 b\n520 900 d"), 3)]).toEqual([7, 7, 9]);
  });

  test("uncovered centres throw LABEL_UNCOVERED unless filled with sil", () => {
    const gappy = parsePhn("0 300 aa\n400 1000 b");
    expect(() => frameLabels(gappy, 2)).toThrowError(/LABEL_UNCOVERED: frame 1 \(centre sample 360\)/);
    expect([...frameLabels(gappy, 6, { uncovered: "sil" })]).toEqual([1, SIL, 7, 7, 7, SIL]);
  });

  test("a real alignment covers every frame of its recording", () => {
    const frames = mfcc(realAudio("agent-pass")).shape[0]!;
    const labels = frameLabels(parsePhn(realPhn("agent-pass")), frames);
    expect(labels.length).toBe(frames);
    // "Please enter your password…" starts with p l iy z
    const firstPhones = [...new Set(labels.subarray(0, 30))].map((c) => PHONE_CLASSES[c]);
    expect(firstPhones.slice(0, 4)).toEqual(["p", "l", "iy", "z"]);
  });
});

/**
 * The 40-class label set: the 39 ARPAbet phones of CMUdict without stress, plus `sil` (class 0).
 */
import { SpeechError } from "./errors.js";

/** Class names in class-index order; index 0 is silence. Lower-case ARPAbet, as in TIMIT `.phn` files. */
export const PHONE_CLASSES = [
  "sil",
  "aa",
  "ae",
  "ah",
  "ao",
  "aw",
  "ay",
  "b",
  "ch",
  "d",
  "dh",
  "eh",
  "er",
  "ey",
  "f",
  "g",
  "hh",
  "ih",
  "iy",
  "jh",
  "k",
  "l",
  "m",
  "n",
  "ng",
  "ow",
  "oy",
  "p",
  "r",
  "s",
  "sh",
  "t",
  "th",
  "uh",
  "uw",
  "v",
  "w",
  "y",
  "z",
  "zh",
] as const;

/** A class name. */
export type PhoneClass = (typeof PHONE_CLASSES)[number];

/** Number of classes (40). */
export const NUM_CLASSES = PHONE_CLASSES.length;

/** Index of `sil`. */
export const SIL = 0;

/** Labels that mean silence or non-speech in TIMIT / pocketsphinx / HTK alignments. */
const SILENCE_ALIASES = new Set(["sil", "sp", "spn", "h#", "pau", "epi", "<s>", "</s>", "<sil>", "(null)"]);

const INDEX = new Map<string, number>(PHONE_CLASSES.map((p, i) => [p, i]));

/**
 * The class index of a phone label: case-insensitive, stress digits dropped (`AH0` → `ah`), silence and
 * filler labels (`h#`, `pau`, `epi`, `sp`, `<sil>`, `[NOISE]`, `+BREATH+`…) → `sil`.
 * @throws SpeechError `LABEL_UNKNOWN` for anything else (e.g. TIMIT's 61-phone labels such as `ix`, `dcl`).
 */
export function phoneIndex(label: string): number {
  const key = label
    .trim()
    .toLowerCase()
    .replace(/[012]$/, "");
  const found = INDEX.get(key);
  if (found !== undefined) return found;
  if (SILENCE_ALIASES.has(key) || /^(\[.*\]|\+\+?.*\+\+?)$/.test(key)) return SIL;
  throw new SpeechError(
    "LABEL_UNKNOWN",
    `phone label "${label}" is not one of the 40 classes (${PHONE_CLASSES.join(" ")}); hint: fold TIMIT's 61 phones to ARPAbet first`,
  );
}

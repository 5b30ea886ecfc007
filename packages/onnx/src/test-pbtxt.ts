/**
 * A protobuf text-format parser for tests (not exported from the package): enough of the grammar to read a
 * Triton `config.pbtxt` back — `name: scalar`, `name { … }`, `name [ v, … ]`, `#` comments. Every field maps to
 * the list of its values, so repeated and single fields read alike.
 */

/** A parsed message: field name → its values (numbers, strings, enum identifiers / booleans, messages). */
export interface PbMessage {
  readonly [field: string]: readonly PbValue[];
}
export type PbValue = number | string | boolean | PbMessage;

const TOKEN = /\s+|#[^\n]*|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_][\w.]*|[{}[\]:,]/gy;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (m === null) throw new Error(`pbtxt: unexpected character at ${at}: ${text.slice(at, at + 20)}`);
    if (!/^\s/.test(m[0]) && !m[0].startsWith("#")) tokens.push(m[0]);
  }
  return tokens;
}

/** Parses the text of a message. @throws Error on a syntax error. */
export function parsePbtxt(text: string): PbMessage {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string): string => {
    const t = tokens[i++];
    if (t === undefined || (expected !== undefined && t !== expected)) {
      throw new Error(`pbtxt: expected ${expected ?? "a token"} at token ${i - 1}, found ${t}`);
    }
    return t;
  };
  const scalar = (t: string): PbValue => {
    if (t.startsWith('"')) return JSON.parse(t) as string;
    if (/^-?\d/.test(t)) return Number(t);
    if (t === "true" || t === "false") return t === "true";
    return t;
  };
  const value = (): PbValue | PbValue[] => {
    const t = take();
    if (t === "{") return body("}");
    if (t === "[") {
      const items: PbValue[] = [];
      while (peek() !== "]") {
        const v = value();
        items.push(...(Array.isArray(v) ? v : [v]));
        if (peek() === ",") take(",");
      }
      take("]");
      return items;
    }
    return scalar(t);
  };
  const body = (end?: string): PbMessage => {
    const msg: Record<string, PbValue[]> = {};
    while (peek() !== end) {
      const name = take();
      if (peek() === ":") take(":");
      const v = value();
      (msg[name] ??= []).push(...(Array.isArray(v) ? v : [v]));
      if (peek() === "," || peek() === ";") take();
    }
    if (end !== undefined) take(end);
    return msg;
  };
  return body(undefined);
}

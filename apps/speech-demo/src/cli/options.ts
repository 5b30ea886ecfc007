/**
 * Parsers for numeric command-line options (commander calls them; a bad value becomes a usage error that names
 * the option).
 */
import { CliError } from "./errors.js";

/** A positive integer option, e.g. `--steps 200`. @throws CliError `BAD_OPTION`. */
export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
      throw new CliError("BAD_OPTION", `${name} must be a positive integer, got "${value}"`);
    }
    return n;
  };
}

/** A fraction in (0, 1], e.g. `--fraction 0.25`. @throws CliError `BAD_OPTION`. */
export function fraction(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !(n > 0 && n <= 1)) {
      throw new CliError("BAD_OPTION", `${name} must be a number in (0, 1], got "${value}"`);
    }
    return n;
  };
}

/** A comma-separated list of fractions in (0, 1], e.g. `0.1,0.25,1`. @throws CliError `BAD_OPTION`. */
export function fractionList(name: string): (value: string) => number[] {
  const one = fraction(name);
  return (value) => value.split(",").map((v) => one(v));
}

/** A comma-separated list of positive integers, e.g. `1,2,3`. @throws CliError `BAD_OPTION`. */
export function intList(name: string): (value: string) => number[] {
  const one = positiveInt(name);
  return (value) => value.split(",").map((v) => one(v));
}

/** A positive finite number, e.g. `--lr 0.005`. @throws CliError `BAD_OPTION`. */
export function positiveNumber(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !(n > 0) || !Number.isFinite(n)) {
      throw new CliError("BAD_OPTION", `${name} must be a positive number, got "${value}"`);
    }
    return n;
  };
}

/** One of a fixed set of names. @throws CliError `BAD_OPTION` listing the choices. */
export function oneOf<T extends string>(name: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new CliError("BAD_OPTION", `${name} must be one of ${choices.join(", ")}, got "${value}"`);
    }
    return value as T;
  };
}

/** A finite number ≥ 0, e.g. `--clip 0`. @throws CliError `BAD_OPTION`. */
export function nonNegative(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !(n >= 0) || !Number.isFinite(n)) {
      throw new CliError("BAD_OPTION", `${name} must be a number >= 0, got "${value}"`);
    }
    return n;
  };
}

/** An integer ≥ 0, e.g. `--patience 0`. @throws CliError `BAD_OPTION`. */
export function nonNegativeInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw new CliError("BAD_OPTION", `${name} must be an integer >= 0, got "${value}"`);
    }
    return n;
  };
}

/** What the fuzz tests share: the case count, seeded mutations of bytes and JSON, a time box. */
import type { Random } from "../lib/preprocessing/random.ts";

/** Cases per loader: `MLP_FUZZ_CASES`, default 2,000. */
export const FUZZ_CASES = Number(Deno.env.get("MLP_FUZZ_CASES") ?? 2000);

/** The most one case may take before it counts as a hang. */
export const TIME_BOX_MS = 10_000;

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const REPLACEMENTS: Json[] = [null, 0, -1, 1e308, "", "x", [], [null], {}, { a: 1 }, true];

function below(random: Random, n: number): number {
  return Math.floor(random.float() * n);
}

/** Every path to a value inside `value` (arrays and objects), the root excluded. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const child = (value as Record<string | number, Json>)[key];
    return [[...at, key], ...paths(child, [...at, key])];
  });
}

/**
 * A copy of `json` with one value deleted (a key of an object) or replaced by null, a number, a
 * string, an array or an object, chosen by `random`; and a line that says what was done.
 */
export function mutateJson(json: Json, random: Random): [Json, string] {
  const copy = structuredClone(json);
  const all = paths(copy);
  if (all.length === 0) return [REPLACEMENTS[below(random, REPLACEMENTS.length)], "replaced"];
  const path = all[below(random, all.length)];
  const parent = path.slice(0, -1).reduce(
    (v, key) => (v as Record<string | number, Json>)[key],
    copy,
  ) as Record<string | number, Json>;
  const key = path.at(-1)!;
  if (random.float() < 0.3 && !Array.isArray(parent)) {
    delete parent[key];
    return [copy, `deleted ${path.join(".")}`];
  }
  const replacement = REPLACEMENTS[below(random, REPLACEMENTS.length)];
  parent[key] = structuredClone(replacement);
  return [copy, `${path.join(".")} = ${JSON.stringify(replacement)}`];
}

/**
 * A mutated copy of `bytes`: a flipped byte, a truncation, an extension, a 32-bit header field
 * (offsets `fields`) set to 0, 1, 2³¹−1 or 2³²−1, or random bytes; and what was done.
 */
export function mutateBytes(
  bytes: Uint8Array,
  random: Random,
  fields: number[] = [],
): [Uint8Array, string] {
  const kind = below(random, fields.length > 0 ? 5 : 4);
  if (kind === 0) {
    const copy = bytes.slice();
    const at = below(random, copy.length);
    copy[at] ^= 1 << below(random, 8);
    return [copy, `bit flipped in byte ${at}`];
  }
  if (kind === 1) {
    const length = below(random, bytes.length);
    return [bytes.slice(0, length), `truncated to ${length} bytes`];
  }
  if (kind === 2) {
    const extra = 1 + below(random, 64);
    const copy = new Uint8Array(bytes.length + extra);
    copy.set(bytes);
    for (let i = bytes.length; i < copy.length; i++) copy[i] = below(random, 256);
    return [copy, `extended by ${extra} bytes`];
  }
  if (kind === 3) {
    const length = below(random, 2 * bytes.length + 8);
    return [Uint8Array.from({ length }, () => below(random, 256)), `${length} random bytes`];
  }
  const copy = bytes.slice();
  const at = fields[below(random, fields.length)];
  const value = [0, 1, 2 ** 31 - 1, 2 ** 32 - 1][below(random, 4)];
  if (at + 4 <= copy.length) new DataView(copy.buffer).setUint32(at, value);
  return [copy, `field at byte ${at} set to ${value}`];
}

/** `promise`, or an Error naming `what` when it takes longer than {@linkcode TIME_BOX_MS}. */
export function timeBox<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`time box of ${TIME_BOX_MS} ms: ${what}`)),
      TIME_BOX_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Asserts that `error` is an Error, not a TypeError or RangeError, whose message names `file`. */
export function assertRefusedByName(error: unknown, file: RegExp | string, what: string): void {
  if (!(error instanceof Error)) throw new Error(`${what}: threw ${error}`);
  if (error instanceof TypeError || error instanceof RangeError) {
    throw new Error(`${what}: ${error.stack}`);
  }
  const named = typeof file === "string" ? error.message.includes(file) : file.test(error.message);
  if (!named) throw new Error(`${what}: the message does not name ${file}: ${error.message}`);
}

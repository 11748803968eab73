/**
 * The machine a bench ran on, named in its report: the CPU (model, family and model numbers, the
 * widest vector extension) from /proc/cpuinfo, so that figures from two machines are never
 * compared without saying so.
 *
 * @module
 */

/**
 * The first processor of `cpuinfo` (the text of /proc/cpuinfo) as "model name (family F, model M),
 * widest AVX level"; undefined when it names no model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const cpuinfo = "processor\t: 0\ncpu family\t: 23\nmodel\t\t: 1\n" +
 *   "model name\t: AMD EPYC 7551 32-Core Processor\nflags\t\t: fpu sse2 avx avx2 fma\n";
 * assert.equal(cpuName(cpuinfo), "AMD EPYC 7551 32-Core Processor (family 23, model 1), AVX2");
 * ```
 */
export function cpuName(cpuinfo: string): string | undefined {
  const first = cpuinfo.split(/\n\s*\n/)[0];
  const field = (name: string) =>
    first.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, "m"))?.[1].trim();
  const model = field("model name");
  if (model === undefined) return undefined;
  const flags = new Set((field("flags") ?? "").split(/\s+/));
  const vector = flags.has("avx512f")
    ? "AVX-512"
    : flags.has("avx2")
    ? "AVX2"
    : flags.has("avx")
    ? "AVX"
    : "no AVX";
  const numbers = [["family", field("cpu family")], ["model", field("model")]]
    .filter(([, value]) => value !== undefined).map(([name, value]) => `${name} ${value}`);
  return `${model}${numbers.length > 0 ? ` (${numbers.join(", ")})` : ""}, ${vector}`;
}

/** This machine's CPU, from /proc/cpuinfo (see {@linkcode cpuName}), else its architecture. */
export function thisCpu(): string {
  try {
    return cpuName(Deno.readTextFileSync("/proc/cpuinfo")) ?? Deno.build.arch;
  } catch {
    return `${Deno.build.arch} (no /proc/cpuinfo)`;
  }
}

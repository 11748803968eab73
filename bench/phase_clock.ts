/**
 * A clock that splits wall time into phases by wrapping the functions that do each phase's work:
 * a wrapped call's time goes to its phase, less the time of the wrapped calls it makes (exclusive
 * time), so that nested phases add up to the time spent in the outermost ones.
 *
 * @module
 */

/** The time and number of calls of one phase. */
export interface PhaseTotal {
  /** Milliseconds spent in the phase's own code (wrapped callees excluded). */
  ms: number;
  /** Calls of the phase's wrapped functions. */
  calls: number;
}

/**
 * Exclusive time per phase of synchronous wrapped calls.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const clock = new PhaseClock();
 * const inner = clock.wrap("inner", (n: number) => {
 *   const end = performance.now() + n;
 *   while (performance.now() < end); // busy for n ms
 * });
 * const outer = clock.wrap("outer", () => {
 *   inner(20);
 *   inner(20);
 * });
 * outer();
 * const { inner: i, outer: o } = Object.fromEntries(clock.totals());
 * assert.equal(i.calls, 2);
 * assert.ok(i.ms >= 40);
 * assert.ok(o.ms < 10); // the outer call's own time, without its two inner calls
 * ```
 */
export class PhaseClock {
  readonly #totals = new Map<string, PhaseTotal>();
  /** Per active wrapped call: the time its wrapped callees took so far. */
  readonly #inner: number[] = [];
  /** Names of the active wrapped calls, outermost first. */
  readonly #active: string[] = [];

  /**
   * `f`, timed into the phase `phase` names; `phase` may be a function of the names of the wrapped
   * calls active around this one (outermost first), to split one function's time by its caller.
   */
  wrap<A extends unknown[], R>(
    phase: string | ((active: readonly string[]) => string),
    f: (...args: A) => R,
  ): (...args: A) => R {
    // deno-lint-ignore no-this-alias
    const clock = this;
    return function (this: unknown, ...args: A): R {
      const name = typeof phase === "string" ? phase : phase(clock.#active);
      clock.#active.push(name);
      clock.#inner.push(0);
      const start = performance.now();
      try {
        return f.apply(this, args);
      } finally {
        const elapsed = performance.now() - start;
        clock.#active.pop();
        const inner = clock.#inner.pop()!;
        const total = clock.#totals.get(name) ?? { ms: 0, calls: 0 };
        total.ms += elapsed - inner;
        total.calls++;
        clock.#totals.set(name, total);
        if (clock.#inner.length > 0) clock.#inner[clock.#inner.length - 1] += elapsed;
      }
    };
  }

  /** Replaces `object[key]`, a method, with its wrapped form (see {@linkcode wrap}). */
  wrapMethod<T extends object, K extends keyof T>(
    object: T,
    key: K,
    phase: string | ((active: readonly string[]) => string),
  ): void {
    const method = object[key] as unknown as (...args: unknown[]) => unknown;
    object[key] = this.wrap(phase, method) as T[K];
  }

  /** The totals so far, by phase. */
  totals(): Map<string, PhaseTotal> {
    return new Map([...this.#totals].map(([name, t]) => [name, { ...t }]));
  }

  /** Forgets the totals so far (calls in progress keep counting into the next totals). */
  reset(): void {
    this.#totals.clear();
  }
}

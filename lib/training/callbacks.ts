/**
 * Several sets of training callbacks as one, e.g. a progress bar and a recorder.
 *
 * @module
 */
import type { TrainCallbacks } from "./types.ts";

/**
 * Joins callback sets into one that calls each set's callback in the order given, awaiting each.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const calls: string[] = [];
 * const joined = joinCallbacks(
 *   { onTrainEnd: () => void calls.push("progress") },
 *   { onTrainEnd: () => void calls.push("recorder") },
 * );
 * await joined.onTrainEnd?.(); // train(…, { ...joined }) calls it once
 * assert.deepEqual(calls, ["progress", "recorder"]);
 * ```
 */
export function joinCallbacks(...sets: TrainCallbacks[]): TrainCallbacks {
  const all = <K extends keyof TrainCallbacks>(key: K) => sets.map((s) => s[key]).filter((f) => f);
  const [begin, batch, end, done] = [
    all("onEpochBegin"),
    all("onBatchEnd"),
    all("onEpochEnd"),
    all("onTrainEnd"),
  ];
  return {
    async onEpochBegin(start) {
      for (const f of begin) await f!(start);
    },
    async onBatchEnd(progress) {
      for (const f of batch) await f!(progress);
    },
    async onEpochEnd(progress) {
      for (const f of end) await f!(progress);
    },
    async onTrainEnd() {
      for (const f of done) await f!();
    },
  };
}

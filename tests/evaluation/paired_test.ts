import assert from "node:assert/strict";
import { pairedAccuracy } from "../../lib/evaluation/paired.ts";

Deno.test("pairedAccuracy: a case worked by hand", () => {
  // 10 samples of class 0…9. Both right on 0–5; only A on 6; only B on 7, 8; both wrong on 9.
  const truth = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const a = [0, 1, 2, 3, 4, 5, 6, 0, 0, 0];
  const b = [0, 1, 2, 3, 4, 5, 0, 7, 8, 0];
  const d = pairedAccuracy(truth, a, b);
  assert.equal(d.onlyA, 1); // b
  assert.equal(d.onlyB, 2); // c
  // B 8/10 right, A 7/10: (c − b)/n = 0.1. SE = √(b + c − (c − b)²/n)/n = √(3 − 0.1)/10.
  assert.ok(Math.abs(d.difference - 0.1) < 1e-15);
  assert.ok(Math.abs(d.standardError - Math.sqrt(2.9) / 10) < 1e-15);
  assert.ok(Math.abs(d.low - (0.1 - 1.96 * Math.sqrt(2.9) / 10)) < 1e-15);
  assert.ok(Math.abs(d.high - (0.1 + 1.96 * Math.sqrt(2.9) / 10)) < 1e-15);
});

Deno.test("pairedAccuracy: the standard error is that of the mean of the per-sample differences", () => {
  // Per sample, (B right) − (A right) is +1, −1 or 0; its mean is the difference, and its
  // population variance / n the squared standard error.
  const n = 1000;
  const truth = Array.from({ length: n }, (_, i) => i % 10);
  const a = truth.map((t, i) => (i % 7 === 0 ? (t + 1) % 10 : t));
  const b = truth.map((t, i) => (i % 5 === 0 ? (t + 1) % 10 : t));
  const per = truth.map((t, i) => Number(b[i] === t) - Number(a[i] === t));
  const mean = per.reduce((s, v) => s + v) / n;
  const variance = per.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
  const d = pairedAccuracy(truth, a, b);
  const accuracy = (p: number[]) => p.filter((v, i) => v === truth[i]).length / n;
  assert.ok(Math.abs(d.difference - (accuracy(b) - accuracy(a))) < 1e-15);
  assert.ok(Math.abs(d.difference - mean) < 1e-15);
  assert.ok(Math.abs(d.standardError - Math.sqrt(variance / n)) < 1e-15);
  // Swapping the models negates the difference and keeps the standard error.
  const swapped = pairedAccuracy(truth, b, a);
  assert.deepEqual([swapped.onlyA, swapped.onlyB], [d.onlyB, d.onlyA]);
  assert.equal(swapped.difference, -d.difference);
  assert.equal(swapped.standardError, d.standardError);
});

Deno.test("pairedAccuracy: models that agree everywhere differ by 0 ± 0", () => {
  const d = pairedAccuracy([1, 2, 3], [1, 0, 3], Uint8Array.of(1, 0, 3));
  assert.deepEqual(d, { onlyA: 0, onlyB: 0, difference: 0, standardError: 0, low: 0, high: 0 });
});

Deno.test("pairedAccuracy names the argument that does not fit", () => {
  assert.throws(() => pairedAccuracy([], [], []), {
    message: "pairedAccuracy: truth.length: expected at least 1 sample, got 0",
  });
  assert.throws(() => pairedAccuracy([1, 2], [1], [1, 2]), {
    message: "pairedAccuracy: predictedA.length: expected 2 (one per sample of truth), got 1",
  });
  assert.throws(() => pairedAccuracy([1, 2], [1, 2], [1, 2, 3]), {
    message: "pairedAccuracy: predictedB.length: expected 2 (one per sample of truth), got 3",
  });
  assert.throws(() => pairedAccuracy([1, -2], [1, 2], [1, 2]), {
    message: "pairedAccuracy: truth[1]: expected an integer ≥ 0, got -2",
  });
});
